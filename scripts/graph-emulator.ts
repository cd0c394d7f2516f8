/**
 * Starts the local Graph emulator for development: `npm run graph-emulator -- [options]`.
 * Prints the base URL and the environment that points dplan and the app at it.
 *
 *   --port <n>              port (default 4319; 0 picks a free one)
 *   --token <t>             bearer token it accepts, with every permission (default dev-graph-token)
 *   --site <host:/path>     site that exists (default contoso.sharepoint.com:/sites/prevent)
 *   --provision             create the app's lists in the site at start
 *   --throttle <0..1>       share of requests answered 429 (and of requests inside batches)
 *   --retry-after <s>       Retry-After seconds for those 429/503s (default 1)
 *   --unavailable <0..1>    share answered 503
 *   --gateway-timeout <0..1> share of writes applied and then answered 504
 *   --save-conflict <0..1>  share of item updates refused with 409 "Save Conflict" (another save got in first)
 *   --latency <ms>          added to every answer
 *   --drop <0..1>           share of connections dropped (half before, half after applying the request)
 *   --budget <units>        SharePoint's resource units per app per minute (1200 for a small tenant):
 *                           429 with the real wait, RateLimit-* headers from 80 % (real time: minutes)
 *   --unique-409            answer a unique-value clash 409 instead of SharePoint's 500
 *   --doctor                also start a token endpoint stand-in, an app registration with every
 *                           permission the app needs and the write role on the site, and the Teams
 *                           app in the catalog: prints the environment for `dplan doctor`
 * Faults can also be switched while it runs: POST {base}/_emulator/faults with the Faults JSON.
 */
import { StaticTokenProvider } from '../src/graph/auth';
import { GraphHttp } from '../src/graph/graphHttp';
import { provisionLists } from '../src/store/graph/provision';
import { startGraphEmulator } from '../test/graph-emulator/emulator';
import { startLoginStandIn } from '../test/graph-emulator/login';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function rate(name: string): number {
  const value = Number(option(name) ?? 0);
  if (!(value >= 0 && value <= 1)) throw new Error(`--${name} must be between 0 and 1`);
  return value;
}

async function main(): Promise<void> {
  const token = option('token') ?? 'dev-graph-token';
  const site = option('site') ?? 'contoso.sharepoint.com:/sites/prevent';
  const drop = rate('drop');
  const budget = option('budget') ? Number(option('budget')) : undefined;
  if (budget !== undefined && !(budget > 0)) throw new Error('--budget must be a number of resource units per minute, e.g. 1200');
  const emulator = await startGraphEmulator({
    token,
    sites: [site],
    port: Number(option('port') ?? 4319),
    seed: Date.now() % 100000,
    ...(budget ? { unitsPerMinute: budget } : {}),
    uniqueClash: process.argv.includes('--unique-409') ? 'status-409' : 'status-500',
  });
  if (process.argv.includes('--provision') || process.argv.includes('--doctor')) {
    await provisionLists(new GraphHttp({ baseUrl: emulator.baseUrl, auth: new StaticTokenProvider(token) }), site);
  }
  emulator.setFaults({
    throttleRate: rate('throttle'),
    batchItemThrottleRate: rate('throttle'),
    unavailableRate: rate('unavailable'),
    retryAfterSeconds: Number(option('retry-after') ?? 1),
    latencyMs: Number(option('latency') ?? 0),
    dropBeforeRate: drop / 2,
    dropAfterRate: drop / 2,
    applyThen504Rate: rate('gateway-timeout'),
    saveConflictRate: rate('save-conflict'),
  });
  const lines = [
    `Graph emulator listening at ${emulator.baseUrl}`,
    `site ${site}${process.argv.includes('--provision') ? ' (lists provisioned)' : ''}; faults ${JSON.stringify(emulator.faults)}${budget ? `; budget ${budget} units a minute` : ''}`,
    'Point dplan at it with:',
    `  export STORE=graph GRAPH_BASE_URL=${emulator.baseUrl} GRAPH_TOKEN=${token} SHAREPOINT_SITE=${site}`,
  ];
  let closeLogin = async (): Promise<void> => undefined;
  if (process.argv.includes('--doctor')) {
    const app = { clientId: '00000000-0000-4000-8000-00000000d0c7', clientSecret: 'dev-client-secret' };
    const roles = ['Sites.Selected', 'AppCatalog.Read.All', 'TeamsAppInstallation.ReadWriteSelfForUser.All', 'Mail.Send'];
    const login = await startLoginStandIn({ tenantId: emulator.tenantId, graph: emulator, apps: [{ ...app, graphRoles: roles }] });
    closeLogin = login.close;
    emulator.grantSite(site, app.clientId, 'write');
    emulator.addCatalogApp({ id: '3a1f6a2c-0000-4000-8000-0000000ca7a1', externalId: app.clientId, displayName: 'Delivery Plan' });
    emulator.addUser(site, { name: 'Pat Prevent', email: 'pat.prevent@example.gov.uk' });
    lines.push(
      'Check it with dplan doctor (a token endpoint stand-in at ' + login.url + '):',
      `  STORE=graph GRAPH_BASE_URL=${emulator.baseUrl} SHAREPOINT_SITE=${site} TENANT_ID=${emulator.tenantId} \\`,
      `  CLIENT_ID=${app.clientId} CLIENT_SECRET=${app.clientSecret} DOCTOR_LOGIN_URL=${login.url} npx dplan doctor`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    void Promise.all([emulator.stop(), closeLogin()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`graph-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
