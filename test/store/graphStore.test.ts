/**
 * What the Graph store does beyond the contract: conflicts found by Graph (412), lost answers,
 * throttling, bounded retries, request economy and the credentials it sends.
 */
import { planIdOf } from '../../src/domain/identity';
import { ConflictError, ConfigError } from '../../src/errors';
import { StaticTokenProvider } from '../../src/graph/auth';
import { GraphHttp, GraphRequestError } from '../../src/graph/graphHttp';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { makePlan } from './fixtures';
import { freshSite, graphHttp, graphStore, recordedRetry, startEmulator, TEST_TOKEN, type SleepLog } from './graphSupport';

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
const UPDATES = 'Delivery Plan Updates';
const report = { to: 'amber' as const, by: 'Sam', at: '2019-01-15T10:30:00.000Z', note: 'On track for March' };

async function seeded(n = 3) {
  const site = await freshSite(emulator);
  const store = graphStore(emulator, site);
  const plan = makePlan(n);
  await store.importPlan(plan);
  return { site, store, plan, planId: planIdOf(plan.plan), key: plan.items[0]!.key };
}

describe('GraphPlanStore concurrency', () => {
  it('turns a 412 from Graph into a ConflictError with the current item, and writes no history', async () => {
    const { site, store, planId, key } = await seeded();
    const item = (await store.getItem(planId, key))!;
    // Another writer gets in between our read and our PATCH.
    let raced = false;
    emulator.intercept = (call) => {
      if (!raced && call.method === 'PATCH' && call.path.endsWith('/fields')) {
        raced = true;
        return { before: () => emulator.editItem(site, ITEMS, (f) => f.ItemKey === key, { Status: 'Red' }) };
      }
      return undefined;
    };
    const attempt = store.updateStatus(planId, key, report, item.version);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    const error = (await attempt.catch((e: unknown) => e)) as ConflictError;
    expect(raced).toBe(true);
    expect((error.current as { status: string }).status).toBe('red');
    expect(emulator.stats.preconditionFailed).toBeGreaterThan(0);
    expect(emulator.listItems(site, UPDATES)).toHaveLength(0);
    expect((await store.getItem(planId, key))!.status).toBe('red');
  });

  it('recognises its own write when the answer to the batch was lost after it was applied', async () => {
    const { site, store, planId, key } = await seeded();
    const item = (await store.getItem(planId, key))!;
    let dropped = 0;
    emulator.intercept = (call) => (call.method === 'PATCH' && dropped++ === 0 ? { dropAfter: true } : undefined);
    const updated = await store.updateStatus(planId, key, report, item.version);
    // Read back by id, the item carries this report: nothing is sent again.
    expect(dropped).toBe(1);
    expect(updated.status).toBe('amber');
    expect(await store.getItem(planId, key)).toEqual(updated);
    expect(emulator.listItems(site, UPDATES)).toHaveLength(1);
  });

  it('never doubles a history row when the history write is retried', async () => {
    const { site, store, planId, key } = await seeded();
    const item = (await store.getItem(planId, key))!;
    let posts = 0;
    emulator.intercept = (call) =>
      call.method === 'POST' && call.path.includes('/items') && posts++ === 0 ? { dropAfter: true } : undefined;
    await store.updateStatus(planId, key, report, item.version);
    expect(posts).toBe(2);
    expect(emulator.listItems(site, UPDATES)).toHaveLength(1);
    expect(await store.history(planId, key)).toEqual([{ itemKey: key, from: 'not-reported', ...report }]);
  });

  it('restores a history row lost between the status write and the history write, once', async () => {
    const { site, store, planId, key } = await seeded();
    const item = (await store.getItem(planId, key))!;
    emulator.intercept = (call) =>
      call.method === 'POST' && call.body.includes('UpdateId')
        ? { fail: { status: 500, code: 'generalException', message: 'boom' } }
        : undefined;
    await expect(store.updateStatus(planId, key, report, item.version)).rejects.toBeInstanceOf(GraphRequestError);
    expect((await store.getItem(planId, key))!.status).toBe('amber');
    expect(emulator.listItems(site, UPDATES)).toHaveLength(0);
    emulator.intercept = undefined;
    const expected = [{ itemKey: key, from: 'not-reported', ...report }];
    expect(await store.history(planId)).toEqual(expected);
    expect(await store.history(planId, key)).toEqual(expected);
    expect(emulator.listItems(site, UPDATES)).toHaveLength(1);
  });
});

