/** The emulator speaks Graph as documented: shapes, limits and errors, checked with plain HTTP. */
import { BATCH_MAX_REQUESTS, LIST_ITEMS_DEFAULT_PAGE, LIST_ITEMS_MAX_PAGE, startGraphEmulator, type GraphEmulator } from './emulator';

const TOKEN = 'emulator-token';
const SITE = 'contoso.sharepoint.com:/sites/prevent';
let emulator: GraphEmulator;
let siteId: string;
let listId: string;

type Body = Record<string, unknown> & {
  value?: Array<Record<string, unknown>>;
  error?: { code: string; message: string; innerError: Record<string, string> };
};

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Body; headers: Headers }> {
  const url = path.startsWith('http') ? path : `${emulator.baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body, headers: response.headers };
}

beforeAll(async () => {
  emulator = await startGraphEmulator({ token: TOKEN, sites: [SITE] });
  siteId = String((await call('GET', '/sites/contoso.sharepoint.com:/sites/prevent')).body.id);
  const created = await call('POST', `/sites/${siteId}/lists`, {
    displayName: 'Books',
    columns: [
      { name: 'Author', text: {}, indexed: true },
      { name: 'Isbn', text: {}, indexed: true, enforceUniqueValues: true },
      { name: 'Colour', choice: { choices: ['Red', 'Blue'] } },
      { name: 'PageCount', number: {} },
      { name: 'Summary', text: { allowMultipleLines: true } },
      { name: 'Owner', personOrGroup: { allowMultipleSelection: false, chooseFromType: 'peopleOnly' } },
    ],
    list: { template: 'genericList' },
  });
  expect(created.status).toBe(201);
  listId = String(created.body.id);
  const steps = Array.from({ length: 450 }, (_, i) => ({
    id: String(i),
    method: 'POST',
    url: `/sites/${siteId}/lists/${listId}/items`,
    headers: { 'Content-Type': 'application/json' },
    body: { fields: { Title: `Book ${i}`, Author: i % 2 ? 'Odd' : 'Even', Isbn: `isbn-${i}`, PageCount: i } },
  }));
  for (let i = 0; i < steps.length; i += 20) expect((await call('POST', '/$batch', { requests: steps.slice(i, i + 20) })).status).toBe(200);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => emulator.setFaults({}));

describe('Graph emulator', () => {
  it('refuses a request without the bearer token in Graph error shape', async () => {
    const response = await fetch(`${emulator.baseUrl}/sites/${siteId}`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as Body;
    expect(body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: expect.any(String) as string });
    expect(body.error!.innerError).toHaveProperty('request-id');
    expect(body.error!.innerError).toHaveProperty('date');
  });

  it('finds a site by host name and path, and 404s an unknown one', async () => {
    const site = await call('GET', '/sites/contoso.sharepoint.com:/sites/prevent');
    expect(site.body).toMatchObject({ id: siteId, webUrl: 'https://contoso.sharepoint.com/sites/prevent' });
    const missing = await call('GET', '/sites/contoso.sharepoint.com:/sites/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error!.code).toBe('itemNotFound');
  });

  it('lists columns with their type facets and refuses a duplicate column', async () => {
    const columns = await call('GET', `/sites/${siteId}/lists/${listId}/columns`);
    const author = columns.body.value!.find((c) => c.name === 'Author')!;
    expect(author).toMatchObject({ indexed: true, text: expect.any(Object) as object });
    expect(columns.body.value!.find((c) => c.name === 'Colour')).toMatchObject({ choice: { choices: ['Red', 'Blue'] } });
    expect((await call('POST', `/sites/${siteId}/lists/${listId}/columns`, { name: 'Author', text: {} })).status).toBe(409);
  });

  it('pages items 200 at a time by default with an absolute @odata.nextLink', async () => {
    const first = await call('GET', `/sites/${siteId}/lists/${listId}/items?expand=fields`);
    expect(first.body.value).toHaveLength(LIST_ITEMS_DEFAULT_PAGE);
    // Batch parts ran in any order, so item 1 is one of the books, not necessarily the first asked for.
    expect(first.body.value![0]).toMatchObject({
      id: '1',
      eTag: expect.any(String) as string,
      fields: { Title: expect.stringMatching(/^Book \d+$/) },
    });
    const next = String(first.body['@odata.nextLink']);
    expect(next.startsWith(`${emulator.baseUrl}/`)).toBe(true);
    const seen = first.body.value!.map((i) => i.id);
    let link: string | undefined = next;
    while (link) {
      const page = await call('GET', link);
      seen.push(...page.body.value!.map((i) => i.id));
      link = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
  });

  it(`caps $top at ${LIST_ITEMS_MAX_PAGE}`, async () => {
    emulator.addSite('contoso.sharepoint.com:/sites/big');
    const bigSite = String((await call('GET', '/sites/contoso.sharepoint.com:/sites/big')).body.id);
    const list = String((await call('POST', `/sites/${bigSite}/lists`, { displayName: 'Big' })).body.id);
    const requests = (from: number) =>
      Array.from({ length: 20 }, (_, i) => ({
        id: String(i),
        method: 'POST',
        url: `/sites/${bigSite}/lists/${list}/items`,
        headers: { 'Content-Type': 'application/json' },
        body: { fields: { Title: `Row ${from + i}` } },
      }));
    for (let n = 0; n < LIST_ITEMS_MAX_PAGE + 20; n += 20) await call('POST', '/$batch', { requests: requests(n) });
    const page = await call('GET', `/sites/${bigSite}/lists/${list}/items?$top=${LIST_ITEMS_MAX_PAGE + 1000}`);
    expect(page.body.value).toHaveLength(LIST_ITEMS_MAX_PAGE);
    expect(page.body['@odata.nextLink']).toEqual(expect.any(String));
    const rest = await call('GET', String(page.body['@odata.nextLink']));
    expect(rest.body.value).toHaveLength(20);
    expect(rest.body['@odata.nextLink']).toBeUndefined();
  });

  it('filters on indexed columns only, unless the warning header is sent', async () => {
    const byAuthor = await call(
      'GET',
      `/sites/${siteId}/lists/${listId}/items?expand=fields&$top=5000&$filter=${encodeURIComponent("fields/Author eq 'Odd'")}`,
    );
    expect(byAuthor.body.value).toHaveLength(225);
    const nonIndexed = `/sites/${siteId}/lists/${listId}/items?expand=fields&$filter=${encodeURIComponent('fields/PageCount eq 7')}`;
    const refused = await call('GET', nonIndexed);
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toMatch(/not indexed.*HonorNonIndexedQueriesWarningMayFailRandomly/);
    const allowed = await call('GET', nonIndexed, undefined, { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' });
    expect(allowed.body.value!.map((i) => (i.fields as Record<string, unknown>).Title)).toEqual(['Book 7']);
  });

  it('orders by an indexed column', async () => {
    const page = await call('GET', `/sites/${siteId}/lists/${listId}/items?expand=fields&$top=3&$orderby=fields/Author desc`);
    expect(page.body.value!.map((i) => (i.fields as Record<string, unknown>).Author)).toEqual(['Odd', 'Odd', 'Odd']);
  });

  it('answers a stale If-Match with 412 and a current one with the new fields and eTag', async () => {
    const item = await call('GET', `/sites/${siteId}/lists/${listId}/items/3?expand=fields`);
    const etag = String(item.body.eTag);
    const title = (item.body.fields as { Title: string }).Title;
    const ok = await call('PATCH', `/sites/${siteId}/lists/${listId}/items/3/fields`, { Colour: 'Red' }, { 'If-Match': etag });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ Colour: 'Red', Title: title });
    expect(ok.body['@odata.etag']).not.toBe(etag);
    const stale = await call('PATCH', `/sites/${siteId}/lists/${listId}/items/3/fields`, { Colour: 'Blue' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body.error!.code).toBe('preconditionFailed');
    expect((await call('GET', `/sites/${siteId}/lists/${listId}/items/3?expand=fields`)).body.fields).toMatchObject({ Colour: 'Red' });
  });

  it('validates field values against their columns and unique values', async () => {
    const items = `/sites/${siteId}/lists/${listId}/items`;
    expect((await call('POST', items, { fields: { Title: 'x', Colour: 'Purple' } })).status).toBe(400);
    expect((await call('POST', items, { fields: { Title: 'x', PageCount: 'many' } })).status).toBe(400);
    expect((await call('POST', items, { fields: { Title: 'x', Nope: 1 } })).body.error!.message).toBe("Field 'Nope' is not recognized");
    expect((await call('POST', items, { fields: { Title: 'x'.repeat(256) } })).status).toBe(400);
    // SharePoint's answer to a unique-value clash is a 500 (SPDuplicateValuesFoundException), not a 409.
    const duplicate = await call('POST', items, { fields: { Title: 'x', Isbn: 'isbn-1' } });
    expect(duplicate.status).toBe(500);
    expect(duplicate.body.error!.message).toContain('duplicate values were found');
    expect((await call('POST', items, { fields: { Title: 'x', OwnerLookupId: '999' } })).status).toBe(400);
    const owner = emulator.addUser(SITE, { name: 'Sam Patel', email: 'sam@example.gov.uk' });
    expect((await call('POST', items, { fields: { Title: 'x', OwnerLookupId: [owner, owner] } })).status).toBe(400);
    const owned = await call('POST', items, { fields: { Title: 'owned', OwnerLookupId: owner } });
    expect(owned.status).toBe(201);
    expect(owned.body.fields).toMatchObject({ OwnerLookupId: String(owner) });
    expect((await call('GET', `/sites/${siteId}/lists`)).body.value!.map((l) => l.displayName)).toEqual(['Books']);
  });

  it(`runs batches of up to ${BATCH_MAX_REQUESTS}, with per-request answers and dependsOn`, async () => {
    const get = (id: string) => ({ id, method: 'GET', url: `/sites/${siteId}/lists/${listId}/items/1` });
    const tooMany = await call('POST', '/$batch', { requests: Array.from({ length: BATCH_MAX_REQUESTS + 1 }, (_, i) => get(String(i))) });
    expect(tooMany.status).toBe(400);
    const mixed = await call('POST', '/$batch', {
      requests: [
        get('a'),
        { id: 'b', method: 'GET', url: `/sites/${siteId}/lists/${listId}/items/99999` },
        { ...get('c'), dependsOn: ['b'] },
      ],
    });
    // Answers may come back in another order than asked: match them by id.
    const answers = (mixed.body.responses as Array<{ id: string; status: number; body: Body }>).sort((x, y) => x.id.localeCompare(y.id));
    expect(answers.map((a) => [a.id, a.status])).toEqual([
      ['a', 200],
      ['b', 404],
      ['c', 424],
    ]);
    expect(answers[1]!.body.error!.code).toBe('itemNotFound');
  });

  it('injects 429 with Retry-After, 503, and throttles requests inside a batch', async () => {
    emulator.setFaults({ throttleRate: 1, retryAfterSeconds: 3 });
    const throttled = await call('GET', `/sites/${siteId}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(throttled.body.error!.code).toBe('TooManyRequests');
    emulator.setFaults({ unavailableRate: 1, retryAfterSeconds: 1 });
    expect((await call('GET', `/sites/${siteId}`)).status).toBe(503);
    emulator.setFaults({ batchItemThrottleRate: 1, retryAfterSeconds: 2 });
    const batch = await call('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: `/sites/${siteId}` }] });
    expect(batch.status).toBe(200);
    expect((batch.body.responses as Array<{ status: number; headers: Record<string, string> }>)[0]).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '2' },
    });
  });

  it('drops connections on request', async () => {
    emulator.setFaults({ dropBeforeRate: 1 });
    await expect(call('GET', `/sites/${siteId}`)).rejects.toThrow();
    emulator.setFaults({});
    expect((await call('GET', `/sites/${siteId}`)).status).toBe(200);
  });

  it('lets a client switch faults over HTTP', async () => {
    const set = await fetch(`${emulator.baseUrl.replace('/v1.0', '')}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttleRate: 1 }),
    });
    expect(set.status).toBe(204);
    expect((await call('GET', `/sites/${siteId}`)).status).toBe(429);
  });
});
