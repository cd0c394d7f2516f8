/**
 * One scheduler at a time (issue 15): three app instances on one storage account (Azurite) and one
 * Teams stand-in, on a clock the test moves. Each weekly digest is posted exactly once, also when
 * the leader dies a minute before it is due: another instance takes the lease and its catch-up
 * posts it. Every instance's hourly digest tick firing at once posts nothing twice.
 */
import { startApp, type RunningApp } from '../../src/app';
import { TeamsSender } from '../../src/bot/sender';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { BlobLeaderLease } from '../../src/state/azure/blobLeaderLease';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { openState, type SharedState } from '../../src/state/openState';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { startConnector, type Connector } from '../reliability/support/teamsConnector';
import { startAzurite, type Azurite } from '../support/azurite';
import { SHARED_PLAN } from '../support/paths';
import { waitUntil } from '../support/waitUntil';

jest.setTimeout(180_000);

const CHANNEL = '19:general@thread.tacv2';
let azurite: Azurite;
let teams: Connector;
const clock = new FixedClock('2018-09-10T07:59:00Z'); // Monday 08:59 in London (BST): the digest is due at 09:00
const apps: Array<{ app: RunningApp; state: SharedState; store: SqlitePlanStore; lease: BlobLeaderLease; dead: boolean }> = [];

beforeAll(async () => {
  azurite = await startAzurite();
  teams = await startConnector();
  const plan = await readPlanFile(SHARED_PLAN);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOCAL_MODE: 'true',
    SQLITE_PATH: ':memory:',
    SETTINGS_DB_PATH: ':memory:',
    STATE_STORE: 'azure',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    STATE_PREFIX: 'digest',
  });
  const logger = createLogger('silent');
  const account = openStorageAccount(config);
  for (let i = 0; i < 3; i++) {
    const store = new SqlitePlanStore(':memory:');
    await store.importPlan(plan);
    const opened = await openState(config, logger);
    // A 15 s lease (the shortest the service allows) keeps the hand-over inside the test's time.
    const lease = new BlobLeaderLease({ container: account.container(stateName(config, 'leases')), leaseSeconds: 15, logger });
    const state: SharedState = { ...opened, leadership: lease, close: () => lease.stop() };
    if (i === 0) {
      await state.bot!.conversations.save(
        { key: `channel:${CHANNEL}`, kind: 'channel', conversationId: CHANNEL, serviceUrl: teams.url, tenantId: 't', teamId: CHANNEL },
        clock.now().toISOString(),
      );
    }
    const sender = new TeamsSender({ logger });
    const app = await startApp({ config, store, logger, clock, state, sender }, { port: 0 });
    apps.push({ app, state, store, lease, dead: false });
  }
});

afterAll(async () => {
  for (const a of apps) {
    if (!a.dead) await a.app.close();
    await a.state.close();
    await a.store.close();
  }
  await teams.close();
  await azurite.stop();
});

const digests = () => teams.accepted(CHANNEL).length;
const live = () => apps.filter((a) => !a.dead);
const leaders = () => live().filter((a) => a.lease.isLeader());

it('posts the weekly digest once with three instances, and once again when the leader dies a minute before it is due', async () => {
  await waitUntil(() => leaders().length === 1, { timeoutMs: 30_000, what: 'one leader among three' });
  // Not due yet at 08:59: nothing is posted, whoever ticks.
  await Promise.all(apps.map((a) => a.app.scheduler!.catchUp()));
  expect(digests()).toBe(0);

  // 09:00: every instance's hourly tick fires; only the leader runs it, and the ledger holds it to one.
  clock.set('2018-09-10T08:00:30Z');
  await Promise.all(apps.map((a) => a.app.scheduler!.catchUp()));
  await waitUntil(() => digests() === 1, { timeoutMs: 30_000, what: 'the first digest' });
  await Promise.all(apps.map((a) => a.app.scheduler!.catchUp()));
  expect(digests()).toBe(1);

  // A week later, a minute before it is due, the leader dies (its lease is never released).
  clock.set('2018-09-17T07:59:00Z');
  const leader = leaders()[0]!;
  await leader.lease.abandon();
  await leader.app.close();
  leader.dead = true;
  clock.set('2018-09-17T08:00:30Z');
  // Another instance takes the lease when it runs out; on becoming leader it catches up and posts.
  await waitUntil(() => leaders().length === 1, { timeoutMs: 60_000, what: 'a new leader' });
  await waitUntil(() => digests() === 2, { timeoutMs: 30_000, what: 'the second digest, from the new leader' });
  await Promise.all(live().map((a) => a.app.scheduler!.catchUp()));
  expect(digests()).toBe(2);
  expect(teams.accepted().every((c) => c.conversationId === CHANNEL)).toBe(true);
});
