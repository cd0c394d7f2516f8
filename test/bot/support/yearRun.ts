/**
 * A year of the shared plan, day by day, through the real bot: every lead role mapped to one person
 * (installed in a 1:1 chat), the plan channel installed, the prompt run at 08:00 and the digest tick at
 * 09:00 each day on an in-memory clock and store, sends through the real sender (rate limits on a
 * virtual clock) to the local Teams stand-in, and — when `answer` is 'green' — every card answered
 * Green by its recipient at 10:00 the same day through the real card-answer path (the card's Record
 * all button, as Teams sends it). Used by the acceptance test and by `npm run bench`.
 */
import { loadConfig } from '../../../src/config';
import { addDays } from '../../../src/domain/calendar';
import { FixedClock } from '../../../src/domain/clock';
import { slugify } from '../../../src/domain/identity';
import { readPlanFile } from '../../../src/import/readPlanFile';
import { SHARED_PLAN_FILE } from '../../../src/import/sharedPlan';
import { createLogger } from '../../../src/logger';
import { createBotRuntime } from '../../../src/bot/runtime';
import { TeamsSender } from '../../../src/bot/sender';
import { londonInstant } from '../../../src/cli/botContext';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import type { StatusUpdate } from '../../../src/domain/model';
import type { StoredItem } from '../../../src/store/planStore';
import { virtualTime } from '../../reliability/support/loadRun';
import { cardOf, startTeamsStandIn } from './teamsStandIn';
import { cardItemKeys, pressed, recordActions, recordAllAction, slotInputs } from './cardActions';

export const PREVENT_COORDINATOR = 'Prevent Co-ordinator';
const TENANT = 'tenant-sim';

export interface YearResult {
  items: StoredItem[];
  history: StatusUpdate[];
  /** Item key → the quarters (1–4) it was asked in. */
  askedIn: Map<string, Set<number>>;
  /** Cards (update requests, notices) per "conversation|date". */
  cardsByDay: Map<string, number>;
  /** Cards in the year per person (1:1 conversation id). */
  perPerson: Map<string, number>;
  /** The Prevent Co-ordinator's cards per month ("2018-09"). */
  coordinatorPerMonth: Map<string, number>;
  /** Invokes answered that did not come back as a card (should be none). */
  failedAnswers: number;
  coordinatorConversation: string;
}

export async function runYear(options: { answer: 'green' | 'none'; from?: string; to?: string }): Promise<YearResult> {
  const teams = await startTeamsStandIn();
  const store = new SqlitePlanStore(':memory:');
  const clock = new FixedClock('2018-04-01T07:00:00Z');
  const logger = createLogger('silent');
  const planId = (await store.importPlan(await readPlanFile(SHARED_PLAN_FILE))).planId;
  const people = new Map<string, string>();
  const roles = new Set<string>();
  for (const item of await store.listItems(planId)) for (const role of item.leads) roles.add(role);
  for (const role of roles) {
    const id = `aad-${slugify(role)}`;
    people.set(id, `Lead of ${role}`);
    await store.setPeople(planId, role, [{ id, name: `Lead of ${role}` }]);
  }
  const coordinator = `aad-${slugify(PREVENT_COORDINATOR)}`;
  const rt = createBotRuntime({
    config: loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      BOT_DB_PATH: ':memory:',
      SETTINGS_DB_PATH: ':memory:',
      COORDINATOR_IDS: coordinator,
    }),
    store,
    logger,
    clock,
    sender: new TeamsSender({ logger, time: virtualTime(Date.parse('2018-04-01T07:00:00Z')) }),
  });
  const at = clock.now().toISOString();
  await rt.conversations.save(
    {
      key: 'channel:19:plan@thread.tacv2',
      kind: 'channel',
      conversationId: '19:plan@thread.tacv2',
      serviceUrl: teams.url,
      tenantId: TENANT,
      botId: '28:bot',
      teamId: '19:plan@thread.tacv2',
    },
    at,
  );
  for (const [id, name] of people) {
    await rt.conversations.save(
      {
        key: `user:${id}`,
        kind: 'personal',
        userId: `29:${id}`,
        aadObjectId: id,
        name,
        conversationId: `a:${id}`,
        serviceUrl: teams.url,
        tenantId: TENANT,
        botId: '28:bot',
      },
      at,
    );
  }
  const result: YearResult = {
    items: [],
    history: [],
    askedIn: new Map(),
    cardsByDay: new Map(),
    perPerson: new Map(),
    coordinatorPerMonth: new Map(),
    failedAnswers: 0,
    coordinatorConversation: `a:${coordinator}`,
  };
  const quarterOf = (d: string) => (d < '2018-07-01' ? 1 : d < '2018-10-01' ? 2 : d < '2019-01-01' ? 3 : 4);
  try {
    for (let date = options.from ?? '2018-04-01'; date <= (options.to ?? '2019-03-31'); date = addDays(date, 1)) {
      const before = teams.sends().length;
      clock.set(londonInstant(date, 8));
      await rt.bot.runPrompts(date);
      clock.set(londonInstant(date, 9));
      await rt.bot.runDigest(clock.now(), { onlyDue: true });
      // 1:1 cards only: the weekly digest goes to the plan's channel.
      const sent = teams
        .sends()
        .slice(before)
        .filter((c) => !c.conversationId!.startsWith('19:'));
      for (const call of sent) {
        const conversation = call.conversationId!;
        const k = `${conversation}|${date}`;
        result.cardsByDay.set(k, (result.cardsByDay.get(k) ?? 0) + 1);
        result.perPerson.set(conversation, (result.perPerson.get(conversation) ?? 0) + 1);
        if (conversation === result.coordinatorConversation)
          result.coordinatorPerMonth.set(date.slice(0, 7), (result.coordinatorPerMonth.get(date.slice(0, 7)) ?? 0) + 1);
        for (const key of cardItemKeys(cardOf(call))) result.askedIn.set(key, (result.askedIn.get(key) ?? new Set()).add(quarterOf(date)));
      }
      if (options.answer === 'green') {
        clock.set(londonInstant(date, 10));
        for (const call of sent) {
          const card = cardOf(call)!;
          const buttons = recordActions(card);
          if (buttons.length === 0) continue;
          const all = recordAllAction(card);
          const inputs = Object.assign({}, ...buttons.map((b) => slotInputs(b, { rag: 'green' }))) as Record<string, unknown>;
          const presses = all ? [pressed(all, inputs)] : buttons.map((b) => pressed(b, slotInputs(b, { rag: 'green' })));
          const personId = call.conversationId!.slice(2);
          for (const value of presses) {
            const res = await rt.bot.handleCardAction({
              type: 'invoke',
              name: 'adaptiveCard/action',
              serviceUrl: teams.url,
              from: { id: `29:${personId}`, aadObjectId: personId, name: people.get(personId) ?? personId },
              recipient: { id: '28:bot' },
              conversation: { id: call.conversationId!, conversationType: 'personal', tenantId: TENANT },
              value,
            });
            // Every item answered comes back as its receipt: no Record button left on the card.
            if (res.statusCode !== 200 || recordActions(res.value).length > 0) result.failedAnswers++;
          }
        }
        await rt.bot.idle();
      }
    }
    result.items = await store.listItems(planId);
    result.history = await store.history(planId);
    return result;
  } finally {
    await rt.close();
    await store.close();
    await teams.close();
  }
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
