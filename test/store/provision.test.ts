import { Command } from 'commander';
import { registerProvision } from '../../src/cli/commands/provision';
import { provisionLists } from '../../src/store/graph/provision';
import { LISTS } from '../../src/store/graph/schema';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { graphHttp, startEmulator, TEST_TOKEN } from './graphSupport';

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});
afterEach(() => {
  emulator.intercept = undefined;
  emulator.unindexedColumns.clear();
});

let n = 0;
function newSite(): string {
  const site = `contoso.sharepoint.com:/sites/provision-${++n}`;
  emulator.addSite(site);
  return site;
}

describe('provisionLists', () => {
  it('creates the four lists with typed, indexed columns', async () => {
    const site = newSite();
    const report = await provisionLists(graphHttp(emulator), site);
    expect(report.unchanged).toBe(false);
    expect(emulator.listNames(site)).toEqual(['Delivery Plans', 'Delivery Plan Items', 'Delivery Plan Updates', 'Delivery Plan Leads']);
    const items = emulator.columns(site, 'Delivery Plan Items');
    const column = (name: string) => items.find((c) => c.name === name);
    expect(column('Status')).toEqual({ name: 'Status', type: 'choice', indexed: true, enforceUniqueValues: false });
    expect(column('Due')).toEqual({ name: 'Due', type: 'dateTime', indexed: true, enforceUniqueValues: false });
    expect(column('Target')).toMatchObject({ type: 'number' });
    expect(column('ItemRef')).toEqual({ name: 'ItemRef', type: 'text', indexed: true, enforceUniqueValues: true });
    expect(column('PlanId')).toMatchObject({ indexed: true });
    expect(emulator.columns(site, 'Delivery Plan Leads').find((c) => c.name === 'People')).toMatchObject({ type: 'personOrGroup' });
    expect(emulator.columns(site, 'Delivery Plan Updates').find((c) => c.name === 'UpdateId')).toMatchObject({ indexed: true });
    expect(report.ok).toBe(true);
    expect(report.lists.every((l) => l.problems.length === 0)).toBe(true);
  });

  it('reads every column back and reports one SharePoint created without the index or uniqueness asked for', async () => {
    const site = newSite();
    emulator.unindexedColumns.add('UpdateId');
    const report = await provisionLists(graphHttp(emulator), site);
    expect(report.ok).toBe(false);
    expect(report.lists.find((l) => l.displayName === 'Delivery Plan Updates')!.problems).toEqual([
      { column: 'UpdateId', problem: 'is not indexed, so every read filtered on it is refused (400)' },
      { column: 'UpdateId', problem: 'does not enforce unique values, so a retried write could add a second row' },
    ]);
    expect(report.lists.filter((l) => l.displayName !== 'Delivery Plan Updates').every((l) => l.problems.length === 0)).toBe(true);
  });

  it('compares uniqueness too when run again: a unique column made ordinary by hand is reported', async () => {
    const site = newSite();
    await provisionLists(graphHttp(emulator), site);
    emulator.setColumn(site, 'Delivery Plan Leads', 'RoleRef', { enforceUniqueValues: false });
    emulator.setColumn(site, 'Delivery Plan Items', 'Status', { indexed: false });
    const again = await provisionLists(graphHttp(emulator), site);
    expect(again).toMatchObject({ unchanged: true, ok: false });
    expect(again.lists.find((l) => l.displayName === 'Delivery Plan Leads')).toMatchObject({ mismatched: ['RoleRef'] });
    expect(again.lists.find((l) => l.displayName === 'Delivery Plan Items')).toMatchObject({ mismatched: ['Status'] });
  });

  it('creates each list and column once when answers are lost or come back 504 after the write', async () => {
    const site = newSite();
    let n = 0;
    emulator.intercept = (call) =>
      call.method === 'POST' && call.path.endsWith('/lists') ? (n++ % 2 ? { dropAfter: true } : { gatewayTimeoutAfter: true }) : undefined;
    const report = await provisionLists(graphHttp(emulator), site);
    emulator.intercept = undefined;
    expect(n).toBe(4);
    expect(report.ok).toBe(true);
    expect(emulator.listNames(site)).toEqual(['Delivery Plans', 'Delivery Plan Items', 'Delivery Plan Updates', 'Delivery Plan Leads']);
  });

  it('changes nothing when run again: only reads', async () => {
    const site = newSite();
    await provisionLists(graphHttp(emulator), site);
    const writes: string[] = [];
    emulator.intercept = (call) => {
      if (call.method !== 'GET') writes.push(`${call.method} ${call.path}`);
      return undefined;
    };
    const again = await provisionLists(graphHttp(emulator), site);
    expect(again.unchanged).toBe(true);
    expect(again.lists.every((l) => !l.created && l.columnsAdded.length === 0 && l.mismatched.length === 0)).toBe(true);
    expect(writes).toEqual([]);
    expect(emulator.listNames(site)).toHaveLength(LISTS.length);
  });

  it('adds a missing column to an existing list and reports a column of another type', async () => {
    const site = newSite();
    const http = graphHttp(emulator);
    const siteId = String((await http.get<{ id: string }>(`/sites/${site}`)).body.id);
    const items = LISTS.find((l) => l.key === 'items')!;
    const columns = items.columns
      .filter((c) => c.name !== 'Timescale')
      .map((c) => (c.name === 'Target' ? { name: 'Target', text: {} } : c));
    await http.request('POST', `/sites/${siteId}/lists`, { body: { displayName: items.displayName, columns } });
    const report = await provisionLists(http, site);
    const entry = report.lists.find((l) => l.displayName === items.displayName)!;
    expect(entry).toMatchObject({ created: false, columnsAdded: ['Timescale'], mismatched: ['Target'] });
    expect(entry.problems).toEqual([{ column: 'Target', problem: 'is of type text, not number' }]);
  });
});

describe('dplan provision', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  async function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command().exitOverride();
      registerProvision(program);
      await program.parseAsync(['node', 'dplan', ...args]);
    } finally {
      spy.mockRestore();
    }
    return out.join('');
  }

  it('provisions the site given, then reports nothing to change', async () => {
    const site = newSite();
    Object.assign(process.env, { GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: TEST_TOKEN, LOG_LEVEL: 'silent' });
    const first = await run(['provision', '--site', site]);
    expect(first).toContain('Delivery Plan Items: created with');
    expect(first).toContain(`Provisioned ${site}.`);
    const second = await run(['provision', '--site', site]);
    expect(second).toContain('Delivery Plan Items: exists, unchanged');
    expect(second).toContain(`Nothing to change in ${site}.`);
    expect(process.exitCode).toBeUndefined();
  });

  it('exits 1 naming the column when a column is not as the app needs it', async () => {
    const site = newSite();
    emulator.unindexedColumns.add('RoleRef');
    Object.assign(process.env, { GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: TEST_TOKEN, LOG_LEVEL: 'silent' });
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      await run(['provision', '--site', site]);
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(1);
    expect(errors.join('')).toContain('problem: Delivery Plan Leads: column RoleRef is not indexed');
  });

  it('refuses a malformed site with a bad-input exit code', async () => {
    Object.assign(process.env, { GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: TEST_TOKEN });
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      await run(['provision', '--site', 'not-a-site']);
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(2);
    expect(errors.join('')).toContain('hostname:/sites/path');
  });
});
