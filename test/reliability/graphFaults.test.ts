/**
 * The Graph store under a mix of faults at once (issues 7 and 14): 429 and 503 with Retry-After,
 * latency, connections dropped before and after the request is applied (top-level and in batches),
 * writes applied and then answered 504, 409 "Save Conflict" when another save gets in first, unique
 * clashes answered 500 (SharePoint's REST answer) or 409, and batch parts run in any order. Import,
 * directory writes, status reports and reads run through it, and the end state must be exact: every
 * item once, every report once in history and in order, nothing lost, nothing doubled. The fault dice
 * are seeded, so a run is repeatable; the retry policy records its waits instead of sleeping.
 * A second run spends SharePoint's per-app resource-unit budget: waits of many seconds, on a clock
 * the retry policy moves on instead of sleeping.
 */
import { planIdOf } from '../../src/domain/identity';
import type { Rag, StatusUpdate } from '../../src/domain/model';
import { ConflictError } from '../../src/errors';
import type { GraphPlanStore } from '../../src/store/graph/graphListStore';
import type { StatusChange } from '../../src/store/planStore';
import { ManualClock, type Faults, type GraphEmulator } from '../graph-emulator/emulator';
import { makePlan } from '../store/fixtures';
import { startGraphEmulator } from '../graph-emulator/emulator';
import { freshSite, graphHttp, graphStore, recordedRetry, startEmulator, TEST_TOKEN, type SleepLog } from '../store/graphSupport';

const ITEMS = 'Delivery Plan Items';
const UPDATES = 'Delivery Plan Updates';
const N = 60;
const RETRY_AFTER_S = 2;
const FAULTS: Partial<Faults> = {
  throttleRate: 0.12,
  batchItemThrottleRate: 0.12,
  unavailableRate: 0.08,
  retryAfterSeconds: RETRY_AFTER_S,
  latencyMs: 2,
  dropBeforeRate: 0.05,
  dropAfterRate: 0.05,
  applyThen504Rate: 0.05,
  saveConflictRate: 0.05,
};

/**
 * Records a report as the recordStatus use case does: against the item as stored now, and again
 * when someone else's save got in first (a ConflictError, here the emulator's 409 Save Conflicts).
 */
async function report(store: GraphPlanStore, planId: string, key: string, change: StatusChange): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = (await store.getItem(planId, key))!;
    try {
      await store.updateStatus(planId, key, change, current.version);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 10) throw error;
    }
  }
}

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
  emulator.setUniqueClash('status-500');
});

function storeWithLog(site: string): { store: GraphPlanStore; log: SleepLog } {
  const log: SleepLog = { waits: [] };
  return { store: graphStore(emulator, site, { http: graphHttp(emulator, recordedRetry(log, { maxRetries: 12 })) }), log };
}

