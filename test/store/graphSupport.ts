/** Wiring for tests of the Graph store: an emulator, a fresh provisioned site per store, no real sleeping. */
import { GraphHttp } from '../../src/graph/graphHttp';
import { GraphPlanStore, type GraphStoreOptions } from '../../src/store/graph/graphListStore';
import { provisionLists } from '../../src/store/graph/provision';
import { StaticTokenProvider } from '../../src/graph/auth';
import type { RetryPolicy } from '../../src/graph/retry';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { startGraphEmulator } from '../graph-emulator/emulator';

export const TEST_TOKEN = 'emulator-test-token';

export interface SleepLog {
  waits: number[];
}

/** A retry policy that records the waits it is asked for instead of sleeping. */
export function recordedRetry(log: SleepLog = { waits: [] }, overrides: Partial<RetryPolicy> = {}): Partial<RetryPolicy> {
  return {
    sleep: async (ms) => {
      log.waits.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  };
}

export async function startEmulator(): Promise<GraphEmulator> {
  return startGraphEmulator({ token: TEST_TOKEN, sites: [] });
}

let siteCounter = 0;

/** A new, empty site on the emulator with the app's lists provisioned. */
export async function freshSite(emulator: GraphEmulator): Promise<string> {
  const site = `contoso.sharepoint.com:/sites/plan-${++siteCounter}`;
  emulator.addSite(site);
  await provisionLists(graphHttp(emulator), site);
  return site;
}

export function graphHttp(emulator: GraphEmulator, retry: Partial<RetryPolicy> = recordedRetry(), token = TEST_TOKEN): GraphHttp {
  return new GraphHttp({ baseUrl: emulator.baseUrl, auth: new StaticTokenProvider(token), retry });
}

/** A Graph store on the emulator; no background checks (a test asks for them), so requests are only the test's. */
export function graphStore(emulator: GraphEmulator, site: string, options: Partial<GraphStoreOptions> = {}): GraphPlanStore {
  return new GraphPlanStore({ http: options.http ?? graphHttp(emulator), site, cacheRefreshMs: 0, ...options });
}
