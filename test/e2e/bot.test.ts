/**
 * End to end: the real app (startApp, port 0, LOCAL_MODE) with the SQLite store holding the
 * shared plan; Bot Framework activities POSTed over HTTP to /api/messages; the bot's outgoing calls
 * captured by a local stand-in for the Teams service URL; every card validated at Adaptive Cards
 * 1.5 with Microsoft's library and checked under 28 KB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import type { StoredItem } from '../../src/store/planStore';
import { createBotRuntime } from '../../src/bot/runtime';
import { expectValidCards } from '../support/validateCard';
import { cardOf, cardText, startTeamsStandIn, type RecordedCall, type StandIn } from '../bot/support/teamsStandIn';
import {
  cardItemKeys,
  pressed,
  recordActionFor,
  recordActions,
  recordAllAction,
  slotInputs,
  type ExecuteAction,
} from '../bot/support/cardActions';

import { SHARED_PLAN } from '../support/paths';
const BOT = { id: '28:dplan-bot', name: 'Delivery Plan' };
const TENANT = 'tenant-1';
const people = {
  ann: { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lead' },
  bob: { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Youth' },
  carol: { id: '29:carol', aadObjectId: 'aad-carol', name: 'Carol Elsewhere' },
  cora: { id: '29:cora', aadObjectId: 'aad-cora', name: 'Cora Coordinator' },
};
type Who = keyof typeof people;

let dir: string;
let teams: StandIn;
let running: RunningApp;
let store: SqlitePlanStore;
let planId: string;
const clock = new FixedClock('2018-09-02T07:00:00Z'); // Sunday 2 September 2018, 08:00 London
let seq = 0;
let logged: ReturnType<typeof capturingLogger>;
/** Item titles by key. */
const titles = new Map<string, string>();

function activity(who: Who, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `in-${++seq}`,
    channelId: 'msteams',
    serviceUrl: teams.url,
    timestamp: clock.now().toISOString(),
    from: people[who],
    recipient: BOT,
    conversation: { id: `a:${who}-1on1`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  };
}

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${running.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

function install(who: Who) {
  return post(activity(who, { type: 'installationUpdate', action: 'add' }));
}

function execute(who: Who, data: Record<string, unknown>, replyToId?: string) {
  return post(
    activity(who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      ...(replyToId ? { replyToId } : {}),
      value: { action: { type: 'Action.Execute', verb: 'recordStatus', data }, trigger: 'manual' },
    }),
  );
}

interface InvokeBody {
  statusCode: number;
  type: string;
  value: Record<string, unknown>;
}

/** The card sent to a conversation that asks about the item whose title has these words, and that item. */
function cardAsking(conversationId: string, words: string): RecordedCall & { itemKey: string } {
  // Daily cards only (the status card's report form has a Record button too).
  for (const c of teams.sends(conversationId).filter((x) => /^Update needed/.test(String((x.body as { summary?: string }).summary)))) {
    const button = recordActions(cardOf(c)).find((b) => itemTitleOf(b).includes(words));
    if (button) return { ...c, itemKey: String(button.data.itemKey) };
  }
  throw new Error(`no card to ${conversationId} asks about "${words}"`);
}

/** The title of the item a Record button answers (its section's first line). */
function itemTitleOf(button: ExecuteAction): string {
  return titles.get(String(button.data.itemKey)) ?? '';
}

/** The item's Record button data on the card. */
function promptData(call: RecordedCall & { itemKey: string }): Record<string, unknown> {
  return recordActionFor(cardOf(call), call.itemKey)!.data;
}

