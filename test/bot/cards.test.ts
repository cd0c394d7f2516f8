import { computeDigest } from '../../src/domain/digest';
import { readPlanFile } from '../../src/import/readPlanFile';
import type { StoredItem, StoredPlan } from '../../src/store/planStore';
import { byteSize, plain } from '../../src/bot/cards/common';
import { cardSummary, fitDailyCard, SEND_BUDGET_BYTES, unpackBasis, type DailyCardInput } from '../../src/bot/cards/dailyCard';
import { coordinatorCard, digestCard } from '../../src/bot/cards/digestCard';
import type { CardEntry } from '../../src/bot/cards/itemSection';
import { notFoundCard } from '../../src/bot/cards/refusalCard';
import { helpCard, itemStatusCard, myActionsCard, unknownCard } from '../../src/bot/cards/statusCards';
import { planIdOf } from '../../src/domain/identity';
import { expectValidCards, CARD_LIMIT_BYTES } from '../support/validateCard';
import { cardText } from './support/teamsStandIn';
import { executeActions, recordActions, recordAllAction } from './support/cardActions';

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
const checkIn = { reason: 'check-in', periodLabel: 'Q2 2018-19', periodEnd: '2018-09-30', roles: ['Prevent Co-ordinator'] };
const entry = (item: StoredItem, i: number, over: Partial<CardEntry> = {}): CardEntry => ({
  item,
  slot: `i${i}`,
  ask: checkIn,
  state: { kind: 'open' },
  ...over,
});
const input = (entries: CardEntry[], over: Partial<DailyCardInput> = {}): DailyCardInput => ({
  plan,
  planId: plan.id,
  date: '2018-09-16',
  promptId: 'c-1',
  entries,
  myActionsLink: 'https://teams.microsoft.com/l/entity/app/my-actions',
  deepLink: 'https://teams.microsoft.com/l/entity/app/plan',
  refreshUserIds: ['29:ann'],
  ...over,
});

