/** A real server (express app + embedded SQLite store in memory) seeded with the shared Prevent plan. */
import fs from 'node:fs';
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import { parsePlanDocument } from '../../../src/import/planDocument';
import { createLogger } from '../../../src/logger';
import { startServer, type RunningApp } from '../../../src/server/app';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import type { PlanStore } from '../../../src/store/planStore';

export const PLAN_FILE = '/work/shared/plans/prevent-delivery-plan-2018-19.md';
export const PLAN_ID = 'london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19';

export interface Harness {
  url: string;
  store: PlanStore;
  clock: FixedClock;
  running: RunningApp;
  close(): Promise<void>;
  /** fetch relative to the server, JSON in and out (the body is loosely typed: tests assert its shape). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({
    LOCAL_MODE: 'true',
    SQLITE_PATH: ':memory:',
    SETTINGS_DB_PATH: ':memory:',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
    ...env,
  });
  const store = new SqlitePlanStore(':memory:');
  await store.importPlan(parsePlanDocument(fs.readFileSync(PLAN_FILE, 'utf8'), PLAN_FILE));
  const clock = new FixedClock('2018-09-05T10:00:00Z');
  const running = await startServer({ config, store, logger: createLogger('silent'), clock }, 0);
  return {
    url: running.url,
    store,
    clock,
    running,
    close: async () => {
      await running.close();
      await store.close();
    },
    call: async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${running.url}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
      return { status: res.status, body, headers: res.headers };
    },
  };
}