describe.each([
  [1, 'status-500'],
  [7, 'status-500'],
  [42, 'status-409'],
] as const)('Graph store under 429 / 503 / 504 after applying / 409 / latency / dropped connections (seed %i, clash %s)', (seed, clash) => {
  it('imports, records reports and reads back an exact end state', async () => {
    const site = await freshSite(emulator);
    const { store, log } = storeWithLog(site);
    const plan = makePlan(N);
    const planId = planIdOf(plan.plan);
    emulator.setUniqueClash(clash);
    emulator.setFaults(FAULTS, seed);
    emulator.resetStats();
    // Also force the hardest cases at least once, whatever the dice say: the first import batch and
    // the first history write are applied but their answers lost,
    // the first status PATCH meets a Save Conflict, and the first role written is applied and answered 504.
    let droppedBatch = false;
    let droppedHistory = false;
    let conflicted = false;
    let timedOut = false;
    emulator.intercept = (call) => {
      if (!droppedBatch && call.method === 'POST' && call.path.endsWith('/items') && call.body.includes('"ItemKey"')) {
        droppedBatch = true;
        return { dropAfter: true };
      }
      if (!droppedHistory && call.method === 'POST' && call.body.includes('"UpdateId"')) {
        droppedHistory = true;
        return { dropAfter: true };
      }
      if (!conflicted && call.method === 'PATCH' && call.body.includes('"LastUpdateJson"')) {
        conflicted = true;
        return { saveConflict: true };
      }
      if (!timedOut && call.method === 'POST' && call.body.includes('"RoleRef"')) {
        timedOut = true;
        return { gatewayTimeoutAfter: true };
      }
      return undefined;
    };

    // Import.
    const summary = await store.importPlan(plan);
    expect(summary).toEqual({ planId, created: N, updated: 0, unchanged: 0 });
    expect(droppedBatch).toBe(true);

    // Directory.
    await store.setPeople(planId, 'Community Safety Manager', [{ id: 'aad-csm', name: 'Cath Safety' }]);
    await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: 'aad-pc', name: 'Pat Coord' }]);
    await store.setPeople(planId, 'Prevent Co-ordinator', [
      { id: 'aad-pc', name: 'Pat Coord' },
      { id: 'aad-pd', name: 'Pip Deputy' },
    ]);

    // Status reports: 45 over 30 items (15 items twice), four at a time on distinct items.
    const rags: Rag[] = ['green', 'amber', 'red', 'complete'];
    const plannedReports = Array.from({ length: 45 }, (_, i) => ({
      key: plan.items[i % 30]!.key,
      to: rags[i % 4]!,
      by: `Lead ${i}`,
      at: new Date(Date.UTC(2019, 0, 1, 9, 0, i)).toISOString(),
      ...(i % 4 !== 0 ? { note: `note ${i}` } : {}),
    }));
    for (let i = 0; i < plannedReports.length; i += 4) {
      const wave = plannedReports.slice(i, i + 4).filter((r, j, all) => all.findIndex((x) => x.key === r.key) === j);
      await Promise.all(
        wave.map(async (r) => {
          const { key, ...change } = r;
          await report(store, planId, key, change);
        }),
      );
      // Keep the order per item: a report skipped because its item was already in the wave goes next.
      for (const r of plannedReports.slice(i, i + 4).filter((r) => !wave.includes(r))) {
        const { key, ...change } = r;
        await report(store, planId, key, change);
      }
    }
    expect([droppedHistory, conflicted, timedOut]).toEqual([true, true, true]);

    // A re-import under the same faults changes nothing and keeps every report.
    expect(await store.importPlan(plan)).toEqual({ planId, created: 0, updated: 0, unchanged: N });

    // Reads under faults.
    const [items, history, directory, plans] = await Promise.all([
      store.listItems(planId),
      store.history(planId),
      store.listDirectory(planId),
      store.listPlans(),
    ]);

    // The faults really happened, and every 429/503 wait was the Retry-After asked for.
    const s = emulator.stats;
    expect(s.throttled).toBeGreaterThan(0);
    expect(s.unavailable).toBeGreaterThan(0);
    expect(s.dropped).toBeGreaterThan(2);
    expect(s.gatewayTimeouts).toBeGreaterThan(0);
    expect(s.saveConflicts).toBeGreaterThan(0);
    expect(store.http.stats.retries).toBeGreaterThan(0);
    expect(log.waits.length).toBeGreaterThan(0);
    // Every wait is either the Retry-After asked for, or (after a dropped connection, which carries
    // no header) a back-off step: with random() = 0.5 that is 0.75 × 500 ms × 2^attempt.
    const backoff = Array.from({ length: 13 }, (_, k) => Math.round(0.75 * Math.min(30_000, 500 * 2 ** k)));
    expect(log.waits.filter((w) => w !== RETRY_AFTER_S * 1000 && !backoff.includes(w))).toEqual([]);
    // 503s only come top-level, one wait each; 429s inside a batch share the batch's one wait.
    expect(log.waits.filter((w) => w === RETRY_AFTER_S * 1000).length).toBeGreaterThanOrEqual(s.unavailable);

    // Exact end state, read fault-free from the emulator itself and through the store.
    emulator.setFaults({});
    emulator.intercept = undefined;
    const rows = emulator.listItems(site, ITEMS);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.ItemKey)).size).toBe(N);
    expect(emulator.listItems(site, 'Delivery Plans')).toHaveLength(1);
    expect(plans.map((p) => p.id)).toEqual([planId]);
    expect(items.map((i) => i.key)).toEqual(plan.items.map((i) => i.key));

    const updateRows = emulator.listItems(site, UPDATES);
    expect(updateRows).toHaveLength(plannedReports.length);
    expect(new Set(updateRows.map((r) => r.UpdateId)).size).toBe(plannedReports.length);
    expect(history).toHaveLength(plannedReports.length);
    // Per item: the reports in the order made, each starting from the one before.
    for (const item of plan.items) {
      const expected = plannedReports.filter((r) => r.key === item.key);
      const got = history.filter((u: StatusUpdate) => u.itemKey === item.key);
      expect(got.map((u) => ({ by: u.by, to: u.to, at: u.at, note: u.note }))).toEqual(
        expected.map((r) => ({ by: r.by, to: r.to, at: r.at, note: r.note })),
      );
      got.forEach((u, i) => expect(u.from).toBe(i === 0 ? 'not-reported' : got[i - 1]!.to));
      const stored = items.find((i) => i.key === item.key)!;
      expect(stored.status).toBe(expected.at(-1)?.to ?? 'not-reported');
      if (expected.length > 0) expect(stored.lastUpdate?.by).toBe(expected.at(-1)!.by);
    }
    expect(directory).toEqual([
      { role: 'Community Safety Manager', people: [{ id: 'aad-csm', name: 'Cath Safety' }] },
      {
        role: 'Prevent Co-ordinator',
        people: [
          { id: 'aad-pc', name: 'Pat Coord' },
          { id: 'aad-pd', name: 'Pip Deputy' },
        ],
      },
    ]);
    expect(emulator.listItems(site, 'Delivery Plan Leads')).toHaveLength(2);
    // And the fault-free read through the store says the same.
    expect(await store.history(planId)).toEqual(history);
  });
});

