/** A real server (express app + embedded SQLite store in memory) seeded with the shared Prevent plan. */
import fs from 'node:fs';
import express from 'express';
import { startApp, type RunningApp } from '../../../src/app';
import { loadConfig, type Config } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import { parsePlanDocument } from '../../../src/import/planDocument';
import { createLogger } from '../../../src/logger';
import { createApiRouter, type BotHooks } from '../../../src/server/api';
import { listen, type Listening } from '../../../src/server/app';
import type { PlanStore } from '../../../src/store/planStore';
import { SqliteSettingsStore } from '../../../src/store/settingsStore';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import { PlanSettingsResolver } from '../../../src/usecases/planSettings';
import { SHARED_PLAN } from '../../support/paths';

export const PLAN_FILE = SHARED_PLAN;
export const PLAN_ID = 'london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19';

/** The body is loosely typed: tests assert its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;
type Call = (
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; body: Body; headers: Headers }>;

export interface Harness {
  url: string;
  config: Config;
  store: PlanStore;
  clock: FixedClock;
  running: RunningApp;
  close(): Promise<void>;
  /** fetch relative to the server, JSON in and out (the body is loosely typed: tests assert its shape). */
  call: Call;
  /** The tab API alone on the same store, with these bot hooks (none: as when the bot is not running). */
  apiOnly(bot?: BotHooks): Promise<{ call: Call; close(): Promise<void> }>;
}

function caller(url: string): Call {
  return async (method, path, options = {}) => {
    // X-Requested-With as the tab sends it: a local-mode server takes changes only with it.
    const headers: Record<string, string> = { 'x-requested-with': 'dplan-test', ...(options.headers ?? {}) };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body, headers: res.headers };
  };
}

/** A server on the shared plan (or, with `empty`, on no plan at all). */
export async function startHarness(env: Record<string, string> = {}, options: { empty?: boolean } = {}): Promise<Harness> {
  const config = loadConfig({
    LOCAL_MODE: 'true',
    SQLITE_PATH: ':memory:',
    SETTINGS_DB_PATH: ':memory:',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
    ...env,
  });
  const store = new SqlitePlanStore(':memory:');
  if (!options.empty) await store.importPlan(parsePlanDocument(fs.readFileSync(PLAN_FILE, 'utf8'), PLAN_FILE));
  const clock = new FixedClock('2018-09-05T10:00:00Z');
  const logger = createLogger('silent');
  const running = await startApp({ config, store, logger, clock }, { port: 0 });
  return {
    url: running.url,
    config,
    store,
    clock,
    running,
    close: async () => {
      await running.close();
      await store.close();
    },
    call: caller(running.url),
    apiOnly: async (bot) => {
      const app = express();
      const settings = new PlanSettingsResolver(config, new SqliteSettingsStore(':memory:'));
      app.use('/api', createApiRouter({ config, store, logger, clock, settings, ...(bot ? { bot } : {}) }));
      const server: Listening = await listen(app, 0, '127.0.0.1');
      return { call: caller(server.url), close: () => server.close() };
    },
  };
}
