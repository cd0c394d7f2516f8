/**
 * STATE_STORE=azure: two app instances on one storage account (Azurite) share what the co-ordinator
 * saves, whichever instance the request reached, and only one of them runs the schedule.
 */
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { openState } from '../../src/state/openState';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SHARED_PLAN } from '../support/paths';
import { startAzurite, type Azurite } from '../support/azurite';

let azurite: Azurite;
const apps: RunningApp[] = [];
const stores: SqlitePlanStore[] = [];
let planId: string;

beforeAll(async () => {
  azurite = await startAzurite();
  const plan = await readPlanFile(SHARED_PLAN);
  for (let i = 0; i < 2; i++) {
    const store = new SqlitePlanStore(':memory:');
    planId = (await store.importPlan(plan)).planId;
    stores.push(store);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOCAL_MODE: 'true',
      SQLITE_PATH: ':memory:',
      STATE_STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      STATE_PREFIX: 'shared',
    });
    apps.push(
      await startApp({ config, store, logger: createLogger('silent'), clock: new FixedClock('2018-09-03T09:00:00Z') }, { port: 0 }),
    );
  }
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const store of stores) await store.close();
  await azurite.stop();
});

it('settings saved through one instance are what the other one uses', async () => {
  const [a, b] = apps;
  const put = await fetch(`${a!.url}/api/plans/${planId}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'dplan-test' },
    body: JSON.stringify({ reminderOffsets: [21, 0], digestDay: 'wed', digestHour: 10, digestChannel: '' }),
  });
  expect(put.status).toBe(200);
  const seen = (await (await fetch(`${b!.url}/api/plans/${planId}/settings`)).json()) as Record<string, unknown>;
  expect(seen).toMatchObject({ reminderOffsets: [21, 0], digestDay: 'wed', digestHour: 10, source: 'saved' });
  expect((await b!.settings.settingsFor(planId)).reminderOffsets).toEqual([21, 0]);
});

it('refuses to start without a storage account, naming the variable', () => {
  expect(() => loadConfig({ STATE_STORE: 'azure' })).toThrow(
    /AZURE_STORAGE_ACCOUNT \(or AZURE_STORAGE_CONNECTION_STRING\) is required when STATE_STORE=azure/,
  );
});

it('opens the shared state with its leader lease', async () => {
  const config = loadConfig({ STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: 'lease' });
  const state = await openState(config, createLogger('silent'));
  await state.leadership.start();
  expect(state.leadership.isLeader()).toBe(true);
  await state.close();
  expect(state.leadership.isLeader()).toBe(false);
});
