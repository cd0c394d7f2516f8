import type { GraphEmulator } from '../graph-emulator/emulator';
import { runPlanStoreContract } from './contract';
import { freshSite, graphStore, startEmulator } from './graphSupport';
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
