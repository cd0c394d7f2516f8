/**
 * `dplan doctor`: everything the app relies on in a tenant, checked with the app's own credentials
 * before the first lead is prompted. Each check says what it found and, when it fails, what to do.
 * Nothing is left behind (the probe's rows are deleted), and no token is printed.
 */
import { cloudFromName, PUBLIC } from '@microsoft/teams.api';
import type { Config } from '../config';
import { StaticTokenProvider, defaultScopeFor } from '../graph/auth';
import { GraphHttp } from '../graph/graphHttp';
import type { Logger } from '../logger';
import { requestAppToken } from './appToken';
import { fail, messageOf, pass, skip, warn, type CheckResult, type DoctorReport } from './checkResult';
import { runProbe } from './probeChecks';
import { checkLists, checkSite } from './siteChecks';
import { botTokenCheck, catalogCheck, consentChecks } from './teamsChecks';

export type DoctorConfig = Pick<
  Config,
  | 'STORE'
  | 'TENANT_ID'
  | 'CLIENT_ID'
  | 'CLIENT_SECRET'
  | 'SHAREPOINT_SITE'
  | 'GRAPH_BASE_URL'
  | 'GRAPH_MAX_RETRIES'
  | 'TEAMS_APP_ID'
  | 'CLOUD'
  | 'DOCTOR_LOGIN_URL'
>;

export interface DoctorOptions {
  logger?: Logger;
  /** The HTTP client for token requests; tests keep the default. */
  fetch?: typeof fetch;
}

export async function runDoctor(config: DoctorConfig, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const done = (): DoctorReport => ({ ok: !checks.some((c) => c.status === 'fail'), checks });
  const cloud = config.CLOUD ? cloudFromName(config.CLOUD) : PUBLIC;
  const loginUrl = config.DOCTOR_LOGIN_URL ?? cloud.loginEndpoint;

  const missing = (['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'SHAREPOINT_SITE'] as const).filter((k) => !config[k]);
  if (config.STORE !== 'graph') {
    checks.push(
      warn(
        'store',
        'Store',
        `STORE is ${config.STORE}: the app keeps plans in its embedded SQLite file, not SharePoint`,
        'Set STORE=graph to run on SharePoint lists; the checks below are of SHAREPOINT_SITE.',
      ),
    );
  }
  if (missing.length > 0) {
    checks.push(
      fail(
        'config',
        'Configuration',
        `${missing.join(', ')} not set`,
        'Set them as for the app (docs/deployment.md step 6: export STORE=graph TENANT_ID=… CLIENT_ID=… SHAREPOINT_SITE=… and CLIENT_SECRET from Key Vault).',
      ),
    );
  } else {
    checks.push(pass('config', 'Configuration', `tenant ${config.TENANT_ID}, app ${config.CLIENT_ID}, site ${config.SHAREPOINT_SITE}`));
  }
  if (!config.TENANT_ID || !config.CLIENT_ID || !config.CLIENT_SECRET) return done();
  const credentials = { loginUrl, tenant: config.TENANT_ID, clientId: config.CLIENT_ID, clientSecret: config.CLIENT_SECRET };

  // Microsoft Graph, as the app.
  const graphScope = defaultScopeFor(config.GRAPH_BASE_URL);
  const graphToken = await requestAppToken({ ...credentials, scope: graphScope }, options.fetch);
  let http: GraphHttp | undefined;
  if (graphToken.ok) {
    checks.push(
      pass(
        'graph-token',
        'Token for Microsoft Graph',
        `issued for ${graphScope} with ${(graphToken.claims.roles ?? []).length} application permissions`,
      ),
    );
    checks.push(...consentChecks(graphToken.claims.roles ?? [], config.CLIENT_ID));
    http = new GraphHttp({
      baseUrl: config.GRAPH_BASE_URL,
      auth: new StaticTokenProvider(graphToken.token),
      retry: { maxRetries: Math.min(config.GRAPH_MAX_RETRIES, 4) },
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } else {
    checks.push(fail('graph-token', 'Token for Microsoft Graph', graphToken.detail, graphToken.advice));
  }

  if (http && config.SHAREPOINT_SITE) {
    await checkSharePoint(http, config.SHAREPOINT_SITE, config.CLIENT_ID, checks);
  } else if (config.SHAREPOINT_SITE) {
    checks.push(skip('site', `SharePoint site ${config.SHAREPOINT_SITE}`, 'no Graph token'));
  }

  const manifestId = config.TEAMS_APP_ID ?? config.CLIENT_ID;
  checks.push(
    http ? await catalogCheck(http, manifestId) : skip('catalog', `Teams app ${manifestId} in the org catalog`, 'no Graph token'),
  );
  checks.push(await botTokenCheck({ ...credentials, tenant: config.TENANT_ID ?? cloud.loginTenant, scope: cloud.botScope }, options.fetch));
  return done();
}

async function checkSharePoint(http: GraphHttp, site: string, clientId: string, checks: CheckResult[]): Promise<void> {
  const roleTitle = "The app's role on the site";
  try {
    const { result, siteId } = await checkSite(http, site, clientId);
    checks.push(result);
    if (!siteId) {
      checks.push(skip('site-role', roleTitle, 'the site could not be read'));
      return;
    }
    const { results, lists } = await checkLists(http, siteId, site, clientId);
    checks.push(...results);
    if (!lists) {
      checks.push(warn('site-role', roleTitle, 'read: yes; write: not checked (lists missing)', 'Provision the lists first.'));
      return;
    }
    const probe = await runProbe({ http, siteId, lists, site, clientId });
    checks.push(...probe.results);
    checks.push(
      probe.canWrite
        ? pass('site-role', roleTitle, 'read and write (the probe was written); manage not checked: only dplan provision needs it')
        : fail('site-role', roleTitle, 'read only: the app cannot record reports', 'Grant the write role (see the probe line above).'),
    );
  } catch (error) {
    checks.push(fail('sharepoint', 'SharePoint', messageOf(error), 'See the message.'));
  }
}