describe("Graph store within SharePoint's resource-unit budget", () => {
  it('imports, reports and reads with Retry-After waits of many seconds and RateLimit pacing, exact at the end', async () => {
    const clock = new ManualClock();
    // A small tenant's budget: 1,200 units a minute; a list-item write costs 2, each part of a batch counts.
    const budgeted = await startGraphEmulator({ token: TEST_TOKEN, sites: [], unitsPerMinute: 1200, clock, seed: 5 });
    try {
      const log: SleepLog = { waits: [] };
      // The retry policy's waits move the emulator's clock: minutes pass in no time.
      const sleep = async (ms: number) => {
        log.waits.push(ms);
        clock.advance(ms);
      };
      // Two instances of the app share its budget: each paces itself by the RateLimit headers it sees,
      // and is throttled for what the other spent.
      const instances = await Promise.all(
        ['First Borough', 'Second Borough'].map(async (name) => {
          const site = await freshSite(budgeted);
          const http = graphHttp(budgeted, recordedRetry(log, { maxRetries: 12, sleep }));
          return { site, store: graphStore(budgeted, site, { http, now: () => clock.now() }), plan: makePlan(500, name) };
        }),
      );
      const startedAt = clock.now();
      // A third instance has just spent all but one unit of this minute.
      budgeted.spendBudget(1199);
      await Promise.all(
        instances.map(async ({ store, plan }) => {
          const planId = planIdOf(plan.plan);
          expect(await store.importPlan(plan)).toEqual({ planId, created: 500, updated: 0, unchanged: 0 });
          for (const [i, item] of plan.items.slice(0, 30).entries()) {
            await report(store, planId, item.key, {
              to: i % 2 ? 'green' : 'amber',
              by: `Lead ${i}`,
              at: new Date(Date.UTC(2019, 1, 1, 9, 0, i)).toISOString(),
            });
          }
          expect(await store.importPlan(plan)).toEqual({ planId, created: 0, updated: 0, unchanged: 500 });
        }),
      );

      // Throttled by the budget and told to wait seconds (not the random faults' 0-2 s), and paced by RateLimit headers.
      expect(budgeted.stats.throttled).toBeGreaterThan(0);
      expect(Math.max(...log.waits)).toBeGreaterThanOrEqual(10_000);
      expect(instances.reduce((n, i) => n + i.store.http.stats.paced, 0)).toBeGreaterThan(0);
      // 2,000 units of item writes alone cannot fit in one minute of 1,200.
      expect(clock.now() - startedAt).toBeGreaterThan(60_000);

      for (const { site, store, plan } of instances) {
        const planId = planIdOf(plan.plan);
        const rows = budgeted.listItems(site, ITEMS);
        expect(rows).toHaveLength(500);
        expect(new Set(rows.map((r) => r.ItemKey)).size).toBe(500);
        expect(await store.listItems(planId)).toHaveLength(500);
        expect((await store.history(planId)).map((u) => u.by)).toEqual(plan.items.slice(0, 30).map((_, i) => `Lead ${i}`));
        expect(budgeted.listItems(site, UPDATES)).toHaveLength(30);
      }
    } finally {
      await budgeted.stop();
    }
  });
});
