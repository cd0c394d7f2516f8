import { computeDigest } from '../../src/domain/digest';
import { readPlanFile } from '../../src/import/readPlanFile';
import type { StoredItem, StoredPlan } from '../../src/store/planStore';
import { plain } from '../../src/bot/cards/common';
import { coordinatorCard, digestCard } from '../../src/bot/cards/digestCard';
import { promptCard } from '../../src/bot/cards/promptCard';
import { receiptCard } from '../../src/bot/cards/receiptCard';
import { refusalCard } from '../../src/bot/cards/refusalCard';
import { helpCard, itemStatusCard, myActionsCard } from '../../src/bot/cards/statusCards';
import { planIdOf } from '../../src/domain/identity';
import { expectValidCards, CARD_LIMIT_BYTES } from '../support/validateCard';
import { cardText } from './support/teamsStandIn';

import { SHARED_PLAN } from '../support/paths';

let plan: StoredPlan;
let items: StoredItem[];

beforeAll(async () => {
  const parsed = await readPlanFile(SHARED_PLAN);
  const id = planIdOf(parsed.plan);
  plan = { id, plan: parsed.plan, objectives: parsed.objectives, recommendations: parsed.recommendations };
  items = parsed.items.map((i, n) => ({ ...i, planId: id, version: String(n + 1) }));
});

const longNote = 'The venue fell through and we are re-booking. '.repeat(45).slice(0, 2000);

describe('cards', () => {
  it('every item of the shared plan makes a valid 1.5 prompt, receipt and status card under 28 KB', () => {
    const cards = [];
    for (const item of items) {
      const reported: StoredItem = {
        ...item,
        status: 'red',
        lastUpdate: { at: '2018-09-03T09:15:00Z', by: 'Ann Lead', note: longNote, figures: { 0: 12 }, revisedDate: '2018-12-31' },
      };
      cards.push(
        promptCard({ plan, item: reported, milestone: '2018-09-30', reason: '28 days', promptId: 'abc', refreshUserIds: ['29:ann'] }),
      );
      cards.push(receiptCard({ plan, item: reported, deepLink: 'https://teams.microsoft.com/l/entity/app/plan' }));
      cards.push(itemStatusCard(plan, reported, '2018-09-30'));
    }
    const checks = expectValidCards(cards);
    expect(Math.max(...checks.map((c) => c.bytes))).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it('a prompt shows objective, milestone, outputs with targets and the inputs, and carries what the answer needs', () => {
    const item = items.find((i) => i.title.startsWith('Ensure all staff have received relevant training'))!;
    const card = promptCard({
      plan,
      item,
      milestone: '2018-09-30',
      reason: '7 days',
      promptId: 'p-1',
      refreshUserIds: Array.from({ length: 80 }, (_, i) => `29:u${i}`),
    });
    const text = cardText(card);
    expect(text).toContain('Objective 4: ');
    expect(text).toContain('Sunday 30 September 2018 (in 7 days)');
    expect(text).toMatch(/4 x evening WRAP training sessions \(target 4/);
    expect(text).toContain('Not reported');
    const ids = (card.body as Array<{ id?: string }>).map((e) => e.id).filter(Boolean);
    expect(ids).toEqual(['rag', 'note', 'figure_0', 'figure_1', 'revisedDate']);
    expect(card.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'recordStatus',
        data: {
          planId: plan.id,
          itemKey: item.key,
          version: item.version,
          promptId: 'p-1',
          content: expect.stringMatching(/^[0-9a-f]{16}$/),
          seen: '',
        },
      }),
    ]);
    expect((card.refresh as { userIds: string[] }).userIds).toHaveLength(60);
  });

  it('a refusal keeps every typed value, even one that is not a number', () => {
    const item = items.find((i) => i.outputs.some((o) => typeof o.target === 'number'))!;
    const card = refusalCard({
      plan,
      item,
      reason: { kind: 'invalid', problems: [{ field: 'figure_0', message: '"lots" is not a number' }] },
      values: { rag: 'amber', note: 'half done', figure_0: 'lots', revisedDate: '2018-11-30' },
    });
    const text = cardText(card);
    expect(text).toContain('Not recorded yet');
    expect(text).toContain('half done');
    expect(text).toContain('You typed: lots');
    const body = card.body as Array<{ id?: string; value?: unknown }>;
    expect(body.find((e) => e.id === 'rag')?.value).toBe('amber');
    expect(body.find((e) => e.id === 'revisedDate')?.value).toBe('2018-11-30');
    expectValidCards([
      card,
      refusalCard({ reason: { kind: 'not-found', message: 'gone' }, values: { note: 'kept' } }),
      helpCard(),
      myActionsCard(
        'Ann',
        items.slice(0, 40).map((item) => ({ plan, item, next: '2018-09-30' })),
      ),
    ]);
  });

  it('the digest of a 5,000-item plan stays a valid card under 28 KB', () => {
    const many: StoredItem[] = Array.from({ length: 5000 }, (_, i) => ({
      ...items[i % items.length]!,
      key: `k${i}`,
      title: `${items[i % items.length]!.title} (${i})`,
      status: (['red', 'amber', 'green', 'not-reported'] as const)[i % 4]!,
    }));
    const history = many.slice(0, 400).map((i, n) => ({
      itemKey: i.key,
      at: `2018-09-0${(n % 6) + 1}T10:00:00Z`,
      by: `Lead ${n}`,
      from: 'not-reported' as const,
      to: i.status,
    }));
    const content = computeDigest({
      planTitle: 'London Borough of Tower Hamlets Prevent Delivery Plan',
      items: many,
      history,
      now: new Date('2018-09-10T08:00:00Z'),
      unanswered: many
        .slice(0, 300)
        .map((i, n) => ({ personId: `p${n}`, personName: `Person ${n}`, itemKey: i.key, itemTitle: i.title, sentOn: '2018-09-05' })),
      unreachable: many.slice(0, 300).map((i, n) => ({ who: `Role ${n}`, why: 'nobody in the lead directory for this role' })),
      deepLink: 'https://teams.microsoft.com/l/entity/app/plan?context=%7B%7D',
    });
    const card = digestCard(content);
    const notice = coordinatorCard({
      planTitle: 'Plan',
      date: '2018-09-10',
      escalations: many
        .slice(0, 500)
        .map((i) => ({ itemKey: i.key, title: i.title, leads: i.leads, why: 'red' as const, since: '2018-08-01', days: 40 })),
      unreachable: [],
    });
    const [d, n] = expectValidCards([card, notice]);
    expect(d!.bytes).toBeLessThan(CARD_LIMIT_BYTES);
    expect(n!.bytes).toBeLessThan(CARD_LIMIT_BYTES);
    expect(cardText(card)).toMatch(/and \d+ more overdue/);
  });

  it('defuses links and emphasis in plan text without changing what it says', () => {
    expect(plain('see [this](http://x) now')).toBe('see [this] (http://x) now');
    expect(plain('**bold** and _it_')).toBe('**\u200bbold** and _\u200bit_');
    expect(plain("Review the strategy on unregistered 'schools'")).toBe("Review the strategy on unregistered 'schools'");
  });
});
