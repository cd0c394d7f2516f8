/** Acceptance: `dplan import <shared plan>` against the Graph emulator leaves 31 items, and a re-run changes nothing. */
import { Command } from 'commander';
import { registerImport } from '../../src/cli/commands/importCmd';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { SHARED_PLAN } from '../support/paths';
import { freshSite, startEmulator, TEST_TOKEN } from './graphSupport';

let emulator: GraphEmulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  emulator.setFaults({});
});

async function dplanImport(): Promise<string> {
  const out: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const program = new Command().exitOverride();
    registerImport(program);
    await program.parseAsync(['node', 'dplan', 'import', SHARED_PLAN]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return out.join('');
}

it('imports the shared plan into the SharePoint list once; re-running changes nothing, even under 20% throttling', async () => {
  const site = await freshSite(emulator);
  Object.assign(process.env, {
    STORE: 'graph',
    GRAPH_BASE_URL: emulator.baseUrl,
    GRAPH_TOKEN: TEST_TOKEN,
    SHAREPOINT_SITE: site,
    LOG_LEVEL: 'silent',
  });
  expect(await dplanImport()).toContain('31 created, 0 updated, 0 unchanged');
  expect(process.exitCode).toBeUndefined();
  const rows = emulator.listItems(site, 'Delivery Plan Items');
  expect(rows).toHaveLength(31);
  const before = JSON.stringify(rows);

  // Retry-After 0 keeps the test quick; the retry path is the same as for longer waits.
  emulator.setFaults({ throttleRate: 0.2, batchItemThrottleRate: 0.2, retryAfterSeconds: 0 }, 1);
  emulator.resetStats();
  expect(await dplanImport()).toContain('0 created, 0 updated, 31 unchanged');
  expect(emulator.stats.throttled).toBeGreaterThan(0);
  expect(process.exitCode).toBeUndefined();
  expect(JSON.stringify(emulator.listItems(site, 'Delivery Plan Items'))).toBe(before);
  expect(emulator.listItems(site, 'Delivery Plans')).toHaveLength(1);
});
