/**
 * The real server for the browser tests: local mode, a fresh SQLite file in a temp dir seeded from the
 * shared plan; and `useTabBrowser`, the jest set-up every tab suite shares (server, Chromium, a fresh
 * page per test, no uncaught error in it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { systemClock, type Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { seedIfEmpty } from '../../src/seed';
import { openStore } from '../../src/store/openStore';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { PlanStore } from '../../src/store/planStore';
import { ensureTabBuilt, launchBrowser } from '../support/browser';
import { SHARED_PLAN } from '../support/paths';

export interface TabServer {
  url: string;
  store: PlanStore;
  running: RunningApp;
  dir: string;
  close(): Promise<void>;
}

export interface TabServerOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Fills the store instead of the shared plan. */
  seed?: (store: PlanStore) => Promise<void>;
}

export async function startTabServer(options: TabServerOptions = {}): Promise<TabServer> {
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

export interface TabBrowser {
  /** The suite's server (from beforeAll on). */
  readonly server: TabServer;
  /**
   * A fresh browser context and page for the test (closing the one it had): an uncaught error in any
   * page the test opened fails it.
   */
  open(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * Registers the suite's hooks: the tab built, one server (then `prepare`, for what the suite needs
 * in the store) and one Chromium for the suite, the test's context closed after it.
 */
export function useTabBrowser(options: TabServerOptions & { prepare?: (server: TabServer) => Promise<void> } = {}): TabBrowser {
  let server: TabServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let errors: string[] = [];
  beforeAll(async () => {
    ensureTabBuilt();
    server = await startTabServer(options);
    await options.prepare?.(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    const seen = errors;
    errors = [];
    expect(seen).toEqual([]);
  });
  return {
    get server(): TabServer {
      if (!server) throw new Error('useTabBrowser: the server starts in beforeAll');
      return server;
    },
    async open(contextOptions = {}) {
      if (!browser) throw new Error('useTabBrowser: the browser starts in beforeAll');
      await context?.close();
      context = await browser.newContext(contextOptions);
      const page = await context.newPage();
      const mine = errors;
      page.on('pageerror', (e) => mine.push(e.message));
      return { context, page };
    },
  };
}