/** What Teams sends for the item's button with these values in its inputs. */
function answer(data: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  return { ...data, ...slotInputs({ data } as ExecuteAction, values) };
}

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

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bot-e2e-'));
  teams = await startTeamsStandIn();
  teams.members.set('29:cora', { id: '29:cora', userPrincipalName: 'cora@council.example', aadObjectId: 'aad-cora' });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    COORDINATOR_IDS: 'cora@council.example',
    TEAMS_APP_ID: '6f1c2a4e-1111-4222-8333-944455556666',
    PUBLIC_URL: 'https://plan.example.gov.uk',
    SCHEDULER: 'false',
  });
  store = new SqlitePlanStore(config.SQLITE_PATH);
  const parsed = await readPlanFile(SHARED_PLAN);
  planId = (await store.importPlan(parsed)).planId;
  for (const i of await store.listItems(planId)) titles.set(i.key, i.title);
  await store.setPeople(planId, 'Prevent Co-ordinator', [
    { id: 'aad-ann', name: 'Ann Lead' },
    { id: 'aad-bob', name: 'Bob Youth' },
  ]);
  await store.setPeople(planId, 'Head of Integrated Youth and Community Service', [{ id: 'aad-bob', name: 'Bob Youth' }]);
  await store.setPeople(planId, 'Communications Manager', [{ id: 'aad-dan', name: 'Dan Comms' }]);
  // Everything the app logs, down to trace (the SDK logs each activity at debug): notes must never appear.
  logged = capturingLogger('trace');
  running = await startApp({ config, store, logger: logged.logger, clock }, { port: 0 });
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  await teams?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the bot at /api/messages', () => {
  it('stores the conversation on install and says hello with a valid card', async () => {
    for (const who of ['ann', 'bob', 'carol', 'cora'] as Who[]) expect((await install(who)).status).toBe(200);
    await running.bot.idle();
    // The team channel for the digest.
    const team = await post({
      ...activity('cora', { type: 'conversationUpdate', membersAdded: [BOT] }),
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team: { id: '19:general@thread.tacv2' }, eventType: 'teamMemberAdded' },
    });
    expect(team.status).toBe(200);
    // Teams also sends conversationUpdate on a personal install: no second hello.
    await post(activity('ann', { type: 'conversationUpdate', membersAdded: [BOT, people.ann] }));
    const hellos = teams.sends('a:ann-1on1');
    expect(hellos).toHaveLength(1);
    expect(cardText(cardOf(hellos[0]!))).toContain('my actions');
    expect(hellos[0]!.body).toMatchObject({ type: 'message', from: { id: BOT.id }, conversation: { id: 'a:ann-1on1' } });
    expect(teams.sends('19:general@thread.tacv2')).toHaveLength(0);
  });

  it('answers "my actions" and "status <item>" in 1:1 chat', async () => {
    const before = teams.sends('a:bob-1on1').length;
    expect((await post(activity('bob', { type: 'message', text: 'my actions' }))).status).toBe(200);
    const mine = teams.sends('a:bob-1on1').slice(before);
    expect(mine).toHaveLength(1);
    const text = cardText(cardOf(mine[0]!));
    expect(text).toContain('Develop a Youth Outreach Plan to engage young people');
    expect(text).toContain('Develop a Performance Management Framework for Prevent');
    expect(text).not.toContain('Develop a comprehensive Prevent Communication Strategy');

    await post(activity('bob', { type: 'message', text: 'status youth outreach' }));
    const status = teams.sends('a:bob-1on1').at(-1)!;
    expect(cardText(cardOf(status))).toContain('Head of Integrated Youth and Community Service');
    expectValidCards([cardOf(mine[0]!), cardOf(status)]);
  });

  it('sends each lead one card a day listing every item they are asked about, once, however often the run is repeated', async () => {
    const service = running.bot;
    const before = teams.sends().length;
    const report = await service.runPrompts('2018-09-02');
    const all = teams.sends().slice(before);
    const sent = all.filter((c) => c.conversationId !== 'a:cora-1on1');
    // Prevent Co-ordinator items due 30 September (28 days): Ann and Bob; Bob's youth items too. One card each.
    expect(report.totals.sent).toBe(sent.length);
    // Roles with nobody in the directory are reported to the co-ordinator the same day.
    const notices = all.filter((c) => c.conversationId === 'a:cora-1on1');
    expect(notices).toHaveLength(1);
    expect(cardText(cardOf(notices[0]!))).toContain('Leads Teams could not reach');
    expect(report.lines.filter((l) => l.outcome === 'no-person').map((l) => l.role)).toContain('Youth Engagement Officer');
    const byConv = (cid: string) => sent.filter((c) => c.conversationId === cid);
    expect(byConv('a:ann-1on1')).toHaveLength(1);
    expect(byConv('a:bob-1on1')).toHaveLength(1);
    expect(cardItemKeys(cardOf(byConv('a:ann-1on1')[0]!))).toHaveLength(2);
    expect(cardItemKeys(cardOf(byConv('a:bob-1on1')[0]!))).toHaveLength(5);
    expect(report.lines.filter((l) => l.outcome === 'unreachable').map((l) => l.person?.name)).toEqual([]);
    const checks = expectValidCards(sent.map((c) => cardOf(c)));
    expect(Math.max(...checks.map((c) => c.bytes))).toBeLessThan(28 * 1024);
    const bobs = byConv('a:bob-1on1')[0]!;
    expect(bobs.body).toMatchObject({ summary: expect.stringMatching(/^Update needed on 5 items: .+ and 4 more$/) });
    const card = cardOf(bobs)!;
    expect(card.version).toBe('1.5');
    expect(cardText(card)).toContain('Milestone due Sunday 30 September 2018 (in 28 days)');
    expect(card.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'refreshCard', data: { planId, promptId: expect.stringMatching(/^[0-9a-f]{16}$/) } },
      userIds: ['29:bob'],
    });

    // Same day again, and a second instance on the same ledger at the same time: nothing more is sent.
    const second = createBotRuntime({
      config: loadConfig({
        NODE_ENV: 'test',
        LOCAL_MODE: 'true',
        SQLITE_PATH: path.join(dir, 'plan.sqlite'),
        BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
      }),
      store,
      logger: createLogger('silent'),
      clock,
    });
    const [again, other] = await Promise.all([service.runPrompts('2018-09-02'), second.bot.runPrompts('2018-09-02')]);
    await second.close();
    expect(teams.sends().length).toBe(before + all.length);
    expect(again.totals.sent ?? 0).toBe(0);
    expect(other.totals.sent ?? 0).toBe(0);
  });

  it('refuses an Amber answer without a note and keeps what was typed', async () => {
    const prompt = cardAsking('a:ann-1on1', 'Performance Management Framework');
    const data = promptData(prompt);
    const res = await execute('ann', answer(data, { rag: 'amber', note: '', figure_0: '', revisedDate: '2018-10-31' }), prompt.activityId);
    expect(res.status).toBe(200);
    const body = res.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(body.value);
    expect(text).toContain('A note is required for Amber');
    expect(inputValue(body.value, `${data.slot}_rag`)).toBe('amber');
    expect(inputValue(body.value, `${data.slot}_revisedDate`)).toBe('2018-10-31');
    // No automatic refresh on a refusal: it would wipe what the person typed.
    expect(body.value.refresh).toBeUndefined();
    expectValidCards([body.value]);
    expect((await store.history(planId, data.itemKey as string)).length).toBe(0);
  });

  it('records an answer, replaces the card for everyone who got it, and refuses the stale copy', async () => {
    const annPrompt = cardAsking('a:ann-1on1', 'Performance Management Framework');
    const bobPrompt = cardAsking('a:bob-1on1', 'Performance Management Framework');
    const data = promptData(annPrompt);
    clock.set('2018-09-03T09:15:00Z');
    // Ann's profile was looked up once, on install (the co-ordinators are named by UPN, so the bot
    // must know hers): answering calls Teams for nothing but replacing the cards.
    const callsBefore = teams.calls.length;
    const res = await execute('ann', answer(data, { rag: 'amber', note: 'Dashboard data late from the police', figure_0: '' }));
    const body = res.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    const text = cardText(body.value);
    expect(text).toContain('Recorded: Amber');
    expect(text).toContain('Ann Lead');
    expect(text).toContain('Monday 3 September 2018 at 10:15');
    // The item answered shows its receipt; Ann's other item is still there to answer.
    expect(recordActionFor(body.value, data.itemKey as string)).toBeUndefined();
    expect(recordActions(body.value)).toHaveLength(1);
    expect(body.value.actions).toEqual([
      expect.objectContaining({
        type: 'Action.OpenUrl',
        url: expect.stringContaining('https://teams.microsoft.com/l/entity/6f1c2a4e-1111-4222-8333-944455556666/plan?'),
      }),
    ]);
    const item = (await store.getItem(planId, data.itemKey as string)) as StoredItem;
    expect(item.status).toBe('amber');
    expect(await store.history(planId, item.key)).toEqual([
      expect.objectContaining({ to: 'amber', by: 'Ann Lead', note: 'Dashboard data late from the police' }),
    ]);

    await running.bot.idle();
    const during = teams.calls.slice(callsBefore);
    expect(during.map((c) => c.method)).toEqual(during.map(() => 'PUT'));
    expect(during.length).toBeGreaterThan(0);
    const replaced = teams.updates().filter((u) => u.activityId === annPrompt.activityId || u.activityId === bobPrompt.activityId);
    expect(replaced.map((u) => u.conversationId).sort()).toEqual(['a:ann-1on1', 'a:bob-1on1']);
    for (const u of replaced) {
      expect(cardText(cardOf(u))).toContain('Recorded: Amber');
      expect(recordActionFor(cardOf(u), item.key)).toBeUndefined();
    }
    // Bob's copy keeps his other four items open.
    expect(recordActions(cardOf(replaced.find((u) => u.conversationId === 'a:bob-1on1')!))).toHaveLength(4);
    expectValidCards([body.value, ...replaced.map((u) => cardOf(u))]);

    // The co-ordinator changes the item's outputs in the plan; then Bob answers on the copy he got
    // before that: refused as stale (the plan content changed), his input kept. (Another lead's report
    // alone would not make it stale: see test/reliability/concurrentAnswers.test.ts.)
    const edited = await store.updateItem(
      planId,
      item.key,
      { outputs: [...item.outputs, { text: 'Framework signed off by the board' }] },
      item.version,
    );
    const stale = (await execute('bob', answer(promptData(bobPrompt), { rag: 'green', note: 'All fine from my side' }))).body as InvokeBody;
    const staleText = cardText(stale.value);
    expect(staleText).toContain('this item was changed in the plan after this card was sent');
    expect(staleText).toContain('Framework signed off by the board');
    expect(staleText).toContain('All fine from my side');
    expect((await store.getItem(planId, item.key))!.status).toBe('amber');
    expect(await store.history(planId, item.key)).toHaveLength(1);
    expect(recordActionFor(stale.value, item.key)!.data.version).toBe(edited.version);
    expectValidCards([stale.value]);
  });

  it('answers several items on one card: each recorded or refused on its own, each with its receipt and history', async () => {
    await running.bot.idle();
    clock.set('2018-09-03T11:00:00Z');
    // Bob's card: the Performance Management Framework (answered by Ann above) and four youth items.
    const card = cardAsking('a:bob-1on1', 'Youth Outreach Plan');
    // The card as Teams shows it now (Ann's answer replaced it), as Bob presses its button.
    const now = cardOf(
      teams
        .updates('a:bob-1on1')
        .filter((u) => u.activityId === card.activityId)
        .at(-1) ?? card,
    )!;
    const open = recordActions(now);
    expect(open.length).toBe(4);
    const byTitle = (words: string) => open.find((b) => itemTitleOf(b).includes(words))!;
    const outreach = byTitle('Youth Outreach Plan');
    const training = byTitle('Ensure all staff have received relevant training');
    const screening = byTitle('Review existing assessment frameworks');
    const all = recordAllAction(now)!;
    const inputs = {
      ...slotInputs(outreach, { rag: 'green', note: 'Plan drafted with young people' }),
      ...slotInputs(training, { rag: 'amber', note: '', figure_0: '2' }),
      ...slotInputs(screening, { rag: 'complete', note: 'Screening tool in use' }),
    };
    const res = (
      await post(activity('bob', { type: 'invoke', name: 'adaptiveCard/action', replyToId: card.activityId, value: pressed(all, inputs) }))
    ).body as InvokeBody;
    expect(res.statusCode).toBe(200);
    const reply = res.value;
    // Recorded ones show their receipts; the refused one says why, keeps its values, keeps its button.
    expect(recordActionFor(reply, outreach.data.itemKey as string)).toBeUndefined();
    expect(recordActionFor(reply, screening.data.itemKey as string)).toBeUndefined();
    expect(recordActionFor(reply, training.data.itemKey as string)).toBeDefined();
    const text = cardText(reply);
    expect(text).toContain('Recorded: Green');
    expect(text).toContain('Recorded: Complete');
    expect(text).toContain('A note is required for Amber');
    expect(inputValue(reply, `${training.data.slot}_rag`)).toBe('amber');
    expect(inputValue(reply, `${training.data.slot}_figure_0`)).toBe(2);
    expectValidCards([reply]);
    // The history has each recorded item once, by Bob, and nothing for the refused one.
    expect(await store.history(planId, outreach.data.itemKey as string)).toEqual([
      expect.objectContaining({ by: 'Bob Youth', to: 'green', note: 'Plan drafted with young people', via: 'teams' }),
    ]);
    expect(await store.history(planId, screening.data.itemKey as string)).toEqual([
      expect.objectContaining({ by: 'Bob Youth', to: 'complete' }),
    ]);
    expect(await store.history(planId, training.data.itemKey as string)).toEqual([]);

    // He adds the note and answers that one item with its own button.
    const retry = (
      await post(
        activity('bob', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: pressed(
            recordActionFor(reply, training.data.itemKey as string)!,
            slotInputs(training, {
              rag: 'amber',
              note: 'Two of four sessions held',
              figure_0: '2',
              correctiveAction: 'Extra evening sessions in October',
            }),
          ),
        }),
      )
    ).body as InvokeBody;
    expect(cardText(retry.value)).toContain('Recorded: Amber');
    expect(cardText(retry.value)).toContain('Corrective action: Extra evening sessions in October');
    expect(await store.history(planId, training.data.itemKey as string)).toEqual([
      expect.objectContaining({ to: 'amber', figures: { 0: 2 }, correctiveAction: 'Extra evening sessions in October' }),
    ]);
    await running.bot.idle();
    // His card, as Teams shows it now, has every receipt and only the untouched item left to answer.
    const shown = teams
      .updates('a:bob-1on1')
      .filter((u) => u.activityId === card.activityId)
      .at(-1)!;
    expect(recordActions(cardOf(shown)).map((b) => b.data.itemKey)).toEqual(
      open.map((b) => b.data.itemKey).filter((k) => ![outreach, training, screening].some((x) => x.data.itemKey === k)),
    );
  });

  it('refreshes a card into what it is now: receipts for answered items, the others still to answer', async () => {
    const refresh = (who: Who, verb: string, data: Record<string, unknown>) =>
      post(
        activity(who, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb, data }, trigger: 'automatic' },
        }),
      );
    const bobs = cardAsking('a:bob-1on1', 'Performance Management Framework');
    const r1 = (
      await refresh(
        'bob',
        'refreshCard',
        cardOf(bobs)!.refresh ? (cardOf(bobs)!.refresh as { action: { data: Record<string, unknown> } }).action.data : {},
      )
    ).body as InvokeBody;
    expect(cardText(r1.value)).toContain('Recorded: Amber');
    expect(recordActions(r1.value).length).toBeGreaterThan(0);
    expect(cardText(r1.value)).toContain('Milestone due Sunday 30 September 2018 (in 28 days)');
    // A single-item card from before daily cards (refreshPrompt with no card id) shows the item as it is.
    const item = (await store.listItems(planId)).find((i) => i.title.startsWith('Develop a Youth Outreach Plan'))!;
    const r2 = (await refresh('bob', 'refreshPrompt', { planId, itemKey: item.key, version: 'an-old-version' })).body as InvokeBody;
    expect(cardText(r2.value)).toContain('Recorded: Green');
    expectValidCards([r1.value, r2.value]);
  });

  it('refuses people who are not leads, and lets a co-ordinator (matched by UPN) answer', async () => {
    // Carol leads nothing: she tries the item still open on Ann's card.
    const data = promptData(cardAsking('a:ann-1on1', 'Host two Community Roundtable events'));
    const refused = (await execute('carol', answer(data, { rag: 'green', note: 'not mine' }))).body as InvokeBody;
    expect(cardText(refused.value)).toContain('you are not a lead for this item');
    expect(cardText(refused.value)).toContain('not mine');
    expect(recordActionFor(refused.value, data.itemKey as string)).toBeUndefined();
    expect((await store.getItem(planId, data.itemKey as string))!.status).toBe('not-reported');

    const byCoordinator = (
      await execute('cora', answer(data, { rag: 'red', note: 'Plan stalled: no youth worker', revisedDate: '2018-12-31' }))
    ).body as InvokeBody;
    expect(cardText(byCoordinator.value)).toContain('Recorded: Red');
    expect(cardText(byCoordinator.value)).toContain('Monday 31 December 2018');
    expect((await store.getItem(planId, data.itemKey as string))!.lastUpdate?.revisedDate).toBe('2018-12-31');
  });

  it('posts the weekly digest to the channel, once, with a deep link to the tab', async () => {
    await running.bot.idle();
    const now = new Date('2018-09-10T08:00:00Z'); // Monday 10 September, 09:00 London
    clock.set(now);
    const [report] = await running.bot.runDigest(now);
    expect(report!.outcome).toBe('sent');
    const posted = teams.sends('19:general@thread.tacv2');
    expect(posted).toHaveLength(1);
    const card = cardOf(posted[0]!)!;
    const text = cardText(card);
    expect(text).toContain('weekly digest');
    expect(text).toContain('Develop a Performance Management Framework for Prevent: Not reported → Amber (Ann Lead)');
    expect(text).toContain('Dan Comms: the app is not installed for them');
    expect(text).toContain('Develop a Partnership Community Engagement Plan: due Tuesday 31 July 2018');
    const link = (card.actions as Array<{ url: string }>)[0]!.url;
    const u = new URL(link);
    expect(u.pathname).toBe('/l/entity/6f1c2a4e-1111-4222-8333-944455556666/plan');
    expect(JSON.parse(u.searchParams.get('context')!)).toEqual({ subEntityId: planId, channelId: '19:general@thread.tacv2' });
    expectValidCards([card]);
    // Escalations went to the co-ordinator; who cannot be reached is in the digest, counted, not listed twice.
    const toCora = teams.sends('a:cora-1on1').map((c) => cardText(cardOf(c)));
    const attention = toCora.filter((t) => t.includes('needs your attention')).at(-1)!;
    expect(attention).toMatch(/\d+ leads are listed in this week's digest\./);
    expect(attention).not.toContain('Dan Comms');
    const again = await running.bot.runDigest(now);
    expect(again[0]!.outcome).toBe('already-sent');
    expect(teams.sends('19:general@thread.tacv2')).toHaveLength(1);
  });

  it('handles removal: a lead who removed the app is reported, not silently skipped', async () => {
    expect((await post(activity('bob', { type: 'installationUpdate', action: 'remove' }))).status).toBe(200);
    const before = teams.sends('a:bob-1on1').length;
    // Sunday 16 September: 14 days before the 30 September milestones.
    clock.set('2018-09-16T07:00:00Z');
    const report = await running.bot.runPrompts('2018-09-16');
    expect(teams.sends('a:bob-1on1').length).toBe(before);
    const bobLines = report.lines.filter((l) => l.person?.name === 'Bob Youth');
    expect(bobLines.length).toBeGreaterThan(0);
    expect(bobLines.every((l) => l.outcome === 'unreachable' && /removed the app/.test(l.detail ?? ''))).toBe(true);
    await running.bot.idle();
    const notice = teams.sends('a:cora-1on1').at(-1)!;
    expect(cardText(cardOf(notice))).toContain('Bob Youth');
  });

  it('answers help in the team channel thread it was @mentioned in', async () => {
    const thread = '19:general@thread.tacv2;messageid=1536000000000';
    const res = await post({
      ...activity('cora', {
        type: 'message',
        text: '<at>Delivery Plan</at> help',
        entities: [{ type: 'mention', mentioned: BOT, text: '<at>Delivery Plan</at>' }],
      }),
      conversation: { id: thread, conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team: { id: '19:general@thread.tacv2' } },
    });
    expect(res.status).toBe(200);
    const reply = teams.sends(thread);
    expect(reply).toHaveLength(1);
    expect(cardText(cardOf(reply[0]!))).toContain("Every Monday at 09:00 I post the plan's weekly digest here");
    expectValidCards([cardOf(reply[0]!)]);
  });

  it('never writes a note to the log, even at trace level', () => {
    const all = JSON.stringify(logged.lines());
    expect(logged.lines().length).toBeGreaterThan(10);
    for (const note of ['Dashboard data late from the police', 'All fine from my side', 'Plan stalled: no youth worker', 'not mine'])
      expect(all).not.toContain(note);
  });

  it('replies 400 to an Action.Execute it does not know, and ignores other invokes', async () => {
    const res = await post(
      activity('ann', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'launchRockets', data: {} } },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });
});

