/** Every response carries the headers Teams needs to frame the tab, and nothing lets another site frame it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { startApp, type RunningApp } from '../../src/app';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';

let dir: string;
let running: RunningApp;
let store: SqlitePlanStore;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-headers-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOCAL_MODE: 'true',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: path.join(dir, 'p.sqlite'),
    SCHEDULER: 'false',
  });
  store = new SqlitePlanStore(config.SQLITE_PATH);
  running = await startApp({ config, store, logger: createLogger('silent'), clock: new FixedClock('2018-09-03T09:00:00Z') }, { port: 0 });
});

afterAll(async () => {
  await running.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('security headers', () => {
  it.each(['/tab/', '/tab/config.html', '/healthz', '/api/plans'])('%s may be framed by Teams and Microsoft 365 only', async (url) => {
    const res = await fetch(`${running.url}${url}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    expect(ancestors).toEqual([
      "'self'",
      'https://*.cloud.microsoft',
      'https://teams.microsoft.com',
      'https://*.teams.microsoft.com',
      'https://*.microsoft365.com',
      'https://*.office.com',
      'https://outlook.office.com',
      'https://outlook.office365.com',
    ]);
    expect(ancestors).not.toContain('*');
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBeNull(); // it would forbid Teams; CSP frame-ancestors is what browsers use
  });
});
