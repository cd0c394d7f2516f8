/**
 * The deployment package runs as App Service runs it: built once (npm run package:server), unzipped,
 * `node dist/main.js` with the production settings' shape — SharePoint through Graph (the local Graph
 * emulator) and the bot's state in Azure storage (Azurite) — and no build step, no dev dependencies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { packageServer } from '../../scripts/package-server';
import { startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { graphHttp, TEST_TOKEN } from '../store/graphSupport';
import { provisionLists } from '../../src/store/graph/provision';
import { startAzurite, type Azurite } from '../support/azurite';
import { waitUntil } from '../support/waitUntil';

jest.setTimeout(600_000);

const SITE = 'contoso.sharepoint.com:/sites/prevent';
let dir: string;
let zipPath: string;
let emulator: GraphEmulator;
let azurite: Azurite;
let server: ChildProcess | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-package-'));
  zipPath = path.join(dir, 'dplan-server.zip');
  packageServer({ out: zipPath });
  [emulator, azurite] = await Promise.all([startGraphEmulator({ token: TEST_TOKEN, sites: [SITE] }), startAzurite()]);
  await provisionLists(graphHttp(emulator), SITE);
});
afterAll(async () => {
  server?.kill('SIGKILL');
  await Promise.all([emulator?.stop(), azurite?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('holds the built server and tab and the production dependencies only', () => {
  const names = new Set(new AdmZip(zipPath).getEntries().map((e) => e.entryName.replace(/\\/g, '/')));
  for (const needed of ['dist/main.js', 'dist/app.js', 'dist/tab/index.html', 'package.json', 'package-lock.json'])
    expect(names).toContain(needed);
  const modules = new Set([...names].map((n) => /^node_modules\/((@[^/]+\/)?[^/]+)\//.exec(n)?.[1]).filter(Boolean));
  for (const runtime of ['express', 'zod', '@microsoft/teams.apps', '@azure/data-tables', 'better-sqlite3'])
    expect(modules).toContain(runtime);
  for (const dev of ['typescript', 'jest', 'vite', 'azurite', 'playwright-core', '@fluentui/react-components', 'react'])
    expect(modules).not.toContain(dev);
  expect([...names].some((n) => n.startsWith('src/') || n.startsWith('test/'))).toBe(false);
});

it('starts from the unzipped package with SharePoint through Graph and the state in Azure storage', async () => {
  const app = path.join(dir, 'app');
  new AdmZip(zipPath).extractAllTo(app, true);
  let output = '';
  server = spawn(process.execPath, ['dist/main.js'], {
    cwd: app,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      LOCAL_MODE: 'true',
      STORE: 'graph',
      GRAPH_BASE_URL: emulator.baseUrl,
      GRAPH_TOKEN: TEST_TOKEN,
      SHAREPOINT_SITE: SITE,
      STATE_STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      SCHEDULER: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  server.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  await waitUntil(() => /is running: open (http:\/\/[\d.]+:\d+)\/tab\//.test(output) || server!.exitCode !== null, {
    timeoutMs: 60_000,
    what: 'the packaged server to start',
  });
  expect(server.exitCode).toBeNull();
  const url = /is running: open (http:\/\/[\d.]+:\d+)\/tab\//.exec(output)![1]!;
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, store: 'graph', localMode: true });
  expect(await (await fetch(`${url}/api/plans`)).json()).toEqual([]);
  const tab = await fetch(`${url}/tab/`);
  expect(tab.status).toBe(200);
  expect(await tab.text()).toMatch(/<div id="root">/);
});
