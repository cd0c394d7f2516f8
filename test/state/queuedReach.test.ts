/**
 * STATE_STORE=azure meets issue 13: a prompt run queues the cards of leads the bot has never heard
 * from, and the send workers reach them as in-process sending does — Teams refuses the chat (app not
 * installed), the app is installed through Graph, the chat is created and the card sent; the shared
 * ledger says how. The bot's SQLite file is never created (the people cache is in memory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { CARD_ITEM, REASON_CARD } from '../../src/bot/ledger';
import { QUEUED_AGAIN } from '../../src/bot/promptRun';
import { STILL_QUEUED } from '../../src/bot/reachability';
import { promptIdOf } from '../../src/domain/reminders';
import { AzureSendLedger } from '../../src/state/azure/azureSendLedger';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { loadConfig, type Config } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { startTeamsStandIn, type StandIn } from '../bot/support/teamsStandIn';
import { startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { startAzurite, type Azurite } from '../support/azurite';
import { SHARED_PLAN } from '../support/paths';
import { waitUntil } from '../support/waitUntil';

jest.setTimeout(120_000);

const TENANT = '11111111-2222-3333-4444-555555555555';
const CATALOG_APP_ID = 'c0ffee00-aaaa-4bbb-8ccc-000000000015';
const MANIFEST_ID = '6f1c2a4e-1111-4222-8333-944455556615';
const clock = new FixedClock('2018-06-16T07:00:00Z'); // the Q1 check-in: every open item is asked
const oid = (n: number) => `0000000${n}-0000-4000-8000-0000000015${String(n).padStart(2, '0')}`;

let dir: string;
let azurite: Azurite;
let teams: StandIn;
let graph: GraphEmulator;
let store: SqlitePlanStore;
let running: RunningApp;
let planId: string;
let people: string[];
let config: Config;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-queued-reach-'));
  azurite = await startAzurite();
  teams = await startTeamsStandIn();
  graph = await startGraphEmulator({ token: 'default-emulator-token', tenantId: TENANT });
  graph.addCatalogApp({ id: CATALOG_APP_ID, externalId: MANIFEST_ID, displayName: 'Delivery Plan' });
  teams.appInstalledFor = (user) => graph.users.hasApp(user, CATALOG_APP_ID);
  const token = graph.addApp({ appId: MANIFEST_ID, roles: ['TeamsAppInstallation.ReadWriteSelfForUser.All'] });
  config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: ':memory:',
    BOT_DB_PATH: path.join(dir, 'bot.sqlite'),
    SCHEDULER: 'false',
    STATE_STORE: 'azure',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    STATE_PREFIX: 'reach',
    TENANT_ID: TENANT,
    BOT_SERVICE_URL: teams.url,
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_TOKEN: token,
    TEAMS_APP_ID: CATALOG_APP_ID,
  });
  store = new SqlitePlanStore(':memory:');
  planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
  const roles = [...new Set((await store.listItems(planId)).flatMap((i) => i.leads))].sort();
  // Three roles, each one person in the tenant without the app; the other roles have nobody.
  people = [1, 2, 3].map(oid);
  for (const [n, id] of people.entries()) {
    graph.users.addUser(id);
    await store.setPeople(planId, roles[n]!, [{ id, name: `Lead ${n + 1}`, email: `lead${n + 1}@council.example` }]);
  }
  running = await startApp({ config, store, logger: createLogger('silent'), clock }, { port: 0 });
});

afterAll(async () => {
  await running?.close();
  await store?.close();
  await teams?.close();
  await graph?.stop();
  await azurite?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('queues again a card an earlier run left queued without its message, and it is sent once', async () => {
  // An earlier run claimed the first lead's card and stopped before it queued it (the claim as that run made it).
  const personId = people[0]!;
  const key = {
    planId,
    itemKey: CARD_ITEM,
    milestone: '',
    reason: REASON_CARD,
    personId,
    personName: 'Lead 1',
    dateKey: '2018-06-16',
  };
  const earlier = new AzureSendLedger(openStorageAccount(config).table(stateName(config, 'ledger')), 'stopped-run');
  expect(await earlier.claim({ ...key, id: promptIdOf(key) }, '2018-06-16T06:59:00.000Z', [], { queued: true })).toBe(true);
  const report = await running.bot.runPrompts('2018-06-16');
  expect(report.cards.find((c) => c.recipient === personId)).toMatchObject({ outcome: 'queued', detail: QUEUED_AGAIN });
  await waitUntil(async () => (await running.runtime.ledger.get(promptIdOf(key)))?.state === 'sent', {
    timeoutMs: 60_000,
    what: 'the card queued again sent by a worker',
  });
  expect(teams.sends(`a:created-${personId}`)).toHaveLength(1);
});

it('queues the cards, and the workers install the app, create each chat and send once; no SQLite file', async () => {
  const cards = async () =>
    (await running.runtime.ledger.between(planId, '2018-06-16', '2018-06-16')).filter((r) => r.itemKey === CARD_ITEM);
  await running.bot.runPrompts('2018-06-16');
  await waitUntil(async () => (await cards()).filter((r) => people.includes(r.personId) && r.state === 'sent').length === 3, {
    timeoutMs: 60_000,
    what: 'the three queued cards sent by the workers',
  });
  const byPerson = new Map((await cards()).map((r) => [r.personId, r]));
  for (const id of people) {
    expect(byPerson.get(id)).toMatchObject({ state: 'sent', detail: 'reached: installed the app, then sent' });
    expect(teams.sends(`a:created-${id}`)).toHaveLength(1);
    expect(graph.users.hasApp(id, CATALOG_APP_ID)).toBe(true);
  }
  // A second run the same day finds every card claimed: it queues nothing and sends nothing more.
  const again = await running.bot.runPrompts('2018-06-16');
  expect(again.cards.filter((c) => people.includes(c.recipient ?? '')).map((c) => c.outcome)).toEqual([
    'already-sent',
    'already-sent',
    'already-sent',
  ]);
  for (const id of people) expect(teams.sends(`a:created-${id}`)).toHaveLength(1);
  expect(fs.existsSync(path.join(dir, 'bot.sqlite'))).toBe(false);
});

it("lists in the week's digest a card left queued on an earlier day, never sent", async () => {
  // A run on the Friday claimed the second lead's card and its message was lost; nothing has sent it since.
  const [item] = await store.listItems(planId);
  const key = {
    planId,
    itemKey: CARD_ITEM,
    milestone: '',
    reason: REASON_CARD,
    personId: people[1]!,
    personName: 'Lead 2',
    dateKey: '2018-06-15',
  };
  const friday = new AzureSendLedger(openStorageAccount(config).table(stateName(config, 'ledger')), 'friday-run');
  const asked = [{ itemKey: item!.key, slot: 'i0', onCard: true, reason: 'check-in', roles: item!.leads }];
  expect(await friday.claim({ ...key, id: promptIdOf(key) }, '2018-06-15T07:00:00.000Z', asked, { queued: true })).toBe(true);
  const plan = (await store.getPlan(planId))!;
  const sameDay = await running.bot.buildDigest(plan, new Date('2018-06-15T09:00:00Z'));
  expect(sameDay.content.unreachable.filter((u) => u.who === 'Lead 2')).toEqual([]);
  const { content } = await running.bot.buildDigest(plan, new Date('2018-06-16T09:00:00Z'));
  expect(content.unreachable).toContainEqual({ who: 'Lead 2', itemTitle: item!.title, why: `${STILL_QUEUED} Friday 15 June 2018` });
});
