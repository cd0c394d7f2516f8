/** People search: Graph on behalf of the caller in Teams (a local Graph stub here), the directories in local mode. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import { createLogger } from '../../../src/logger';
import { StaticTokenProvider } from '../../../src/graph/auth';
import { graphHttpFrom } from '../../../src/graph/graphConnection';
import { createApiRouter } from '../../../src/server/api';
import { SqliteSettingsStore } from '../../../src/store/settingsStore';
import { PlanSettingsResolver } from '../../../src/usecases/planSettings';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import { makePlan } from '../../store/fixtures';

async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('GET /api/people', () => {
  const store = new SqlitePlanStore(':memory:');
  const graphRequests: Array<{ url: string; auth?: string; consistency?: string }> = [];
  let graph: Awaited<ReturnType<typeof listen>>;
  let api: Awaited<ReturnType<typeof listen>>;
  let local: Awaited<ReturnType<typeof listen>>;
  let graphStatus = 200;
  /** Answers still to give with 503 before the next success (Graph's transient failure). */
  let unavailable = 0;

  beforeAll(async () => {
    const { planId } = await store.importPlan(makePlan(4));
    await store.setPeople(planId, 'Prevent Co-ordinator', [{ id: 'p1', name: 'Pat Prevent', email: 'pat@example.gov.uk' }]);
    await store.setPeople(planId, 'Community Safety Manager', [
      { id: 'p2', name: 'Sam Safety' },
      { id: 'p1', name: 'Pat Prevent', email: 'pat@example.gov.uk' },
    ]);
    graph = await listen((req, res) => {
      graphRequests.push({
        url: req.url ?? '',
        auth: req.headers.authorization,
        consistency: req.headers.consistencylevel as string | undefined,
      });
      if (unavailable > 0) {
        unavailable--;
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'try later' } }));
        return;
      }
      res.statusCode = graphStatus;
      res.setHeader('content-type', 'application/json');
      // List channels, in two pages (https://learn.microsoft.com/graph/api/channel-list; paging:
      // https://learn.microsoft.com/graph/paging).
      if (req.url?.startsWith('/v1.0/teams/')) {
        const second = req.url.includes('$skiptoken=2');
        res.end(
          JSON.stringify(
            second
              ? { value: [{ id: '19:b@thread.tacv2', displayName: 'Board', membershipType: 'standard' }] }
              : {
                  value: [
                    { id: '19:g@thread.tacv2', displayName: 'General', membershipType: 'standard' },
                    { id: '19:p@thread.tacv2', displayName: 'Private bits', membershipType: 'private' },
                  ],
                  '@odata.nextLink': `${graph.url}/v1.0/teams/${req.url.split('/')[3]}/channels?$select=id,displayName,membershipType&$skiptoken=2`,
                },
          ),
        );
        return;
      }
      res.end(
        JSON.stringify({
          value: [
            { id: 'oid-1', displayName: 'Pat Prevent', mail: 'pat@example.gov.uk' },
            { id: 'oid-2', userPrincipalName: 'pat2@example.gov.uk', mail: null },
          ],
        }),
      );
    });
    const logger = createLogger('silent');
    const clock = new FixedClock('2018-09-05T10:00:00Z');
    // A Teams caller: the validator stands in for SSO so that the token reaches Graph.
    const teamsConfig = loadConfig({
      LOG_LEVEL: 'silent',
      TENANT_ID: 't',
      CLIENT_ID: 'c',
      CLIENT_SECRET: 's',
      GRAPH_BASE_URL: `${graph.url}/v1.0`,
      SETTINGS_DB_PATH: ':memory:',
    });
    const teamsApp = express();
    teamsApp.use(
      '/api',
      createApiRouter({
        config: teamsConfig,
        store,
        logger,
        clock,
        settings: new PlanSettingsResolver(teamsConfig, new SqliteSettingsStore(':memory:')),
        validator: async (token) => ({ id: 'oid-me', name: 'Me', local: false, token }),
        // On-behalf-of stands in: the app's one Graph client, with the token the exchange would give.
        graphForUser: (userToken) => graphHttpFrom(teamsConfig, logger, new StaticTokenProvider(`graph-token-for-${userToken}`)),
      }),
    );
    api = await listen(teamsApp);
    const localConfig = loadConfig({ LOG_LEVEL: 'silent', LOCAL_MODE: 'true', SETTINGS_DB_PATH: ':memory:' });
    const localApp = express();
    localApp.use(
      '/api',
      createApiRouter({
        config: localConfig,
        store,
        logger,
        clock,
        settings: new PlanSettingsResolver(localConfig, new SqliteSettingsStore(':memory:')),
      }),
    );
    local = await listen(localApp);
  });
  afterAll(async () => {
    await Promise.all([graph.close(), api.close(), local.close()]);
    await store.close();
  });

  it('searches Graph on behalf of the signed-in user', async () => {
    const res = await fetch(`${api.url}/api/people?q=pat"`, { headers: { authorization: 'Bearer user-sso-token' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { id: 'oid-1', name: 'Pat Prevent', email: 'pat@example.gov.uk' },
      { id: 'oid-2', name: 'pat2@example.gov.uk', email: 'pat2@example.gov.uk' },
    ]);
    const sent = graphRequests.at(-1)!;
    expect(sent.auth).toBe('Bearer graph-token-for-user-sso-token');
    expect(sent.consistency).toBe('eventual');
    const url = new URL(sent.url, 'http://graph.invalid');
    expect(url.pathname).toBe('/v1.0/users');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      $search: '"displayName:pat" OR "mail:pat"',
      $select: 'id,displayName,mail,userPrincipalName',
      $top: '10',
    });
  });

  it('retries a search Graph could not answer just then, through the same client as every Graph call', async () => {
    unavailable = 2;
    const before = graphRequests.length;
    const res = await fetch(`${api.url}/api/people?q=pat`, { headers: { authorization: 'Bearer user-sso-token' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(2);
    expect(graphRequests.length - before).toBe(3);
  });

  it('says what to do when Graph refuses', async () => {
    graphStatus = 403;
    try {
      const res = await fetch(`${api.url}/api/people?q=pat`, { headers: { authorization: 'Bearer t' } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { message: string }).message).toMatch(/Type the person's name and email instead/);
    } finally {
      graphStatus = 200;
    }
  });

  it("lists the team's channels on behalf of the co-ordinator, every page, by name; none outside Teams", async () => {
    const team = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const plans = (await (await fetch(`${local.url}/api/plans`)).json()) as Array<{ id: string }>;
    const path = `/api/plans/${plans[0]!.id}/channels`;
    const res = await fetch(`${api.url}${path}?team=${team}`, { headers: { authorization: 'Bearer user-sso-token' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      available: true,
      channels: [
        { id: '19:b@thread.tacv2', name: 'Board', membershipType: 'standard' },
        { id: '19:g@thread.tacv2', name: 'General', membershipType: 'standard' },
        { id: '19:p@thread.tacv2', name: 'Private bits', membershipType: 'private' },
      ],
    });
    const sent = graphRequests.filter((r) => r.url.startsWith('/v1.0/teams/'));
    expect(sent[0]?.url).toBe(`/v1.0/teams/${team}/channels?$select=id,displayName,membershipType`);
    expect(sent[0]?.auth).toBe('Bearer graph-token-for-user-sso-token');
    const noTeam = await fetch(`${api.url}${path}?team=general`, { headers: { authorization: 'Bearer t' } });
    expect(noTeam.status).toBe(400);
    expect(((await noTeam.json()) as { message: string }).message).toBe("team: The team's id is a group id (a GUID)");
    const outside = await fetch(`${local.url}${path}`);
    expect(await outside.json()).toMatchObject({ available: false, channels: [] });
  });

  it('keeps an external partner added by e-mail as mailto:<address>, finds them in both modes, and refuses a mailto: id without the address', async () => {
    const plans = (await (await fetch(`${local.url}/api/plans`)).json()) as Array<{ id: string }>;
    const path = `${local.url}/api/plans/${plans[0]!.id}/directory`;
    const put = (people: unknown[]) =>
      fetch(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roles: [{ role: 'Partnership Lead', people }] }),
      });
    const saved = await put([{ id: 'mailto:Ria@Partner.org', name: 'Ria Partner', email: 'ria@partner.org' }]);
    expect(saved.status).toBe(200);
    const role = ((await saved.json()) as Array<{ role: string; people: Array<{ id: string; email?: string }> }>).find(
      (r) => r.role === 'Partnership Lead',
    );
    expect(role?.people).toMatchObject([{ id: 'mailto:ria@partner.org', name: 'Ria Partner', email: 'ria@partner.org' }]);
    await expect((await fetch(`${local.url}/api/people?q=ria`)).json()).resolves.toEqual([
      { id: 'mailto:ria@partner.org', name: 'Ria Partner', email: 'ria@partner.org' },
    ]);
    // In Teams, Graph finds the organisation's people; the partners already named are added after them.
    const inTeams = (await (await fetch(`${api.url}/api/people?q=ria`, { headers: { authorization: 'Bearer t' } })).json()) as Array<{
      id: string;
    }>;
    expect(inTeams.map((p) => p.id)).toEqual(['oid-1', 'oid-2', 'mailto:ria@partner.org']);
    const refused = await put([{ id: 'mailto:ria@partner.org', name: 'Ria Partner' }]);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^Ria Partner: a person added by e-mail needs their e-mail address/,
    );
  });

  it('searches the plans\u2019 directories in local mode, once per person, and wants 2 characters', async () => {
    const res = await fetch(`${local.url}/api/people?q=PAT`);
    expect(await res.json()).toEqual([{ id: 'p1', name: 'Pat Prevent', email: 'pat@example.gov.uk' }]);
    const short = await fetch(`${local.url}/api/people?q=p`);
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toBe('q: Type at least 2 characters to search for people');
  });
});