/** The value shown in a card's input. */
function inputValue(card: unknown, id: string): unknown {
  let found: unknown;
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.id === id) found = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** Every TextBlock in a card, with its properties. */
function textBlocks(card: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'TextBlock') out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('daily cards', () => {
  it('every item of the shared plan makes a valid 1.5 card (to answer, refused, and as a receipt) and a status card, under 28 KB', () => {
    const cards = [];
    for (const item of items) {
      const reported: StoredItem = {
        ...item,
        status: 'red',
        lastUpdate: {
          at: '2018-09-03T09:15:00Z',
          by: 'Ann Lead',
          note: longNote,
          figures: { 0: 12 },
          revisedDate: '2018-12-31',
          correctiveAction: longNote,
        },
      };
      const values = { rag: 'amber', note: longNote, correctiveAction: longNote, figure_0: 'lots', revisedDate: 'soon' };
      cards.push(fitDailyCard(input([entry(reported, 0)])).card);
      cards.push(
        fitDailyCard(
          input([
            entry(reported, 0, {
              state: { kind: 'refused', refusal: { kind: 'invalid', problems: [{ field: 'note', message: longNote }] }, values },
            }),
          ]),
        ).card,
      );
      cards.push(
        fitDailyCard(
          input([
            entry(reported, 0, {
              state: { kind: 'receipt', toAnswerer: true, earlier: [{ by: 'Bob', to: 'green', at: '2018-09-03T09:14:00Z' }] },
            }),
          ]),
        ).card,
      );
      cards.push(itemStatusCard(plan, reported, { date: '2018-09-30', next: '2019-03-31', canReport: true }));
    }
    const checks = expectValidCards(cards);
    expect(Math.max(...checks.map((c) => c.bytes))).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it("the Prevent Co-ordinator's quarterly check-in fits all 16 items on one card, each answerable on its own", () => {
    const mine = items.filter((i) => i.leads.includes('Prevent Co-ordinator') || i.leads.length === 0);
    expect(mine).toHaveLength(16);
    const { card, shown } = fitDailyCard(input(mine.map((item, i) => entry(item, i))), SEND_BUDGET_BYTES);
    expect(shown).toBe(16);
    const [check] = expectValidCards([card]);
    expect(check!.bytes).toBeLessThanOrEqual(SEND_BUDGET_BYTES);
    const text = cardText(card);
    expect(text).toContain('Update needed on 16 items');
    expect(text).toContain('Quarterly check-in for Q2 2018-19 (the quarter ends Sunday 30 September 2018)');
    // Each item its own inputs and its own button carrying what its answer needs.
    const buttons = recordActions(card);
    expect(buttons.map((b) => b.data.slot)).toEqual(mine.map((_, i) => `i${i}`));
    expect(buttons[3]!.data).toEqual({
      planId: plan.id,
      itemKey: mine[3]!.key,
      version: mine[3]!.version,
      promptId: 'c-1',
      content: expect.stringMatching(/^[0-9a-f]{16}$/),
      seen: '',
      slot: 'i3',
    });
    expect(JSON.stringify(card)).toContain('"id":"i15_rag"');
    // No input is required: a required input would block every other item's button.
    expect(JSON.stringify(card)).not.toContain('isRequired');
    const all = recordAllAction(card)!;
    expect((all.data.items as string[]).map((s) => unpackBasis(s)!.itemKey)).toEqual(mine.map((i) => i.key));
    expect(card.refresh).toMatchObject({
      action: { verb: 'refreshCard', data: { planId: plan.id, promptId: 'c-1' } },
      userIds: ['29:ann'],
    });
  });

  it('beyond what fits, says how many more and links to My actions', () => {
    const many = Array.from({ length: 40 }, (_, n) => ({
      ...items[n % items.length]!,
      key: `k${n}`,
      title: `${'A long item title that goes on and on '.repeat(3)}${n}`,
    }));
    const { card, shown } = fitDailyCard(input(many.map((item, i) => entry(item, i))), SEND_BUDGET_BYTES);
    expect(shown).toBeLessThan(40);
    expect(byteSize(card)).toBeLessThanOrEqual(SEND_BUDGET_BYTES);
    expect(cardText(card)).toContain(`And ${40 - shown} more items than fit on this card: answer them in My actions.`);
    expect(executeActions(card).length).toBe(shown + 1);
    expect(card.actions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Action.OpenUrl', title: 'Open My actions' })]));
    expectValidCards([card]);
  });

  it('a refusal on one item keeps every value typed on it, even one that is not a number, and the others keep theirs', () => {
    const withFigures = items.filter((i) => i.outputs.some((o) => typeof o.target === 'number')).slice(0, 2);
    const card = fitDailyCard(
      input([
        entry(withFigures[0]!, 0, {
          state: {
            kind: 'refused',
            refusal: { kind: 'invalid', problems: [{ field: 'figure_0', message: '"lots" is not a number' }] },
            values: { rag: 'amber', note: 'half done', figure_0: 'lots', revisedDate: '2018-11-30' },
          },
        }),
        entry(withFigures[1]!, 1, { state: { kind: 'open', values: { rag: 'green', note: 'fine' } } }),
      ]),
    ).card;
    const text = cardText(card);
    expect(text).toContain('Not recorded yet: please correct this');
    expect(text).toContain('You typed: lots');
    expect(inputValue(card, 'i0_rag')).toBe('amber');
    expect(inputValue(card, 'i0_note')).toBe('half done');
    expect(inputValue(card, 'i0_revisedDate')).toBe('2018-11-30');
    expect(inputValue(card, 'i1_rag')).toBe('green');
    expect(inputValue(card, 'i1_note')).toBe('fine');
    expectValidCards([card, notFoundCard({ note: 'kept' })]);
  });

  it('summarises the card for notifications without cutting a word', () => {
    const host = items.find((i) => i.title.startsWith('Host two Community Roundtable'))!;
    const summary = cardSummary([entry(host, 0, { ask: { reason: 'milestone', milestone: '2018-09-30', daysUntil: 14 } })]);
    expect(summary).toMatch(
      /^Update needed: Host two Community Roundtable events between the home office, community…? \(due in 14 days\)$/,
    );
    expect(summary).not.toMatch(/organisa \(/);
    expect(cardSummary(items.slice(0, 3).map((item, i) => entry(item, i)))).toMatch(/^Update needed on 3 items: /);
  });
});

describe('bot texts', () => {
  it('"Recorded: Amber" is dark text on a pale amber container, and no card draws text in Teams\' yellow', () => {
    const item: StoredItem = { ...items[0]!, status: 'amber', lastUpdate: { at: '2018-09-03T09:15:00Z', by: 'Ann Lead', note: 'Late' } };
    const receipt = fitDailyCard(input([entry(item, 0, { state: { kind: 'receipt' } })])).card;
    const recorded = textBlocks(receipt).find((t) => t.text === 'Recorded: Amber')!;
    expect(recorded.color).toBeUndefined();
    expect(JSON.stringify(receipt)).toMatch(/"style":"warning","spacing":"Small","items":\[\{"type":"TextBlock","text":"Recorded: Amber"/);
    const cards = [
      receipt,
      myActionsCard('Ann', [{ plan, item }]),
      itemStatusCard(plan, item, {}),
      digestCard(
        computeDigest({
          planTitle: 'Plan',
          items: [item],
          history: [],
          now: new Date('2018-10-01T08:00:00Z'),
          unreachable: [{ who: 'Dan', why: 'not installed' }],
        }),
      ),
      coordinatorCard({
        planTitle: 'P',
        date: '2018-10-15',
        escalations: [{ itemKey: 'k', title: 'T', leads: ['L'], why: 'overdue', since: '2018-10-01', days: 14 }],
        unreachable: [],
      }),
    ];
    for (const c of cards) expect(textBlocks(c).filter((t) => t.color === 'Warning')).toEqual([]);
  });

  it('figures carry their unit: "Output 2: 60% (target 95%)", not "60 against 95% of…"', () => {
    const wrap = items.find((i) => i.outputs.some((o) => o.unit === '%'))!;
    const index = wrap.outputs.findIndex((o) => o.unit === '%');
    const item: StoredItem = { ...wrap, status: 'green', lastUpdate: { at: '2018-09-03T09:15:00Z', by: 'Ann', figures: { [index]: 60 } } };
    const text = cardText(fitDailyCard(input([entry(item, 0, { state: { kind: 'receipt' } })])).card);
    expect(text).toContain(`Output ${index + 1}: 60% (target 95%)`);
    expect(text).not.toMatch(/60 against/);
  });

  it('the digest says "1 day ago", not "1 days ago"', () => {
    const item: StoredItem = { ...items[0]!, milestones: ['2018-09-30'] };
    const content = computeDigest({ planTitle: 'Plan', items: [item], history: [], now: new Date('2018-10-01T08:00:00Z') });
    const text = cardText(digestCard(content));
    expect(text).toContain('1 day ago');
    expect(text).not.toContain('1 days ago');
  });

  it('the status card flags an overdue item, gives its next milestone, and offers a report form to its lead', () => {
    const item = items.find((i) => i.milestones.length > 1)!;
    const card = itemStatusCard(plan, item, { date: '2018-10-08', overdue: '2018-09-30', next: '2019-03-31', canReport: true });
    const text = cardText(card);
    expect(text).toContain('Overdue: due Sunday 30 September 2018 (8 days ago)');
    expect(text).toContain('Sunday 31 March 2019');
    const show = (card.actions as Array<Record<string, unknown>>)[0]!;
    expect(show).toMatchObject({ type: 'Action.ShowCard', title: 'Report status' });
    expect(recordActions(card)).toHaveLength(1);
    expect(recordActions(card)[0]!.data).toMatchObject({ planId: plan.id, itemKey: item.key, version: item.version });
    expect(itemStatusCard(plan, item, { canReport: false }).actions).toBeUndefined();
    expectValidCards([card]);
  });

  it('the help card names a real item in its example; unknown text says so instead of repeating the help', () => {
    const item = items.find((i) => i.title.startsWith('Develop a Youth Outreach Plan'))!;
    const help = cardText(helpCard({ key: item.key, title: item.title }));
    expect(help).toContain(`"status develop youth outreach" or "status ${item.key}"`);
    expect(cardText(helpCard())).not.toMatch(/a2-3f9c01be/);
    const unknown = cardText(unknownCard('youth outreach please', { key: item.key, title: item.title }, [item]));
    expect(unknown).toContain('I did not understand "youth outreach please"');
    expect(unknown).toContain(`status ${item.key}: ${item.title}`);
    expectValidCards([helpCard({ key: item.key, title: item.title }), unknownCard('x'.repeat(500))]);
  });
});

describe('digest and notices', () => {
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
      unreachableElsewhere: { count: 300, where: "this week's digest" },
    });
    const [d, n] = expectValidCards([
      card,
      notice,
      myActionsCard(
        'Ann',
        items.slice(0, 40).map((item) => ({ plan, item, next: '2018-09-30' })),
      ),
    ]);
    expect(d!.bytes).toBeLessThan(CARD_LIMIT_BYTES);
    expect(n!.bytes).toBeLessThan(CARD_LIMIT_BYTES);
    expect(cardText(card)).toMatch(/and \d+ more overdue/);
    expect(cardText(notice)).toContain("300 leads are listed in this week's digest.");
  });

  it('defuses links and emphasis in plan text without changing what it says', () => {
    expect(plain('see [this](http://x) now')).toBe('see [this] (http://x) now');
    expect(plain('**bold** and _it_')).toBe('**\u200bbold** and _\u200bit_');
    expect(plain("Review the strategy on unregistered 'schools'")).toBe("Review the strategy on unregistered 'schools'");
  });
});