describe('GraphPlanStore import under faults', () => {
  it('completes with 20% of requests throttled, nothing lost or doubled, honouring Retry-After', async () => {
    const site = await freshSite(emulator);
    const log: SleepLog = { waits: [] };
    const store = graphStore(emulator, site, { http: graphHttp(emulator, recordedRetry(log, { maxRetries: 12 })) });
    const plan = makePlan(600);
    emulator.setFaults({ throttleRate: 0.2, batchItemThrottleRate: 0.2, retryAfterSeconds: 1 }, 7);
    expect(await store.importPlan(plan)).toEqual({ planId: planIdOf(plan.plan), created: 600, updated: 0, unchanged: 0 });
    expect(emulator.stats.throttled).toBeGreaterThan(0);
    expect(log.waits.length).toBeGreaterThan(0);
    expect(log.waits.every((ms) => ms === 1000)).toBe(true);
    emulator.setFaults({});
    const rows = emulator.listItems(site, ITEMS);
    expect(rows).toHaveLength(600);
    expect(new Set(rows.map((r) => r.ItemKey)).size).toBe(600);
    expect((await store.listItems(planIdOf(plan.plan))).map((i) => i.key)).toEqual(plan.items.map((i) => i.key));
  });

  it('completes when connections drop before or after a batch is applied, without duplicates', async () => {
    const site = await freshSite(emulator);
    const store = graphStore(emulator, site, { importRounds: 10 });
    const plan = makePlan(400);
    emulator.setFaults({ dropBeforeRate: 0.1, dropAfterRate: 0.1 }, 3);
    const summary = await store.importPlan(plan);
    emulator.setFaults({});
    expect(emulator.stats.dropped).toBeGreaterThan(0);
    expect(summary).toEqual({ planId: planIdOf(plan.plan), created: 400, updated: 0, unchanged: 0 });
    const rows = emulator.listItems(site, ITEMS);
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => r.ItemKey)).size).toBe(400);
    expect(emulator.listItems(site, 'Delivery Plans')).toHaveLength(1);
  });

  it('gives up after its retry bound when Graph keeps throttling', async () => {
    const site = await freshSite(emulator);
    const log: SleepLog = { waits: [] };
    const store = graphStore(emulator, site, { http: graphHttp(emulator, recordedRetry(log, { maxRetries: 3 })) });
    emulator.setFaults({ throttleRate: 1, retryAfterSeconds: 2 });
    const attempt = store.listPlans();
    await expect(attempt).rejects.toMatchObject({ status: 429, code: 'TooManyRequests' });
    expect(log.waits).toEqual([2000, 2000, 2000]);
  });

  it('backs off exponentially with jitter when no Retry-After is given', async () => {
    const log: SleepLog = { waits: [] };
    const http = graphHttp(emulator, recordedRetry(log, { maxRetries: 3, baseDelayMs: 100, random: () => 1 }));
    let calls = 0;
    emulator.intercept = () => (calls++ < 3 ? { fail: { status: 503, code: 'serviceNotAvailable', message: 'busy' } } : undefined);
    await expect(http.get('/sites/nowhere.example:/sites/none')).rejects.toMatchObject({ status: 404 });
    expect(log.waits).toEqual([100, 200, 400]);
  });
});

describe('GraphPlanStore request economy', () => {
  it('imports 1,000 items in at most 55 Graph requests, and a re-import only reads', async () => {
    const site = await freshSite(emulator);
    const store = graphStore(emulator, site);
    const plan = makePlan(1000);
    await store.importPlan(plan);
    expect(store.http.stats.requests).toBeLessThanOrEqual(55);
    store.http.resetStats();
    emulator.resetStats();
    expect(await store.importPlan(makePlan(1000))).toMatchObject({ created: 0, updated: 0, unchanged: 1000 });
    expect(store.http.stats.requests).toBe(1);
    expect(emulator.stats.batchedRequests).toBe(2);
  });

  it('reads 2,500 items in one request at the default page size', async () => {
    const site = await freshSite(emulator);
    const store = graphStore(emulator, site);
    const plan = makePlan(2500);
    await store.importPlan(plan);
    store.http.resetStats();
    expect(await store.listItems(planIdOf(plan.plan))).toHaveLength(2500);
    expect(store.http.stats.requests).toBe(1);
  });
});

describe('GraphPlanStore set-up', () => {
  it('names the provisioning command when the lists are missing', async () => {
    const site = 'contoso.sharepoint.com:/sites/unprovisioned';
    emulator.addSite(site);
    const attempt = graphStore(emulator, site).listPlans();
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(`dplan provision --site ${site}`);
  });

  it('sends its bearer token and fails clearly when Graph refuses it', async () => {
    const site = await freshSite(emulator);
    const store = graphStore(emulator, site, { http: graphHttp(emulator, recordedRetry(), 'wrong-token') });
    await expect(store.listPlans()).rejects.toMatchObject({ status: 401, code: 'InvalidAuthenticationToken' });
  });

  it('refuses to follow a nextLink to another host', () => {
    const http = graphHttp(emulator);
    expect(() => http.relative('https://evil.example/v1.0/sites')).toThrow(/outside/);
    expect(http.relative(`${emulator.baseUrl}/sites/x/lists?$top=5`)).toBe('/sites/x/lists?$top=5');
  });
});

