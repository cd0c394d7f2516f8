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
import { cardOf, cardText, startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';

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

/** Prompt cards sent to a conversation (cards with a recordStatus action). */
function prompts(conversationId: string) {
  return teams
    .sends(conversationId)
    .filter((c) => ((cardOf(c)?.actions as Array<{ verb?: string }> | undefined) ?? []).some((a) => a.verb === 'recordStatus'));
}

function promptData(call: { body: unknown }): Record<string, unknown> {
  const card = cardOf(call as never)!;
  const actions = card.actions as Array<{ verb: string; data: Record<string, unknown> }>;
  return actions.find((a) => a.verb === 'recordStatus')!.data;
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

  it('sends each lead one prompt per item, once, however often the run is repeated', async () => {
    const service = running.bot;
    const before = teams.sends().length;
    const report = await service.runPrompts('2018-09-02');
    const all = teams.sends().slice(before);
    const sent = all.filter((c) => c.conversationId !== 'a:cora-1on1');
    // Prevent Co-ordinator items due 30 September (28 days): Ann and Bob; Bob's youth items too.
    expect(report.totals.sent).toBe(sent.length);
    // Roles with nobody in the directory are reported to the co-ordinator the same day.
    const notices = all.filter((c) => c.conversationId === 'a:cora-1on1');
    expect(notices).toHaveLength(1);
    expect(cardText(cardOf(notices[0]!))).toContain('Leads Teams could not reach');
    expect(report.lines.filter((l) => l.outcome === 'no-person').map((l) => l.role)).toContain('Youth Engagement Officer');
    const byConv = (cid: string) => sent.filter((c) => c.conversationId === cid).length;
    expect(byConv('a:ann-1on1')).toBe(2);
    expect(byConv('a:bob-1on1')).toBe(5);
    expect(report.lines.filter((l) => l.outcome === 'unreachable').map((l) => l.person?.name)).toEqual([]);
    const checks = expectValidCards(sent.map((c) => cardOf(c)));
    expect(Math.max(...checks.map((c) => c.bytes))).toBeLessThan(28 * 1024);
    const card = cardOf(sent[0]!)!;
    expect(sent[0]!.body).toMatchObject({ summary: expect.stringMatching(/^Update needed: .+ \(due in 28 days\)$/) });
    expect(card.version).toBe('1.5');
    expect(cardText(card)).toContain('Sunday 30 September 2018 (in 28 days)');
    expect(card.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'refreshPrompt' },
      userIds: [expect.stringMatching(/^29:/)],
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
    const prompt = prompts('a:ann-1on1').find((c) => cardText(cardOf(c)).includes('Performance Management Framework'))!;
    const data = promptData(prompt);
    const res = await execute('ann', { ...data, rag: 'amber', note: '', figure_0: '', revisedDate: '2018-10-31' }, prompt.activityId);
    expect(res.status).toBe(200);
    const body = res.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(body.value);
    expect(text).toContain('A note is required for Amber');
    const rag = (body.value.body as Array<Record<string, unknown>>).find((e) => e.id === 'rag');
    expect(rag?.value).toBe('amber');
    const revised = (body.value.body as Array<Record<string, unknown>>).find((e) => e.id === 'revisedDate');
    expect(revised?.value).toBe('2018-10-31');
    // No automatic refresh on a refusal: it would wipe what the person typed.
    expect(body.value.refresh).toBeUndefined();
    expectValidCards([body.value]);
    expect((await store.history(planId, data.itemKey as string)).length).toBe(0);
  });

  it('records an answer, replaces the card for everyone who got it, and refuses the stale copy', async () => {
    const annPrompt = prompts('a:ann-1on1').find((c) => cardText(cardOf(c)).includes('Performance Management Framework'))!;
    const bobPrompt = prompts('a:bob-1on1').find((c) => cardText(cardOf(c)).includes('Performance Management Framework'))!;
    const data = promptData(annPrompt);
    clock.set('2018-09-03T09:15:00Z');
    const res = await execute('ann', { ...data, rag: 'amber', note: 'Dashboard data late from the police', figure_0: '' });
    const body = res.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    const text = cardText(body.value);
    expect(text).toContain('Recorded: Amber');
    expect(text).toContain('Ann Lead');
    expect(text).toContain('Monday 3 September 2018 at 10:15');
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
    const replaced = teams.updates().filter((u) => u.activityId === annPrompt.activityId || u.activityId === bobPrompt.activityId);
    expect(replaced.map((u) => u.conversationId).sort()).toEqual(['a:ann-1on1', 'a:bob-1on1']);
    for (const u of replaced) expect(cardText(cardOf(u))).toContain('Recorded: Amber');
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
    const stale = (await execute('bob', { ...promptData(bobPrompt), rag: 'green', note: 'All fine from my side' })).body as InvokeBody;
    const staleText = cardText(stale.value);
    expect(staleText).toContain('this item was changed in the plan after this card was sent');
    expect(staleText).toContain('Framework signed off by the board');
    expect(staleText).toContain('All fine from my side');
    expect((await store.getItem(planId, item.key))!.status).toBe('amber');
    expect(await store.history(planId, item.key)).toHaveLength(1);
    const action = (stale.value.actions as Array<{ data: Record<string, unknown> }>)[0]!;
    expect(action.data.version).toBe(edited.version);
    expectValidCards([stale.value]);
  });

  it('refreshes an old copy of a prompt into the receipt, and an unanswered one into the current prompt', async () => {
    const refresh = (who: Who, data: Record<string, unknown>) =>
      post(
        activity(who, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'refreshPrompt', data }, trigger: 'automatic' },
        }),
      );
    const answered = prompts('a:bob-1on1').find((c) => cardText(cardOf(c)).includes('Performance Management Framework'))!;
    const r1 = (await refresh('bob', promptData(answered))).body as InvokeBody;
    expect(cardText(r1.value)).toContain('Recorded: Amber');
    const open = prompts('a:bob-1on1').find((c) => cardText(cardOf(c)).includes('Review existing assessment frameworks'))!;
    const r2 = (await refresh('bob', promptData(open))).body as InvokeBody;
    expect(cardText(r2.value)).toContain('Sunday 30 September 2018 (in 28 days)');
    expect((r2.value.actions as Array<{ verb: string }>)[0]!.verb).toBe('recordStatus');
    expectValidCards([r1.value, r2.value]);
  });

  it('refuses people who are not leads, and lets a co-ordinator (matched by UPN) answer', async () => {
    const bobPrompt = prompts('a:bob-1on1').find((c) => cardText(cardOf(c)).includes('Youth Outreach Plan'))!;
    const data = promptData(bobPrompt);
    const refused = (await execute('carol', { ...data, rag: 'green', note: 'not mine' })).body as InvokeBody;
    expect(cardText(refused.value)).toContain('you are not a lead for this item');
    expect(cardText(refused.value)).toContain('not mine');
    expect(refused.value.actions).toBeUndefined();
    expect((await store.getItem(planId, data.itemKey as string))!.status).toBe('not-reported');

    const byCoordinator = (await execute('cora', { ...data, rag: 'red', note: 'Plan stalled: no youth worker', revisedDate: '2018-12-31' }))
      .body as InvokeBody;
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
    // Escalations and unreachable leads went to the co-ordinator.
    const toCora = teams.sends('a:cora-1on1').map((c) => cardText(cardOf(c)));
    expect(toCora.some((t) => t.includes('needs your attention') && t.includes('Dan Comms'))).toBe(true);
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
