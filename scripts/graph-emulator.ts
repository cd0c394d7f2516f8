/**
 * Starts the local Graph emulator for development: `npm run graph-emulator -- [options]`.
 * Prints the base URL and the environment that points dplan and the app at it.
 *
 *   --port <n>            port (default 4319; 0 picks a free one)
 *   --token <t>           bearer token it accepts (default dev-graph-token)
 *   --site <host:/path>   site that exists (default contoso.sharepoint.com:/sites/prevent)
 *   --provision           create the app's lists in the site at start
 *   --throttle <0..1>     share of requests answered 429 (and of requests inside batches)
 *   --retry-after <s>     Retry-After seconds for 429/503 (default 1)
 *   --unavailable <0..1>  share answered 503
 *   --latency <ms>        added to every answer
 *   --drop <0..1>         share of connections dropped (half before, half after applying the request)
 * Faults can also be switched while it runs: POST {base}/_emulator/faults with the Faults JSON.
 */
import { StaticTokenProvider } from '../src/graph/auth';
import { GraphHttp } from '../src/graph/graphHttp';
import { provisionLists } from '../src/store/graph/provision';
import { startGraphEmulator } from '../test/graph-emulator/emulator';

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
  const emulator = await startGraphEmulator({
    token,
    sites: [site],
    port: Number(option('port') ?? 4319),
    seed: Date.now() % 100000,
  });
  if (process.argv.includes('--provision')) {
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
  });
  process.stdout.write(
    [
      `Graph emulator listening at ${emulator.baseUrl}`,
      `site ${site}${process.argv.includes('--provision') ? ' (lists provisioned)' : ''}; faults ${JSON.stringify(emulator.faults)}`,
      'Point dplan at it with:',
      `  export STORE=graph GRAPH_BASE_URL=${emulator.baseUrl} GRAPH_TOKEN=${token} SHAREPOINT_SITE=${site}`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`graph-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