describe('GraphHttp time-out', () => {
  it('abandons a request that gets no answer in time, and retries it when it is safe to', async () => {
    const log: SleepLog = { waits: [] };
    const slow = new GraphHttp({
      baseUrl: emulator.baseUrl,
      auth: new StaticTokenProvider(TEST_TOKEN),
      retry: recordedRetry(log, { maxRetries: 1 }),
      timeoutMs: 50,
    });
    emulator.setFaults({ latencyMs: 1000 });
    await expect(slow.get('/sites/contoso.sharepoint.com:/sites/none')).rejects.toThrow();
    expect(slow.stats.networkErrors).toBe(2);
    expect(log.waits).toHaveLength(1);
    await expect(slow.request('POST', '/sites/x/lists', { body: {} })).rejects.toMatchObject({ name: 'AmbiguousWriteError' });
  });
});

describe('GraphPlanStore and people editing the lists', () => {
  it('ignores a row someone added by hand to the items list', async () => {
    const { site, store, plan, planId } = await seeded(3);
    const http = graphHttp(emulator);
    const siteId = (await http.get<{ id: string }>(`/sites/${site}`)).body.id;
    await http.request('POST', `/sites/${siteId}/lists/${encodeURIComponent(ITEMS)}/items`, {
      body: { fields: { Title: 'Typed in SharePoint', PlanId: planId } },
    });
    expect((await store.listItems(planId)).map((i) => i.key)).toEqual(plan.items.map((i) => i.key));
    expect(await store.importPlan(makePlan(3))).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await store.history(planId)).toEqual([]);
  });

  it('reads a status changed in SharePoint itself', async () => {
    const { site, store, planId, key } = await seeded(1);
    emulator.editItem(site, ITEMS, (f) => f.ItemKey === key, { Status: 'Green' });
    expect((await store.getItem(planId, key))!.status).toBe('green');
  });
});

describe('GraphPlanStore lead directory in SharePoint', () => {
  it('fills the People column with the lookup ids of people the site knows, keeping everyone in the directory', async () => {
    const { site, store, planId } = await seeded(1);
    const samId = emulator.addUser(site, { name: 'Sam Patel', email: 'sam.patel@example.gov.uk' });
    const sam = { id: 'aad-sam', name: 'Sam Patel', email: 'sam.patel@example.gov.uk' };
    const newcomer = { id: 'aad-new', name: 'New Person', email: 'new.person@example.gov.uk' };
    const local = { id: 'local-jo', name: 'Jo Smith' };
    await store.setPeople(planId, 'Prevent Co-ordinator', [sam, newcomer, local]);
    const [row] = emulator.listItems(site, 'Delivery Plan Leads');
    expect(row).toMatchObject({ Title: 'Prevent Co-ordinator', PeopleLookupId: [samId] });
    expect(await store.listDirectory(planId)).toEqual([{ role: 'Prevent Co-ordinator', people: [sam, newcomer, local] }]);
    await store.setPeople(planId, 'Prevent Co-ordinator', [local]);
    expect(emulator.listItems(site, 'Delivery Plan Leads')[0]).toMatchObject({ PeopleLookupId: [] });
  });
});

describe('GraphPlanStore and SharePoint column limits', () => {
  it('refuses an item too large for SharePoint before writing anything', async () => {
    const site = await freshSite(emulator);
    const store = graphStore(emulator, site);
    const plan = makePlan(30);
    plan.items[25] = { ...plan.items[25]!, description: 'x'.repeat(70_000) };
    await expect(store.importPlan(plan)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(plan.items[25]!.key) as string,
    });
    expect(emulator.listItems(site, ITEMS)).toHaveLength(0);
    expect(emulator.listItems(site, 'Delivery Plans')).toHaveLength(0);
  });

  it('refuses a report with a note too large for SharePoint, leaving the item as it was', async () => {
    const { site, store, planId, key } = await seeded(1);
    const item = (await store.getItem(planId, key))!;
    await expect(store.updateStatus(planId, key, { ...report, note: 'n'.repeat(64_000) }, item.version)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(await store.getItem(planId, key)).toEqual(item);
    expect(emulator.listItems(site, UPDATES)).toHaveLength(0);
  });
});