/** A logger whose lines are kept, to check what start-up says. */
function capturingLogger(level = 'info'): { logger: ReturnType<typeof createLogger>; lines: () => Array<{ level: number; msg: string }> } {
  const chunks: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void chunks.push(line) });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string }),
  };
}

describe('start-up', () => {
  it('says loudly that local mode accepts unauthenticated activities', async () => {
    const { logger, lines } = capturingLogger();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      SQLITE_PATH: path.join(dir, 'plan3.sqlite'),
      BOT_DB_PATH: ':memory:',
      SCHEDULER: 'false',
    });
    const app = await startApp({ config, store, logger, clock }, { port: 0 });
    await app.close();
    expect(lines().some((l) => l.level === 40 && /LOCAL_MODE: the bot accepts UNAUTHENTICATED activities/.test(l.msg))).toBe(true);
  });
});

describe('outside local mode', () => {
  it('rejects activities without a valid token', async () => {
    const { logger, lines } = capturingLogger();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SQLITE_PATH: path.join(dir, 'plan2.sqlite'),
      BOT_DB_PATH: path.join(dir, 'bot2.sqlite'),
      CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      CLIENT_SECRET: 'not-a-real-secret',
      TENANT_ID: 'tenant-1',
      SCHEDULER: 'false',
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:1/v1/.well-known/openidconfiguration',
    });
    // The forged token makes the SDK fetch signing keys: from a closed local port, never from Microsoft.
    const secured = await startApp({ config, store, logger, clock }, { port: 0 });
    expect(lines().some((l) => /incoming Teams tokens are validated/.test(l.msg))).toBe(true);
    expect(lines().some((l) => /UNAUTHENTICATED/.test(l.msg))).toBe(false);
    expect(JSON.stringify(lines())).not.toContain('not-a-real-secret');
    try {
      const body = activity('ann', { type: 'message', text: 'help' });
      const noToken = await fetch(`${secured.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(noToken.status).toBe(401);
      const forged = await fetch(`${secured.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' },
        body: JSON.stringify(body),
      });
      expect(forged.status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
