/**
 * GraphHttp against the emulator: which answers are retried and which are an unknown outcome, how a
 * `$batch` chain rides out throttling, 403s that name the grant, and pacing by RateLimit headers.
 */
import { AmbiguousWriteError, MissingGrantError } from '../../src/graph/graphErrors';
import { grantNeeded } from '../../src/graph/graphErrors';
import { ManualClock, startGraphEmulator, type GraphEmulator } from '../graph-emulator/emulator';
import { graphHttp, recordedRetry, TEST_TOKEN, type SleepLog } from '../store/graphSupport';

const SITE = 'contoso.sharepoint.com:/sites/http';
let emulator: GraphEmulator;
let items: string;
beforeAll(async () => {
  emulator = await startGraphEmulator({ token: TEST_TOKEN, sites: [SITE] });
  const http = graphHttp(emulator);
  const siteId = (await http.get<{ id: string }>(`/sites/${SITE}`)).body.id;
  const list = await http.request<{ id: string }>('POST', `/sites/${siteId}/lists`, {
    body: { displayName: 'Rows', columns: [{ name: 'Ref', text: {}, indexed: true, enforceUniqueValues: true }] },
  });
  items = `/sites/${siteId}/lists/${list.body.id}/items`;
});
afterAll(async () => {
  await emulator.stop();
});
afterEach(() => {
  emulator.intercept = undefined;
});

describe('GraphHttp', () => {
  it('treats a 504 on a write that is not safe to repeat as an unknown outcome, and repeats a GET', async () => {
    const http = graphHttp(emulator);
    emulator.intercept = (call) => (call.method === 'POST' ? { gatewayTimeoutAfter: true } : undefined);
    await expect(http.request('POST', items, { body: { fields: { Title: 'a', Ref: 'a' } } })).rejects.toBeInstanceOf(AmbiguousWriteError);
    expect(emulator.listItems(SITE, 'Rows').map((r) => r.Ref)).toEqual(['a']);
    let gets = 0;
    emulator.intercept = (call) =>
      call.method === 'GET' && gets++ === 0 ? { fail: { status: 504, code: 'GatewayTimeout', message: 'late' } } : undefined;
    expect((await http.get(items)).status).toBe(200);
    expect(gets).toBe(2);
  });

  it('sends a $batch chain again when its first step is throttled, and never repeats a POST answered 504', async () => {
    const log: SleepLog = { waits: [] };
    const http = graphHttp(emulator, recordedRetry(log));
    const row = (await http.request<{ id: string; eTag: string }>('POST', items, { body: { fields: { Title: 'b', Ref: 'b' } } })).body;
    let patches = 0;
    emulator.intercept = (call) =>
      call.method === 'PATCH' && patches++ === 0
        ? { fail: { status: 429, code: 'activityLimitReached', message: 'slow down' } }
        : undefined;
    const [patch, post] = await http.batch([
      { id: 'p', method: 'PATCH', url: `${items}/${row.id}/fields`, headers: { 'If-Match': row.eTag }, body: { Title: 'b2' } },
      { id: 'c', method: 'POST', url: items, body: { fields: { Title: 'c', Ref: 'c' } }, dependsOn: ['p'] },
    ]);
    expect([patch!.status, post!.status]).toEqual([200, 201]);
    expect(patches).toBe(2);
    expect(log.waits).toHaveLength(1);

    emulator.intercept = (call) => (call.method === 'POST' ? { gatewayTimeoutAfter: true } : undefined);
    const [timedOut] = await http.batch([{ id: 'd', method: 'POST', url: items, body: { fields: { Title: 'd', Ref: 'd' } } }]);
    expect(timedOut!.status).toBe(504);
    expect(emulator.listItems(SITE, 'Rows').filter((r) => r.Ref === 'd')).toHaveLength(1);
  });

  it('turns a 403 into a message naming the permission', async () => {
    const token = emulator.addApp({ appId: 'no-grant', roles: ['Sites.Selected'] });
    const http = graphHttp(emulator, recordedRetry(), token);
    const attempt = http.get(`/sites/${SITE}`);
    await expect(attempt).rejects.toBeInstanceOf(MissingGrantError);
    await expect(attempt).rejects.toThrow('the Sites.Selected application permission with the read role on this SharePoint site');
    expect(grantNeeded('POST', '/sites/x/lists')).toContain('manage role');
    expect(grantNeeded('POST', '/users/u/teamwork/installedApps')).toContain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(grantNeeded('GET', '/appCatalogs/teamsApps')).toContain('AppCatalog.Read.All');
    expect(grantNeeded('POST', '/users/u/sendMail')).toContain('Mail.Send');
  });

  it('waits for the budget to reset when SharePoint says little is left, instead of being throttled', async () => {
    const clock = new ManualClock();
    const budgeted = await startGraphEmulator({ token: TEST_TOKEN, sites: [SITE], unitsPerMinute: 100, clock });
    try {
      const log: SleepLog = { waits: [] };
      const http = graphHttp(budgeted, recordedRetry(log, { sleep: async (ms) => (log.waits.push(ms), clock.advance(ms)) }));
      for (let i = 0; i < 150; i++) await http.get(`/sites/${SITE}`); // 1 unit each: 150 in a budget of 100 a minute
      expect(budgeted.stats.throttled).toBe(0);
      expect(http.stats.paced).toBeGreaterThan(0);
      expect(log.waits.every((w) => w >= 1000)).toBe(true);
      expect(clock.now() - Date.parse('2019-01-15T09:00:00Z')).toBeGreaterThanOrEqual(60_000);
    } finally {
      await budgeted.stop();
    }
  });
});
