import type { GraphEmulator } from '../graph-emulator/emulator';
import { runPlanStoreContract } from './contract';
import { freshSite, graphHttp, graphStore, recordedRetry, startEmulator } from './graphSupport';
import { sharedPlan } from './sharedPlan';

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

// A page of 1,000 so that the 2,500-item read follows @odata.nextLink twice; production reads 5,000 a page.
runPlanStoreContract(
  'graph (SharePoint lists on the Graph emulator)',
  async () => {
    const site = await freshSite(emulator);
    return { store: graphStore(emulator, site, { pageSize: 1000 }) };
  },
  { sharedPlan },
);

// The same contract with a fifth of requests failing as SharePoint and Graph fail: 429 and 503 with
// Retry-After (top-level and inside batches), connections dropped before and after a request is
// applied, and writes applied and then answered 504. (409 Save Conflicts are someone else's save
// getting in first: a caller sees a ConflictError and tries again, which the reliability tests do.)
runPlanStoreContract(
  'graph, with 20 % of requests failing',
  async () => {
    const site = await freshSite(emulator);
    emulator.setFaults(
      {
        throttleRate: 0.05,
        batchItemThrottleRate: 0.05,
        unavailableRate: 0.03,
        retryAfterSeconds: 1,
        dropBeforeRate: 0.02,
        dropAfterRate: 0.02,
        applyThen504Rate: 0.03,
      },
      11,
    );
    const http = graphHttp(emulator, recordedRetry({ waits: [] }, { maxRetries: 12 }));
    return { store: graphStore(emulator, site, { pageSize: 1000, http, importRounds: 10 }), dispose: async () => emulator.setFaults({}) };
  },
  { sharedPlan },
);
