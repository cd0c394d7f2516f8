/**
 * The Graph store's cache (src/store/graph/listCache.ts): a report is one round trip once the plan is
 * loaded, changes made elsewhere arrive by list delta within the cache's age, a version the cache has
 * not seen is checked with SharePoint rather than refused, an expired delta token reloads, and a 403
 * says which grant is missing.
 */
import { planIdOf } from '../../src/domain/identity';
import { ConflictError } from '../../src/errors';
import { MissingGrantError } from '../../src/graph/graphErrors';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { makePlan } from './fixtures';
import { freshSite, graphHttp, graphStore, startEmulator } from './graphSupport';

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});
afterEach(() => {
  emulator.intercept = undefined;
  emulator.setFaults({});
});

const ITEMS = 'Delivery Plan Items';
const at = '2019-01-15T10:30:00.000Z';

async function loaded(options: { maxAge?: number } = {}) {
  const site = await freshSite(emulator);
  let now = Date.parse(at);
  const clock = { advance: (ms: number) => (now += ms) };
  const store = graphStore(emulator, site, { now: () => now, cacheMaxAgeMs: options.maxAge ?? 30_000 });
  const plan = makePlan(6);
  const planId = planIdOf(plan.plan);
  await store.importPlan(plan);
  await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: 'aad-pat', name: 'Pat Prevent' }]);
  await store.listItems(planId); // loads the plan into the cache
  return { site, store, plan, planId, key: plan.items[0]!.key, clock };
}

describe('Graph store cache', () => {
  it('answers reads from the cache and records a report in one request', async () => {
    const { store, planId, key } = await loaded();
    store.http.resetStats();
    const [plan, item, directory] = await Promise.all([store.getPlan(planId), store.getItem(planId, key), store.listDirectory(planId)]);
    expect(plan?.id).toBe(planId);
    expect(directory).toHaveLength(1);
    expect(store.http.stats.requests).toBe(0);
    const updated = await store.updateStatus(planId, key, { to: 'amber', by: 'Pat', at, note: 'late' }, item!.version);
    expect(store.http.stats.requests).toBe(1);
    expect(store.http.stats.batchedRequests).toBe(2);
    expect(await store.getItem(planId, key)).toEqual(updated);
    expect(store.http.stats.requests).toBe(1);
    expect(await store.history(planId, key)).toEqual([{ itemKey: key, from: 'not-reported', to: 'amber', by: 'Pat', at, note: 'late' }]);
  });

  it('sees a change made elsewhere once the cache is older than its age, with one delta request for the three lists', async () => {
    const { site, store, planId, key, clock } = await loaded();
    emulator.editItem(site, ITEMS, (f) => f.ItemKey === key, { Status: 'Red' });
    const other = graphStore(emulator, site);
    await other.setPeople(planId, 'Community Safety Manager', [{ id: 'aad-cath', name: 'Cath Safety' }]);
    expect((await store.getItem(planId, key))!.status).toBe('not-reported');
    clock.advance(30_000);
    store.http.resetStats();
    expect((await store.getItem(planId, key))!.status).toBe('red');
    expect((await store.listDirectory(planId)).map((d) => d.role)).toEqual(['Community Safety Manager', 'Prevent Co-ordinator']);
    expect(store.http.stats.requests).toBe(1);
    await other.removeRole(planId, 'Community Safety Manager');
    await store.checkForChanges();
    expect((await store.listDirectory(planId)).map((d) => d.role)).toEqual(['Prevent Co-ordinator']);
  });

  it('checks a version it has not seen with SharePoint: no false conflict from a stale cache', async () => {
    const { site, store, planId, key } = await loaded();
    const other = graphStore(emulator, site);
    const seen = (await other.getItem(planId, key))!;
    const moved = await other.updateStatus(planId, key, { to: 'green', by: 'Sam', at }, seen.version);
    // This store's cache still holds the old version; the caller has the new one.
    const updated = await store.updateStatus(planId, key, { to: 'red', by: 'Pat', at, note: 'blocked' }, moved.version);
    expect(updated.status).toBe('red');
    expect((await store.history(planId, key)).map((h) => [h.from, h.to])).toEqual([
      ['not-reported', 'green'],
      ['green', 'red'],
    ]);
  });

  it('still refuses a stale version when its cache is stale too: If-Match decides', async () => {
    const { site, store, planId, key } = await loaded();
    const before = (await store.getItem(planId, key))!;
    emulator.editItem(site, ITEMS, (f) => f.ItemKey === key, { Status: 'Amber' });
    const attempt = store.updateStatus(planId, key, { to: 'green', by: 'Pat', at }, before.version);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(((await attempt.catch((e: unknown) => e)) as ConflictError).current).toMatchObject({ status: 'amber' });
    expect((await store.getItem(planId, key))!.status).toBe('amber');
    expect(await store.history(planId, key)).toEqual([]);
  });

  it('reloads when SharePoint no longer honours its delta token (410 Gone)', async () => {
    const { site, store, planId, key, clock } = await loaded();
    emulator.editItem(site, ITEMS, (f) => f.ItemKey === key, { Status: 'Green' });
    emulator.expireDeltaTokens(site);
    clock.advance(60_000);
    expect((await store.getItem(planId, key))!.status).toBe('green');
    expect(await store.listItems(planId)).toHaveLength(6);
  });

  it('names the missing grant when SharePoint answers 403', async () => {
    const site = await freshSite(emulator);
    const appId = 'read-only-app';
    const token = emulator.addApp({ appId, roles: ['Sites.Selected'] });
    emulator.grantSite(site, appId, 'read');
    const plan = makePlan(2);
    await graphStore(emulator, site).importPlan(plan);
    const store = graphStore(emulator, site, { http: graphHttp(emulator, undefined, token) });
    const item = (await store.getItem(planIdOf(plan.plan), plan.items[0]!.key))!;
    const attempt = store.updateStatus(planIdOf(plan.plan), item.key, { to: 'green', by: 'Pat', at }, item.version);
    await expect(attempt).rejects.toBeInstanceOf(MissingGrantError);
    await expect(attempt).rejects.toThrow('the Sites.Selected application permission with the write role on this SharePoint site');
  });
});
