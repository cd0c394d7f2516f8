/**
 * Two leads of one item answer at the same moment from cards carrying the same item version: both
 * reports end in the history, in order, neither silently overwritten; the second lead is told
 * plainly. A replayed invoke adds no second row; a card whose plan content changed is stale.
 *  - end to end on SQLite: the real app, two invokes POSTed in parallel to /api/messages;
 *  - on the Graph store (emulator, with latency): the bot's answer path and the store itself;
 *  - the store's ConflictError path forced deterministically (both answers read before either writes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { createBotRuntime, type BotRuntime } from '../../src/bot/runtime';
import type { IncomingActivity } from '../../src/bot/activity';
import { ConflictError } from '../../src/errors';
import type { PlanStore, StoredItem } from '../../src/store/planStore';
import { itemRef } from '../../src/store/graph/graphFields';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { cardOf, cardText, startTeamsStandIn, type RecordedCall, type StandIn } from '../bot/support/teamsStandIn';
import { makePlan } from '../store/fixtures';
import { expectValidCards } from '../support/validateCard';
import { fitDailyCard } from '../../src/bot/cards/dailyCard';
import { entryActionData, type EarlierReport } from '../../src/bot/cards/itemSection';
import { recordActionFor, recordActions, slotInputs, type ExecuteAction } from '../bot/support/cardActions';
import { freshSite, graphStore, startEmulator } from '../store/graphSupport';

const BOT = { id: '28:dplan-bot', name: 'Delivery Plan' };
const TENANT = 'tenant-1';
const ROLE = 'Community Safety Manager';
const people = {
  ann: { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lead' },
  bob: { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Youth' },
};
type Who = keyof typeof people;
// Items 1 and 13 of the fixture plan are due on 2019-02-28 and led by the Community Safety Manager.
const DAY = '2019-02-28';
const logger = createLogger('silent');

interface InvokeBody {
  statusCode: number;
  value: Record<string, unknown>;
}

let seq = 0;
function activity(teams: StandIn, who: Who, extra: Record<string, unknown>): Record<string, unknown> & IncomingActivity {
  return {
    id: `in-${++seq}`,
    channelId: 'msteams',
    serviceUrl: teams.url,
    from: people[who],
    recipient: BOT,
    conversation: { id: `a:${who}-1on1`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  } as Record<string, unknown> & IncomingActivity;
}

function invoke(teams: StandIn, who: Who, data: Record<string, unknown>) {
  return activity(teams, who, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'recordStatus', data }, trigger: 'manual' },
  });
}

/** A card sent to a lead, and the item on it a test answers. */
type Prompt = RecordedCall & { itemKey?: string };

/** The action data of the item's Record button on the card (the card's first item when none is named). */
function promptData(call: Prompt): Record<string, unknown> {
  const action = call.itemKey ? recordActionFor(cardOf(call), call.itemKey) : recordActions(cardOf(call))[0];
  return action?.data ?? {};
}

/** What Teams sends when the item's Record button is pressed with these values in its inputs. */
function answer(data: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  return { ...data, ...slotInputs({ data } as ExecuteAction, values) };
}

/** The card a lead got that asks about an item. */
function promptFor(teams: StandIn, who: Who, itemKey: string): Prompt {
  const found = teams.sends(`a:${who}-1on1`).find((c) => !!recordActionFor(cardOf(c), itemKey));
  if (!found) throw new Error(`no card for ${who} asking about ${itemKey}`);
  return { ...found, itemKey };
}

/** The card each prompt message shows last (the final PUT, else the prompt itself). */
function shownNow(teams: StandIn, prompt: RecordedCall): string {
  const updates = teams.updates(prompt.conversationId).filter((u) => u.activityId === prompt.activityId);
  return cardText(cardOf(updates.at(-1) ?? prompt));
}

async function setUp(store: PlanStore): Promise<{ planId: string; items: StoredItem[] }> {
  const planId = (await store.importPlan(makePlan(24))).planId;
  await store.setPeople(planId, ROLE, [
    { id: 'aad-ann', name: 'Ann Lead' },
    { id: 'aad-bob', name: 'Bob Youth' },
  ]);
  const items = (await store.listItems(planId)).filter((i) => i.leads.includes(ROLE) && i.milestones.includes(DAY));
  expect(items.length).toBeGreaterThanOrEqual(2);
  return { planId, items };
}

