/**
 * Store benchmarks: Graph requests per 1,000 items imported and per full read (counted by the Graph
 * client's middleware, so every retry counts), import time on the local Graph emulator with and
 * without 20% injected 429s, with 20 % of every fault SharePoint gives (429, 503, writes applied then
 * answered 504, dropped connections), and within SharePoint's resource-unit budget (1,200 units a
 * minute, a list-item write costs 2: the minutes it takes, on a clock the retry policy moves instead
 * of sleeping), and the embedded SQLite store's import and read time for 5,000 items.
 * Run alone with `npx tsx bench/store.ts`. The emulator answers locally, so times measure the
 * adapter and HTTP stack, not SharePoint; request counts are what carries over to SharePoint.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { planIdOf } from '../src/domain/identity';
import type { Plan } from '../src/domain/model';
import { parsePlanDocument } from '../src/import/planDocument';
import { StaticTokenProvider } from '../src/graph/auth';
import { GraphHttp } from '../src/graph/graphHttp';
import { GraphPlanStore, MAX_LIST_ITEMS_PAGE } from '../src/store/graph/graphListStore';
import { provisionLists } from '../src/store/graph/provision';
import { SqlitePlanStore } from '../src/store/sqlite/sqlitePlanStore';
import type { RetryPolicy } from '../src/graph/retry';
import { ManualClock, startGraphEmulator, type GraphEmulator } from '../test/graph-emulator/emulator';
import { generatePlanDocument } from './generatePlan';

import type { BenchRow } from './table';

const TOKEN = 'bench-token';
const ITEMS = 5000;

let siteCount = 0;

async function graphStoreOn(emulator: GraphEmulator, retry: Partial<RetryPolicy> = {}): Promise<{ store: GraphPlanStore; site: string }> {
  const site = `bench.sharepoint.com:/sites/bench-${++siteCount}`;
  emulator.addSite(site);
  const auth = new StaticTokenProvider(TOKEN);
  await provisionLists(new GraphHttp({ baseUrl: emulator.baseUrl, auth }), site);
  // Retry-After is honoured as given; the emulator gives 0 s here so the run measures requests, not waiting.
  const http = new GraphHttp({ baseUrl: emulator.baseUrl, auth, retry: { maxRetries: 12, ...retry } });
  return { store: new GraphPlanStore({ http, site, cacheRefreshMs: 0, importRounds: 10 }), site };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export async function benchStore(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const plan: Plan = parsePlanDocument(generatePlanDocument(ITEMS));
  const planId = planIdOf(plan.plan);
  const n = plan.items.length;
  const per1000 = (requests: number, items: number) => (requests * 1000) / items;

  const emulator = await startGraphEmulator({ token: TOKEN, sites: [], seed: 42 });
  try {
    // Fresh import, no faults: every request from resolving the site to the last batch.
    {
      const { store } = await graphStoreOn(emulator);
      const { ms, result } = await timed(() => store.importPlan(plan));
      const s = store.http.stats;
      rows.push({
        name: 'graph: requests per 1,000 items imported',
        value: per1000(s.requests, n),
        unit: 'requests',
        note: `${s.requests} HTTP requests for ${n} items (${s.batchedRequests} inside $batch); target <= 55; ${result.created} created`,
      });
      rows.push({ name: `graph: import ${n} items on the emulator`, value: ms, unit: 'ms', note: 'no faults' });

      store.http.resetStats();
      const read = await timed(() => store.listItems(planId));
      rows.push({
        name: `graph: requests per full read (${n} items)`,
        value: store.http.stats.requests,
        unit: 'requests',
        note: `$top=${MAX_LIST_ITEMS_PAGE} (largest list-item page); ${read.result.length} items in ${read.ms.toFixed(0)} ms`,
      });

      store.http.resetStats();
      const again = await timed(() => store.importPlan(plan));
      rows.push({
        name: `graph: requests to re-import unchanged (${n} items)`,
        value: store.http.stats.requests,
        unit: 'requests',
        note: `${again.result.unchanged} unchanged, ${again.result.created + again.result.updated} written; ${again.ms.toFixed(0)} ms`,
      });
    }

    // The same import with 20% of requests (and of requests inside batches) answered 429.
    {
      const { store, site } = await graphStoreOn(emulator);
      emulator.setFaults({ throttleRate: 0.2, batchItemThrottleRate: 0.2, retryAfterSeconds: 0 }, 42);
      emulator.resetStats();
      const { ms } = await timed(() => store.importPlan(plan));
      emulator.setFaults({});
      const s = store.http.stats;
      const stored = emulator.listItems(site, 'Delivery Plan Items');
      const distinct = new Set(stored.map((r) => r.ItemKey)).size;
      rows.push({
        name: `graph: import ${n} items with 20% 429s`,
        value: ms,
        unit: 'ms',
        note: `${emulator.stats.throttled} throttled answers retried; ${stored.length} rows, ${distinct} distinct keys (expected ${n})`,
      });
      rows.push({
        name: 'graph: requests per 1,000 items imported, 20% 429s',
        value: per1000(s.requests, n),
        unit: 'requests',
        note: `${s.requests} HTTP requests including ${s.retries} retry rounds`,
      });
    }

    // 20 % of requests failing in every way SharePoint and Graph fail, the write applied or not.
    {
      const { store, site } = await graphStoreOn(emulator);
      emulator.setFaults(
        {
          throttleRate: 0.05,
          batchItemThrottleRate: 0.05,
          unavailableRate: 0.03,
          dropBeforeRate: 0.02,
          dropAfterRate: 0.02,
          applyThen504Rate: 0.03,
          retryAfterSeconds: 0,
        },
        42,
      );
      emulator.resetStats();
      const { ms } = await timed(() => store.importPlan(plan));
      emulator.setFaults({});
      const stored = emulator.listItems(site, 'Delivery Plan Items');
      const distinct = new Set(stored.map((r) => r.ItemKey)).size;
      rows.push({
        name: `graph: import ${n} items with 20% faults of every kind`,
        value: ms,
        unit: 'ms',
        note: `${emulator.stats.gatewayTimeouts} applied-then-504, ${emulator.stats.dropped} dropped, ${emulator.stats.throttled} throttled; ${stored.length} rows, ${distinct} distinct (expected ${n})`,
      });
      rows.push({
        name: 'graph: requests per 1,000 items imported, 20% faults of every kind',
        value: per1000(store.http.stats.requests, n),
        unit: 'requests',
        note: `${store.http.stats.requests} HTTP requests, re-reads of unknown outcomes included`,
      });
    }
  } finally {
    await emulator.stop();
  }

  // Within SharePoint's budget for a small tenant: 1,200 resource units a minute per app.
  {
    const clock = new ManualClock();
    const budgeted = await startGraphEmulator({ token: TOKEN, sites: [], seed: 42, unitsPerMinute: 1200, clock });
    try {
      const { store, site } = await graphStoreOn(budgeted, { sleep: async (ms) => clock.advance(ms) });
      const startedAt = clock.now();
      const { ms } = await timed(() => store.importPlan(plan));
      const minutes = (clock.now() - startedAt) / 60_000;
      const stored = budgeted.listItems(site, 'Delivery Plan Items').length;
      rows.push({
        name: `graph: import ${n} items within SharePoint's budget (1,200 units/min)`,
        value: minutes,
        unit: 'minutes',
        note: `${budgeted.stats.units} units; ${store.http.stats.paced} waits for RateLimit-Reset, ${budgeted.stats.throttled} throttled; ${stored} rows; ${ms.toFixed(0)} ms of real time`,
      });
    } finally {
      await budgeted.stop();
    }
  }

  // The embedded store.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bench-'));
  try {
    const sqlite = new SqlitePlanStore(path.join(dir, 'bench.sqlite'));
    const imported = await timed(() => sqlite.importPlan(plan));
    rows.push({
      name: `sqlite: import ${n} items`,
      value: imported.ms,
      unit: 'ms',
      note: `${imported.result.created} created, one transaction`,
    });
    const read = await timed(() => sqlite.listItems(planId));
    rows.push({ name: `sqlite: read ${n} items`, value: read.ms, unit: 'ms', note: `${read.result.length} items` });
    const again = await timed(() => sqlite.importPlan(plan));
    rows.push({
      name: `sqlite: re-import unchanged (${n} items)`,
      value: again.ms,
      unit: 'ms',
      note: `${again.result.unchanged} unchanged`,
    });
    await sqlite.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  void benchStore().then((rows) => {
    for (const r of rows)
      process.stdout.write(
        `${r.name}: ${Number.isInteger(r.value) ? r.value : r.value.toFixed(1)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`,
      );
  });
}
