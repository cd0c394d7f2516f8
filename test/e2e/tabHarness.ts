/** The real server for the browser tests: local mode, a fresh SQLite file in a temp dir seeded from the shared plan. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { systemClock, type Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { seedIfEmpty } from '../../src/seed';
import { openStore } from '../../src/store/openStore';
import type { PlanStore } from '../../src/store/planStore';
import { SHARED_PLAN } from '../support/paths';

export interface TabServer {
  url: string;
  store: PlanStore;
  running: RunningApp;
  dir: string;
  close(): Promise<void>;
}

export async function startTabServer(
  options: { env?: Record<string, string>; clock?: Clock; seed?: (store: PlanStore) => Promise<void> } = {},
): Promise<TabServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-tab-'));
  const config = loadConfig({
    LOCAL_MODE: 'true',
    SQLITE_PATH: path.join(dir, 'plan.sqlite'),
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
    ...options.env,
  });
  const logger = createLogger('silent');
  const store = await openStore(config, logger);
  if (options.seed) await options.seed(store);
  else await seedIfEmpty(store, SHARED_PLAN, logger);
  const running = await startApp({ config, store, logger, clock: options.clock ?? systemClock }, { port: 0 });
  return {
    url: running.url,
    store,
    running,
    dir,
    close: async () => {
      await running.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