describe('end to end on SQLite: two invokes in parallel over HTTP', () => {
  let dir: string;
  let teams: StandIn;
  let running: RunningApp;
  let store: SqlitePlanStore;
  let planId: string;
  let items: StoredItem[];
  const clock = new FixedClock(`${DAY}T08:00:00Z`);

  async function post(body: Record<string, unknown>): Promise<InvokeBody> {
    const res = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as InvokeBody;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-race-'));
    teams = await startTeamsStandIn();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      LOG_LEVEL: 'silent',
      SQLITE_PATH: path.join(dir, 'plan.sqlite'),
      BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
      SCHEDULER: 'false',
    });
    store = new SqlitePlanStore(config.SQLITE_PATH);
    ({ planId, items } = await setUp(store));
    running = await startApp({ config, store, logger, clock }, { port: 0 });
    for (const who of ['ann', 'bob'] as Who[]) await post(activity(teams, who, { type: 'installationUpdate', action: 'add' }));
    const report = await running.bot.runPrompts(DAY);
    // One card each for Ann and Bob, each asking about every item due.
    expect(report.totals.sent).toBe(2);
    expect(report.lines.filter((l) => l.outcome === 'sent').length).toBeGreaterThanOrEqual(4);
  });

  afterAll(async () => {
    await running?.close();
    await store?.close();
    await teams?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records both answers, in order, and tells the second lead plainly', async () => {
    const item = items[0]!;
    const annCard = promptFor(teams, 'ann', item.key);
    const bobCard = promptFor(teams, 'bob', item.key);
    expect(promptData(annCard).version).toBe(promptData(bobCard).version);
    clock.set(`${DAY}T09:15:00Z`);
    const [ann, bob] = await Promise.all([
      post(invoke(teams, 'ann', answer(promptData(annCard), { rag: 'amber', note: 'Venue fell through; rebooking' }))),
      post(invoke(teams, 'bob', answer(promptData(bobCard), { rag: 'green', note: 'Sessions delivered on my side' }))),
    ]);
    const texts = { ann: cardText(ann.value), bob: cardText(bob.value) };
    for (const t of Object.values(texts)) {
      expect(t).toContain('Recorded:');
      expect(t).not.toContain('Not recorded');
    }
    const history = await store.history(planId, item.key);
    expect(history).toHaveLength(2);
    const [first, second] = history as [(typeof history)[0], (typeof history)[0]];
    expect(new Set([first.by, second.by])).toEqual(new Set(['Ann Lead', 'Bob Youth']));
    // In order: the second report starts from the first one's status.
    expect(first.from).toBe('not-reported');
    expect(second.from).toBe(first.to);
    const after = await store.getItem(planId, item.key);
    expect(after!.status).toBe(second.to);
    expect(after!.lastUpdate!.by).toBe(second.by);
    // The second lead (whoever it was) is told plainly; the first one's receipt says nothing of it.
    const secondWho: Who = second.by === 'Ann Lead' ? 'ann' : 'bob';
    const firstWho: Who = secondWho === 'ann' ? 'bob' : 'ann';
    expect(texts[secondWho]).toContain(`${first.by} recorded ${first.to === 'amber' ? 'Amber' : 'Green'} moments before you.`);
    expect(texts[secondWho]).toContain('Both reports are in the history');
    expect(texts[firstWho]).not.toContain('moments before');
    expectValidCards([ann.value, bob.value]);

    // Every copy of the prompt ends showing the latest report, and that it followed the other one.
    await running.bot.idle();
    for (const card of [annCard, bobCard]) {
      const shown = shownNow(teams, card);
      expect(shown).toContain(`Recorded: ${second.to === 'amber' ? 'Amber' : 'Green'}`);
      expect(shown).toContain(`${first.by} recorded`);
      expect(shown).not.toContain('moments before you');
    }
  });

  it('a replayed invoke (the same answer again, or twice at once) adds no second history row', async () => {
    const item = items[1]!;
    const card = promptData(promptFor(teams, 'ann', item.key));
    const replayed = answer(card, { rag: 'red', note: 'No trainer until April', revisedDate: '2019-04-30' });
    const [a, b] = await Promise.all([post(invoke(teams, 'ann', replayed)), post(invoke(teams, 'ann', replayed))]);
    expect(cardText(a.value)).toContain('Recorded: Red');
    expect(cardText(b.value)).toContain('Recorded: Red');
    const again = await post(invoke(teams, 'ann', replayed));
    expect(cardText(again.value)).toContain('Recorded: Red');
    expect(cardText(again.value)).not.toContain('moments before');
    const history = await store.history(planId, item.key);
    expect(history).toEqual([
      expect.objectContaining({
        by: 'Ann Lead',
        from: 'not-reported',
        to: 'red',
        note: 'No trainer until April',
        revisedDate: '2019-04-30',
      }),
    ]);

    // Bob, on his copy from before Ann's answer, with a different answer: recorded after hers.
    const bob = await post(
      invoke(teams, 'bob', answer(promptData(promptFor(teams, 'bob', item.key)), { rag: 'amber', note: 'Trainer found for March' })),
    );
    expect(cardText(bob.value)).toContain('Ann Lead recorded Red moments before you.');
    expect((await store.history(planId, item.key)).map((u) => `${u.by}: ${u.from} → ${u.to}`)).toEqual([
      'Ann Lead: not-reported → red',
      'Bob Youth: red → amber',
    ]);
  });

  it('a card whose plan content changed since it was sent is stale: refused, values kept, nothing written', async () => {
    const item = (await store.getItem(planId, items[0]!.key))!;
    const card = promptData(promptFor(teams, 'ann', item.key));
    const before = await store.history(planId, item.key);
    await store.updateItem(planId, item.key, { milestones: ['2019-03-31'] }, item.version);
    const res = await post(invoke(teams, 'ann', answer(card, { rag: 'green', note: 'Done' })));
    const t = cardText(res.value);
    expect(t).toContain('this item was changed in the plan after this card was sent');
    expect(t).toContain('Done');
    expectValidCards([res.value]);
    expect(await store.history(planId, item.key)).toEqual(before);
  });
});

