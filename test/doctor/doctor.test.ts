/**
 * `dplan doctor` against the Graph emulator and a token endpoint stand-in (no Microsoft endpoint is
 * called): it passes on a tenant set up as docs/deployment.md says, leaving nothing behind, and fails
 * with the right line and advice when the site grant, an index, a consent or the catalog app is missing.
 */
import { Command } from 'commander';
import { loadConfig } from '../../src/config';
import { registerDoctor } from '../../src/cli/commands/doctor';
import type { CheckResult, DoctorReport } from '../../src/doctor/checkResult';
import { runDoctor } from '../../src/doctor/runDoctor';
import type { AccessLevel } from '../graph-emulator/model';
import { startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { startLoginStandIn, type LoginStandIn } from '../graph-emulator/login';
import { graphHttp, TEST_TOKEN } from '../store/graphSupport';
import { provisionLists } from '../../src/store/graph/provision';

const CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000d0c7';
const SECRET = 'the-client-secret';
const MANIFEST_ID = 'f31b1263-ba99-435a-a679-911d24850d7c';
const ALL_ROLES = ['Sites.Selected', 'AppCatalog.Read.All', 'TeamsAppInstallation.ReadWriteSelfForUser.All', 'Mail.Send'];

let emulator: GraphEmulator;
let login: LoginStandIn;
beforeAll(async () => {
  emulator = await startGraphEmulator({ token: TEST_TOKEN, sites: [] });
  login = await startLoginStandIn({ tenantId: emulator.tenantId, graph: emulator, apps: [] });
  emulator.addCatalogApp({ id: 'b1c5353a-7aca-41b3-830f-27d5218fe0e5', externalId: MANIFEST_ID, displayName: 'Delivery Plan' });
});
afterAll(async () => {
  await login.close();
  await emulator.stop();
});

let n = 0;
interface Tenant {
  site: string;
  grant?: AccessLevel;
  roles?: string[];
  secret?: string;
  manifestId?: string;
}

/** A provisioned site, the app registered with `roles` and granted `grant` on the site. */
async function tenant(options: Partial<Tenant> = {}): Promise<Tenant & { env: Record<string, string> }> {
  const site = `contoso.sharepoint.com:/sites/doctor-${++n}`;
  emulator.addSite(site);
  await provisionLists(graphHttp(emulator), site);
  emulator.addUser(site, { name: 'Pat Prevent', email: 'pat.prevent@example.gov.uk' });
  emulator.grantSite(site, CLIENT_ID, options.grant ?? 'write');
  login.apps.splice(0, login.apps.length, { clientId: CLIENT_ID, clientSecret: SECRET, graphRoles: options.roles ?? ALL_ROLES });
  const env = {
    STORE: 'graph',
    GRAPH_BASE_URL: emulator.baseUrl,
    SHAREPOINT_SITE: site,
    TENANT_ID: emulator.tenantId,
    CLIENT_ID,
    CLIENT_SECRET: options.secret ?? SECRET,
    TEAMS_APP_ID: options.manifestId ?? MANIFEST_ID,
    DOCTOR_LOGIN_URL: login.url,
    LOG_LEVEL: 'silent',
  };
  return { site, ...options, env };
}

function check(report: DoctorReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

const failed = (report: DoctorReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('dplan doctor', () => {
  it('passes on a tenant set up as the deployment guide says, and leaves nothing behind', async () => {
    const t = await tenant();
    const report = await runDoctor(loadConfig(t.env));
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'config',
      'graph-token',
      'consent-sites',
      'consent-install',
      'consent-mail',
      'mail-policy',
      'site',
      'list-plans',
      'list-items',
      'list-updates',
      'list-leads',
      'probe-write',
      'batch',
      'probe-read',
      'probe-conflict',
      'probe-delta',
      'probe-people',
      'probe-cleanup',
      'site-role',
      'catalog',
      'bot-token',
    ]);
    expect(check(report, 'mail-policy').status).toBe('warn');
    expect(check(report, 'catalog').detail).toContain('catalog id b1c5353a-7aca-41b3-830f-27d5218fe0e5');
    expect(check(report, 'probe-conflict').detail).toMatch(/^412/);
    for (const list of ['Delivery Plan Items', 'Delivery Plan Leads', 'Delivery Plans', 'Delivery Plan Updates']) {
      expect(emulator.listItems(t.site, list)).toEqual([]);
    }
    // Tokens came from the stand-in only: Graph's and the Bot Framework's, for this app.
    expect(login.requests.slice(-2).map((r) => r.scope)).toEqual([
      `${new URL(emulator.baseUrl).origin}/.default`,
      'https://api.botframework.com/.default',
    ]);
  });

  it('fails on the site line, naming Sites.Selected and how to grant it, when the app has no role on the site', async () => {
    const t = await tenant({ grant: 'none' });
    const report = await runDoctor(loadConfig(t.env));
    expect(report.ok).toBe(false);
    const site = check(report, 'site');
    expect(site).toMatchObject({ status: 'fail', detail: 'Graph answers 403: the app has no role on this site' });
    expect(site.advice).toContain(`grant-sites-selected.sh --app-id ${CLIENT_ID} --site ${t.site} --role write`);
    expect(site.advice).toContain('Sites.Selected');
    expect(check(report, 'site-role').status).toBe('skip');
  });

  it('fails on the probe and the role line when the app may read the site but not write', async () => {
    const t = await tenant({ grant: 'read' });
    const report = await runDoctor(loadConfig(t.env));
    expect(failed(report)).toEqual(['probe-write', 'site-role']);
    expect(check(report, 'probe-write').advice).toContain('--role write');
  });

  it('fails on the list whose column lost its index, naming the column', async () => {
    const t = await tenant();
    emulator.setColumn(t.site, 'Delivery Plan Items', 'Status', { indexed: false });
    const report = await runDoctor(loadConfig(t.env));
    expect(failed(report)).toEqual(['list-items']);
    expect(check(report, 'list-items').detail).toBe('column Status is not indexed, so every read filtered on it is refused (400)');
    expect(check(report, 'list-items').advice).toContain('Indexed columns');
  });

  it('fails on each permission not consented: the install and the mail permissions', async () => {
    const t = await tenant({ roles: ['Sites.Selected', 'AppCatalog.Read.All'] });
    const report = await runDoctor(loadConfig(t.env));
    expect(failed(report)).toEqual(['consent-install', 'consent-mail']);
    expect(check(report, 'consent-install').advice).toContain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(check(report, 'consent-install').advice).toContain('grant admin consent');
  });

  it('fails on the catalog line when the Teams app is not in the org catalog, or the app may not read the catalog', async () => {
    const missing = await tenant({ manifestId: '0b0b0b0b-0000-4000-8000-000000000000' });
    const report = await runDoctor(loadConfig(missing.env));
    expect(failed(report)).toEqual(['catalog']);
    expect(check(report, 'catalog').advice).toContain('Upload build/appPackage.zip');
    const blind = await tenant({ roles: ALL_ROLES.filter((r) => r !== 'AppCatalog.Read.All') });
    const denied = await runDoctor(loadConfig(blind.env));
    expect(failed(denied)).toEqual(['catalog']);
    expect(check(denied, 'catalog').advice).toContain('AppCatalog.Read.All');
  });

  it("fails on the tokens with Entra's own error and what to do when the secret is wrong", async () => {
    const t = await tenant({ secret: 'not-the-secret' });
    const report = await runDoctor(loadConfig(t.env));
    expect(failed(report)).toEqual(['graph-token', 'bot-token']);
    expect(check(report, 'graph-token').detail).toMatch(/^401 invalid_client: AADSTS7000215/);
    expect(check(report, 'graph-token').advice).toContain('its Value (not its Secret ID)');
    expect(check(report, 'site').status).toBe('skip');
  });
});

describe('dplan doctor on the command line', () => {
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
      registerDoctor(program);
      await program.parseAsync(['node', 'dplan', 'doctor', ...args]);
    } finally {
      spy.mockRestore();
    }
    return out.join('');
  }

  it('prints the table and exits 0 when everything passes; --json for scripts; exit 1 with the failing line', async () => {
    const good = await tenant();
    Object.assign(process.env, good.env);
    const table = await run([]);
    expect(table).toMatch(/^status {2}check/);
    expect(table).toContain('ok      Token for Microsoft Graph');
    expect(table).toMatch(/All \d+ checks passed; 1 to look at\./);
    expect(table).not.toContain(SECRET);
    expect(process.exitCode).toBeUndefined();

    const bad = await tenant({ grant: 'none' });
    Object.assign(process.env, bad.env);
    const json = JSON.parse(await run(['--json'])) as DoctorReport;
    expect(process.exitCode).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.checks.find((c) => c.id === 'site')).toMatchObject({ status: 'fail' });
    const failing = await run([]);
    expect(failing).toMatch(/FAIL {4}SharePoint site contoso\.sharepoint\.com:\/sites\/doctor-\d+ +Graph answers 403/);
    expect(failing).toContain('→ Grant the app the write role on the site');
  });
});
