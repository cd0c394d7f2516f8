/**
 * The emulator refuses and fails as SharePoint behind Graph does (issue 14): annotation types, text
 * compared without case, batch parts in any order, delta, the resource-unit budget with RateLimit
 * headers, Sites.Selected roles and 403s, writes applied and then answered 504, 409 save conflicts,
 * columns left unindexed, and the token endpoint stand-in.
 */
import { ManualClock, startGraphEmulator, type GraphEmulator } from './emulator';
import { startLoginStandIn } from './login';

const TOKEN = 'strict-token';
const SITE = 'contoso.sharepoint.com:/sites/strict';

type Body = Record<string, unknown> & { value?: Array<Record<string, unknown>>; error?: { code: string; message: string } };

async function call(
  emulator: GraphEmulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = TOKEN,
): Promise<{ status: number; body: Body; headers: Headers }> {
  const url = path.startsWith('http') ? path : `${emulator.baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body, headers: response.headers };
}

async function withList(emulator: GraphEmulator): Promise<{ siteId: string; items: string }> {
  const siteId = String((await call(emulator, 'GET', `/sites/${SITE}`)).body.id);
  const created = await call(emulator, 'POST', `/sites/${siteId}/lists`, {
    displayName: 'Roles',
    columns: [
      { name: 'Ref', text: {}, indexed: true, enforceUniqueValues: true },
      { name: 'People', personOrGroup: { allowMultipleSelection: true, chooseFromType: 'peopleOnly' } },
      { name: 'Owner', personOrGroup: { allowMultipleSelection: false, chooseFromType: 'peopleOnly' } },
    ],
  });
  return { siteId, items: `/sites/${siteId}/lists/${String(created.body.id)}/items` };
}

describe('Graph emulator strictness', () => {
  let emulator: GraphEmulator;
  let siteId: string;
  let items: string;
  beforeEach(async () => {
    emulator = await startGraphEmulator({ token: TOKEN, sites: [SITE], seed: 3 });
    ({ siteId, items } = await withList(emulator));
  });
  afterEach(async () => {
    await emulator.stop();
  });

  it('checks the @odata.type of a multi-person column: Collection(Edm.Int32) with numbers only', async () => {
    const a = emulator.addUser(SITE, { name: 'Ann', email: 'ann@example.gov.uk' });
    const b = emulator.addUser(SITE, { name: 'Bob', email: 'bob@example.gov.uk' });
    const post = (fields: Record<string, unknown>) => call(emulator, 'POST', items, { fields: { Title: 't', ...fields } });
    const bare = await post({ PeopleLookupId: [a, b] });
    expect(bare.status).toBe(400);
    expect(bare.body.error!.message).toContain('A value without a type name was found');
    expect((await post({ 'PeopleLookupId@odata.type': 'Collection(Edm.String)', PeopleLookupId: [String(a)] })).status).toBe(400);
    const strings = await post({ 'PeopleLookupId@odata.type': 'Collection(Edm.Int32)', PeopleLookupId: [String(a)] });
    expect(strings.body.error!.message).toContain("to the expected type 'Edm.Int32'");
    expect((await post({ 'PeopleLookupId@odata.type': 'Collection(Edm.Int32)', PeopleLookupId: [a, 999] })).status).toBe(400);
    const ok = await post({ 'PeopleLookupId@odata.type': 'Collection(Edm.Int32)', PeopleLookupId: [a, b] });
    expect(ok.status).toBe(201);
    expect(ok.body.fields).toMatchObject({ PeopleLookupId: [a, b] });
    expect((await post({ 'OwnerLookupId@odata.type': 'Collection(Edm.Int32)', OwnerLookupId: [a] })).status).toBe(400);
    expect((await post({ 'Ref@odata.type': 'Edm.String', Ref: 'x' })).status).toBe(400);
    expect((await post({ 'NopeLookupId@odata.type': 'Collection(Edm.Int32)', NopeLookupId: [a] })).status).toBe(400);
  });

  it('compares text without case in $filter eq and in unique columns', async () => {
    expect((await call(emulator, 'POST', items, { fields: { Title: 't', Ref: 'plan-1/Prevent Lead' } })).status).toBe(201);
    const found = await call(emulator, 'GET', `${items}?expand=fields&$filter=fields/Ref eq 'PLAN-1/prevent lead'`);
    expect(found.body.value).toHaveLength(1);
    const clash = await call(emulator, 'POST', items, { fields: { Title: 't', Ref: 'PLAN-1/PREVENT LEAD' } });
    expect(clash.status).toBe(500);
    expect(clash.body.error!.message).toContain('duplicate values were found');
  });

  it('runs batch parts in any order and answers in any order; dependsOn keeps its order', async () => {
    const create = (i: number, dependsOn?: string[]) => ({
      id: String(i),
      method: 'POST',
      url: items,
      headers: { 'Content-Type': 'application/json' },
      body: { fields: { Title: `Row ${i}` } },
      ...(dependsOn ? { dependsOn } : {}),
    });
    const parallel = await call(emulator, 'POST', '/$batch', { requests: Array.from({ length: 20 }, (_, i) => create(i)) });
    const answered = (parallel.body.responses as Array<{ id: string; body: { id: string } }>).map((r) => r.id);
    expect(answered).not.toEqual(answered.slice().sort((x, y) => Number(x) - Number(y)));
    const ids = emulator.listItems(SITE, 'Roles').map((r) => r.Title);
    expect(ids).not.toEqual(Array.from({ length: 20 }, (_, i) => `Row ${i}`));
    const chain = Array.from({ length: 5 }, (_, i) => create(100 + i, i > 0 ? [String(99 + i)] : undefined));
    await call(emulator, 'POST', '/$batch', { requests: chain.reverse() });
    expect(
      emulator
        .listItems(SITE, 'Roles')
        .slice(20)
        .map((r) => r.Title),
    ).toEqual(['Row 100', 'Row 101', 'Row 102', 'Row 103', 'Row 104']);
  });

  it('tracks changes with delta: token=latest, created, changed and deleted since, 410 for an expired token', async () => {
    const latest = await call(emulator, 'GET', `${items}/delta?$expand=fields&token=latest`);
    expect(latest.body.value).toEqual([]);
    const link = String(latest.body['@odata.deltaLink']);
    expect(link).toContain('$expand=fields');
    const one = await call(emulator, 'POST', items, { fields: { Title: 'one', Ref: 'a' } });
    const two = await call(emulator, 'POST', items, { fields: { Title: 'two', Ref: 'b' } });
    await call(emulator, 'PATCH', `${items}/${String(one.body.id)}/fields`, { Title: 'one again' });
    await call(emulator, 'DELETE', `${items}/${String(two.body.id)}`);
    const changes = await call(emulator, 'GET', link);
    expect(changes.body.value!.map((v) => [v.id, (v.fields as { Title?: string } | undefined)?.Title ?? v.deleted])).toEqual([
      [String(one.body.id), 'one again'],
      [String(two.body.id), { state: 'deleted' }],
    ]);
    const quiet = await call(emulator, 'GET', String(changes.body['@odata.deltaLink']));
    expect(quiet.body.value).toEqual([]);
    emulator.expireDeltaTokens(SITE);
    const gone = await call(emulator, 'GET', String(quiet.body['@odata.deltaLink']));
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toContain('/items/delta');
  });

  it('refuses a write that conflicts as SharePoint saves it (409 Save Conflict), and can apply a write then answer 504', async () => {
    const row = await call(emulator, 'POST', items, { fields: { Title: 'row', Ref: 'r' } });
    emulator.setFaults({ saveConflictRate: 1 });
    const conflict = await call(emulator, 'PATCH', `${items}/${String(row.body.id)}/fields`, { Title: 'changed' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error!.message).toMatch(/^Save Conflict/);
    expect(emulator.listItems(SITE, 'Roles')[0]).toMatchObject({ Title: 'row' });
    const now = await call(emulator, 'GET', `${items}/${String(row.body.id)}`);
    expect(now.body.eTag).not.toBe(row.body.eTag);
    emulator.setFaults({ applyThen504Rate: 1 });
    const timedOut = await call(emulator, 'POST', items, { fields: { Title: 'late', Ref: 'l' } });
    expect(timedOut.status).toBe(504);
    expect(emulator.listItems(SITE, 'Roles').map((r) => r.Title)).toEqual(['row', 'late']);
    expect(emulator.stats.gatewayTimeouts).toBe(1);
  });

  it('leaves a column unindexed when SharePoint does not index it, and says so when read back', async () => {
    emulator.unindexedColumns.add('Code');
    const list = await call(emulator, 'POST', `/sites/${siteId}/lists`, {
      displayName: 'Codes',
      columns: [{ name: 'Code', text: {}, indexed: true, enforceUniqueValues: true }],
    });
    expect(list.status).toBe(201);
    const columns = await call(emulator, 'GET', `/sites/${siteId}/lists/${String(list.body.id)}/columns`);
    expect(columns.body.value!.find((c) => c.name === 'Code')).toMatchObject({ indexed: false, enforceUniqueValues: false });
    const filtered = await call(emulator, 'GET', `/sites/${siteId}/lists/${String(list.body.id)}/items?$filter=fields/Code eq 'x'`);
    expect(filtered.status).toBe(400);
  });
});

describe('Graph emulator: SharePoint resource-unit budget', () => {
  it('charges each request (and each batch part) its units, sends RateLimit headers from 80 %, then 429s with the wait', async () => {
    const clock = new ManualClock();
    const emulator = await startGraphEmulator({ token: TOKEN, sites: [SITE], unitsPerMinute: 20, clock });
    try {
      const site = await call(emulator, 'GET', `/sites/${SITE}`); // 1 unit
      const lists = `/sites/${String(site.body.id)}/lists`;
      for (let i = 0; i < 7; i++) expect((await call(emulator, 'GET', lists)).headers.get('ratelimit-limit')).toBeNull(); // 2 each: 15
      const warned = await call(emulator, 'GET', lists); // 17 of 20: over 80 %
      expect(warned.status).toBe(200);
      expect([warned.headers.get('ratelimit-limit'), warned.headers.get('ratelimit-remaining')]).toEqual(['20', '3']);
      clock.advance(10_000);
      const batch = await call(emulator, 'POST', '/$batch', {
        requests: [
          { id: '1', method: 'GET', url: lists },
          { id: '2', method: 'GET', url: lists },
        ],
      });
      const parts = batch.body.responses as Array<{ id: string; status: number; headers: Record<string, string>; body: Body }>;
      expect(parts.map((p) => p.status).sort()).toEqual([200, 429]);
      const refused = parts.find((p) => p.status === 429)!;
      expect(refused.body.error!.code).toBe('activityLimitReached');
      // The minute's first units (at 0 s) leave the window 50 s later, on the clock that has moved 10 s.
      expect(refused.headers['Retry-After']).toBe('50');
      expect(refused.headers['RateLimit-Remaining']).toBe('0');
      clock.advance(50_000);
      expect((await call(emulator, 'GET', lists)).status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });
});

describe('Graph emulator: app permissions and Sites.Selected', () => {
  it('answers 403 without the site role a request needs, and the catalog only with AppCatalog.Read.All', async () => {
    const emulator = await startGraphEmulator({ token: TOKEN, sites: [SITE] });
    try {
      const { siteId } = await withList(emulator);
      const appId = 'app-selected';
      const token = emulator.addApp({ appId, roles: ['Sites.Selected'] });
      const as = (method: string, path: string, body?: unknown) => call(emulator, method, path, body, {}, token);
      const denied = await as('GET', `/sites/${SITE}`);
      expect([denied.status, denied.body.error!.code, denied.body.error!.message]).toEqual([403, 'accessDenied', 'Access denied']);
      emulator.grantSite(SITE, appId, 'read');
      expect((await as('GET', `/sites/${siteId}/lists`)).status).toBe(200);
      expect((await as('POST', `/sites/${siteId}/lists/Roles/items`, { fields: { Title: 'x' } })).status).toBe(403);
      emulator.grantSite(SITE, appId, 'write');
      expect((await as('POST', `/sites/${siteId}/lists/Roles/items`, { fields: { Title: 'x' } })).status).toBe(201);
      expect((await as('POST', `/sites/${siteId}/lists/Roles/columns`, { name: 'More', text: {} })).status).toBe(403);
      emulator.grantSite(SITE, appId, 'manage');
      expect((await as('POST', `/sites/${siteId}/lists/Roles/columns`, { name: 'More', text: {} })).status).toBe(201);

      emulator.addCatalogApp({ id: 'catalog-1', externalId: 'manifest-1', displayName: 'Delivery Plan' });
      const noRole = await as('GET', "/appCatalogs/teamsApps?$filter=externalId eq 'manifest-1'");
      expect(noRole.status).toBe(403);
      expect(noRole.body.error!.message).toContain('AppCatalog.Read.All');
      const reader = emulator.addApp({ appId: 'app-reader', roles: ['AppCatalog.Read.All'] });
      const found = await call(emulator, 'GET', "/appCatalogs/teamsApps?$filter=externalId eq 'manifest-1'", undefined, {}, reader);
      expect(found.body.value).toEqual([
        { id: 'catalog-1', externalId: 'manifest-1', displayName: 'Delivery Plan', distributionMethod: 'organization' },
      ]);
    } finally {
      await emulator.stop();
    }
  });
});

describe('token endpoint stand-in', () => {
  it('issues Graph tokens carrying the consented roles, Bot Framework tokens, and Entra errors', async () => {
    const emulator = await startGraphEmulator({ token: TOKEN, sites: [SITE] });
    const tenantId = emulator.tenantId;
    const login = await startLoginStandIn({
      tenantId,
      graph: emulator,
      apps: [{ clientId: 'client-1', clientSecret: 's3cret', graphRoles: ['Sites.Selected', 'Mail.Send'] }],
    });
    try {
      const ask = (tenant: string, form: Record<string, string>) =>
        fetch(`${login.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        }));
      const form = {
        client_id: 'client-1',
        client_secret: 's3cret',
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      };
      const graph = await ask(tenantId, form);
      expect(graph.status).toBe(200);
      const claims = JSON.parse(Buffer.from(String(graph.body.access_token).split('.')[1]!, 'base64url').toString()) as { roles: string[] };
      expect(claims.roles).toEqual(['Sites.Selected', 'Mail.Send']);
      expect((await call(emulator, 'GET', `/sites/${SITE}`, undefined, {}, String(graph.body.access_token))).status).toBe(403);
      const bot = await ask(tenantId, { ...form, scope: 'https://api.botframework.com/.default' });
      expect(bot.status).toBe(200);
      const wrongSecret = await ask(tenantId, { ...form, client_secret: 'nope' });
      expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'invalid_client']);
      expect(String(wrongSecret.body.error_description)).toMatch(/^AADSTS7000215:/);
      expect((await ask('no-such-tenant', form)).body.error_codes).toEqual([90002]);
      expect((await ask(tenantId, { ...form, client_id: 'other' })).body.error_codes).toEqual([700016]);
    } finally {
      await login.close();
      await emulator.stop();
    }
  });
});