describe('on the Graph store (emulator with latency)', () => {
  let emulator: GraphEmulator;
  let teams: StandIn;
  let rt: BotRuntime;
  let store: PlanStore;
  let planId: string;
  let items: StoredItem[];
  let site: string;
  const clock = new FixedClock(`${DAY}T08:00:00Z`);

  beforeAll(async () => {
    emulator = await startEmulator();
    teams = await startTeamsStandIn();
    site = await freshSite(emulator);
    store = graphStore(emulator, site);
    ({ planId, items } = await setUp(store));
    rt = createBotRuntime({ config: loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:' }), store, logger, clock });
    for (const who of ['ann', 'bob'] as Who[]) await rt.bot.remember(activity(teams, who, { type: 'installationUpdate', action: 'add' }));
    await rt.bot.runPrompts(DAY);
  });

  afterAll(async () => {
    await rt?.close();
    await teams?.close();
    await emulator?.stop();
  });

  afterEach(() => emulator.setFaults({}));

  it('the bot records both racing answers after each other, under latency', async () => {
    const item = items[0]!;
    emulator.setFaults({ latencyMs: 15 });
    clock.set(`${DAY}T10:00:00Z`);
    const [ann, bob] = await Promise.all([
      rt.bot.handleCardAction(
        invoke(teams, 'ann', answer(promptData(promptFor(teams, 'ann', item.key)), { rag: 'green', note: 'On track' })),
      ),
      rt.bot.handleCardAction(
        invoke(teams, 'bob', answer(promptData(promptFor(teams, 'bob', item.key)), { rag: 'amber', note: 'Late report from partner' })),
      ),
    ]);
    const texts = [cardText(ann.value), cardText(bob.value)];
    expect(texts.every((t) => t.includes('Recorded:'))).toBe(true);
    expect(texts.filter((t) => t.includes('moments before you'))).toHaveLength(1);
    const history = await store.history(planId, item.key);
    expect(history.map((u) => u.by).sort()).toEqual(['Ann Lead', 'Bob Youth']);
    expect(history[1]!.from).toBe(history[0]!.to);
    expect(emulator.listItems(site, 'Delivery Plan Updates').filter((r) => r.ItemRef === itemRef(planId, item.key))).toHaveLength(2);
    await rt.bot.idle();
  });

  it('racing answers under 429 / 503 / 504 after applying / 409 save conflicts / dropped connections: every report in history once, in order', async () => {
    // Other items of the same leads (the ones due on DAY are taken by the tests around), with cards
    // made from the items as they are now.
    const targets = (await store.listItems(planId))
      .filter((i) => i.leads.includes(ROLE) && !items.some((t) => t.key === i.key))
      .slice(0, 4);
    expect(targets).toHaveLength(4);
    emulator.setFaults(
      {
        throttleRate: 0.15,
        batchItemThrottleRate: 0.1,
        unavailableRate: 0.1,
        retryAfterSeconds: 1,
        dropBeforeRate: 0.05,
        dropAfterRate: 0.05,
        applyThen504Rate: 0.05,
        saveConflictRate: 0.05,
        latencyMs: 3,
      },
      5,
    );
    emulator.resetStats();
    clock.set(`${DAY}T11:00:00Z`);
    for (const item of targets) {
      const card = entryActionData({ item, slot: '' }, undefined);
      const results = await Promise.all([
        rt.bot.handleCardAction(invoke(teams, 'ann', { ...card, rag: 'green', note: '' })),
        rt.bot.handleCardAction(invoke(teams, 'bob', { ...card, rag: 'red', note: 'Blocked' })),
      ]);
      expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(results.map((r) => (/^Recorded: /m.test(cardText(r.value)) ? 'recorded' : cardText(r.value).split('\n')[0]))).toEqual([
        'recorded',
        'recorded',
      ]);
    }
    expect(emulator.stats.throttled + emulator.stats.unavailable + emulator.stats.dropped).toBeGreaterThan(0);
    emulator.setFaults({});
    for (const item of targets) {
      const history = await store.history(planId, item.key);
      expect(history.map((u) => u.by).sort()).toEqual(['Ann Lead', 'Bob Youth']);
      expect(history[0]!.from).toBe('not-reported');
      expect(history[1]!.from).toBe(history[0]!.to);
      expect(emulator.listItems(site, 'Delivery Plan Updates').filter((r) => r.ItemRef === itemRef(planId, item.key))).toHaveLength(2);
    }
    await rt.bot.idle();
  });

  it('the store itself: the same expected version twice at once, one ConflictError, nothing half-written', async () => {
    const item = (await store.getItem(planId, items[1]!.key))!;
    emulator.setFaults({ latencyMs: 10 });
    const change = (by: string, to: 'red' | 'green') => ({
      to,
      by,
      at: new Date().toISOString(),
      ...(to === 'red' ? { note: 'blocked' } : {}),
    });
    const results = await Promise.allSettled([
      store.updateStatus(planId, item.key, change('Ann Lead', 'green'), item.version),
      store.updateStatus(planId, item.key, change('Bob Youth', 'red'), item.version),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    const history = await store.history(planId, item.key);
    expect(history).toHaveLength(1);
    // The loser re-reads and records after the winner: both rows, in order.
    const current = (lost[0]!.reason as ConflictError).current as StoredItem;
    const loserBy = history[0]!.by === 'Ann Lead' ? 'Bob Youth' : 'Ann Lead';
    await store.updateStatus(planId, item.key, change(loserBy, loserBy === 'Ann Lead' ? 'green' : 'red'), current.version);
    const both = await store.history(planId, item.key);
    expect(both.map((u) => u.by)).toEqual([history[0]!.by, loserBy]);
    expect(both[1]!.from).toBe(both[0]!.to);
  });
});

describe('the ConflictError path, forced: both answers read the item before either writes', () => {
  it('the second write conflicts, the bot re-reads and records it after the first', async () => {
    const teams = await startTeamsStandIn();
    const inner = new SqlitePlanStore(':memory:');
    const { planId, items } = await setUp(inner);
    const item = items[0]!;
    // A barrier in getItem: the first two reads of the item wait for each other.
    let waiting: Array<() => void> = [];
    let armed = false;
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'getItem') {
          return async (p: string, k: string) => {
            const found = await target.getItem(p, k);
            if (armed && k === item.key) {
              await new Promise<void>((resolve) => {
                waiting.push(resolve);
                if (waiting.length === 2) {
                  armed = false;
                  waiting.forEach((w) => w());
                  waiting = [];
                }
              });
            }
            return found;
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const conflicts: string[] = [];
    const updateStatus = inner.updateStatus.bind(inner);
    inner.updateStatus = async (...args) => {
      try {
        return await updateStatus(...args);
      } catch (err) {
        if (err instanceof ConflictError) conflicts.push(args[2].by);
        throw err;
      }
    };
    const clock = new FixedClock(`${DAY}T08:00:00Z`);
    const rt = createBotRuntime({
      config: loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:' }),
      store,
      logger,
      clock,
    });
    try {
      for (const who of ['ann', 'bob'] as Who[]) await rt.bot.remember(activity(teams, who, { type: 'installationUpdate', action: 'add' }));
      await rt.bot.runPrompts(DAY);
      armed = true;
      const [ann, bob] = await Promise.all([
        rt.bot.handleCardAction(invoke(teams, 'ann', answer(promptData(promptFor(teams, 'ann', item.key)), { rag: 'green', note: '' }))),
        rt.bot.handleCardAction(invoke(teams, 'bob', answer(promptData(promptFor(teams, 'bob', item.key)), { rag: 'red', note: 'Stuck' }))),
      ]);
      expect(conflicts).toHaveLength(1);
      const history = await inner.history(planId, item.key);
      expect(history).toHaveLength(2);
      expect(history[1]!.by).toBe(conflicts[0]);
      expect(history[1]!.from).toBe(history[0]!.to);
      const second = history[1]!.by === 'Ann Lead' ? ann : bob;
      expect(cardText(second.value)).toContain(
        `${history[0]!.by} recorded ${history[0]!.to === 'red' ? 'Red' : 'Green'} moments before you.`,
      );
      await rt.bot.idle();
    } finally {
      await rt.close();
      await inner.close();
      await teams.close();
    }
  });

  it('a newer prompt to the same person supersedes the older card once the item has changed', async () => {
    const teams = await startTeamsStandIn();
    const store = new SqlitePlanStore(':memory:');
    const { planId, items } = await setUp(store);
    const item = items[0]!;
    const clock = new FixedClock('2019-01-31T08:00:00Z');
    const rt = createBotRuntime({
      config: loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:' }),
      store,
      logger,
      clock,
    });
    try {
      for (const who of ['ann', 'bob'] as Who[]) await rt.bot.remember(activity(teams, who, { type: 'installationUpdate', action: 'add' }));
      await rt.bot.runPrompts('2019-01-31'); // 28 days before
      const old = promptData(promptFor(teams, 'bob', item.key));
      clock.set(`${DAY}T08:00:00Z`);
      await rt.bot.runPrompts(DAY); // due today: a newer prompt to both
      const fresh = teams
        .sends('a:ann-1on1')
        .filter((c) => !!recordActionFor(cardOf(c), item.key))
        .map((c): Prompt => ({ ...c, itemKey: item.key }))
        .at(-1)!;
      expect(promptData(fresh).promptId).not.toBe(old.promptId);
      await rt.bot.handleCardAction(invoke(teams, 'ann', answer(promptData(fresh), { rag: 'green', note: '' })));
      const res = await rt.bot.handleCardAction(invoke(teams, 'bob', answer(old, { rag: 'amber', note: 'From the old card' })));
      expect(cardText(res.value)).toContain('Not recorded: a newer card asks about this item');
      expect(await store.history(planId, item.key)).toHaveLength(1);
      await rt.bot.idle();
    } finally {
      await rt.close();
      await store.close();
      await teams.close();
    }
  });
});

describe('the receipt after a race', () => {
  const item = {
    ...makePlan(1).items[0]!,
    planId: 'p',
    version: '3',
    status: 'green' as const,
    lastUpdate: { at: '2019-02-28T10:00:30.000Z', by: 'Bob Youth' },
  };

  const receiptCard = (input: { item: typeof item; toAnswerer?: boolean; earlier: EarlierReport[] }) =>
    fitDailyCard({
      planId: 'p',
      date: '2019-02-28',
      entries: [
        {
          item: input.item,
          slot: '',
          ask: { reason: 'requested' },
          state: { kind: 'receipt', earlier: input.earlier, ...(input.toAnswerer ? { toAnswerer: true } : {}) },
        },
      ],
    }).card;

  it('says "moments before" for a report just before, and when it was for an older one', () => {
    const card = receiptCard({
      item,
      toAnswerer: true,
      earlier: [
        { by: 'Ann Lead', to: 'amber', at: '2019-02-28T10:00:29.000Z' },
        { by: 'Cath Safety', to: 'red', at: '2019-02-27T09:00:00.000Z' },
      ],
    });
    const t = cardText(card);
    expect(t).toContain('Ann Lead recorded Amber moments before you.');
    expect(t).toContain('Cath Safety recorded Red before you, Wednesday 27 February 2019');
    expect(t).toContain('All these reports are in the history; yours is the latest.');
    expectValidCards([card]);
  });

  it('other recipients\' copies name the person instead of "you"', () => {
    const t = cardText(receiptCard({ item, earlier: [{ by: 'Ann Lead', to: 'amber', at: '2019-02-28T10:00:29.000Z' }] }));
    expect(t).toContain('Ann Lead recorded Amber moments before Bob Youth.');
    expect(t).toContain('Both reports are in the history; the one below is the latest.');
    expect(t).not.toContain('you');
  });
});
