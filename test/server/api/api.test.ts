import { csvToPlan, xlsxToPlan } from '../../../src/import/spreadsheet';
import { PLAN_ID, startHarness, type Harness } from './harness';

describe('tab API (local mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ COORDINATOR_IDS: 'coordinator@example.gov.uk' });
    await h.store.setPeople(PLAN_ID, 'Communications Manager', [{ id: 'oid-comms', name: 'Casey Comms', email: 'casey@example.gov.uk' }]);
  });
  afterAll(async () => h.close());

  const base = `/api/plans/${PLAN_ID}`;
  const asCasey = { 'x-dev-user': 'casey@example.gov.uk' };

  it('tells the tab who is calling: the marked development identity in local mode', async () => {
    const me = await h.call('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: 'local-dev',
      localMode: true,
      coordinator: true,
      name: expect.stringMatching(/local mode/i),
      today: '2018-09-05',
      tabEntityId: 'plan',
    });
    const casey = await h.call('GET', `/api/me?plan=${PLAN_ID}`, { headers: asCasey });
    expect(casey.body).toMatchObject({ coordinator: false, roles: ['Communications Manager'] });
  });

  it('lists the plan with its 31 items in 4 objectives', async () => {
    const plans = await h.call('GET', '/api/plans');
    expect(plans.body).toHaveLength(1);
    expect(plans.body[0]).toMatchObject({ id: PLAN_ID, itemCount: 31 });
    const plan = await h.call('GET', base);
    expect(plan.body.objectives).toHaveLength(4);
    const items = await h.call('GET', `${base}/items`);
    expect(items.body).toHaveLength(31);
    expect(items.body.filter((i: { kind: string }) => i.kind === 'project')).toHaveLength(7);
  });

  it('filters items by lead, status and text on the server too', async () => {
    const lead = await h.call('GET', `${base}/items?lead=${encodeURIComponent('Prevent Co-ordinator')}&kind=action`);
    expect(lead.body).toHaveLength(9);
    const text = await h.call('GET', `${base}/items?q=champions`);
    expect(text.body.map((i: { title: string }) => i.title)).toEqual([expect.stringContaining('Prevent Champions')]);
    const bad = await h.call('GET', `${base}/items?status=purple`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status/);
  });

  it('answers unknown plans and items with a 404 a person can act on', async () => {
    const plan = await h.call('GET', '/api/plans/nope');
    expect(plan.status).toBe(404);
    expect(plan.body).toEqual({ error: 'not_found', message: expect.stringContaining('Choose a plan') });
    expect((await h.call('GET', `${base}/items/zz-000`)).status).toBe(404);
    expect((await h.call('GET', '/api/nothing-here')).body.error).toBe('not_found');
  });

  it('records a status with a note in history and on the dashboard; a stale version gets 409 with the current item', async () => {
    const items = (await h.call('GET', `${base}/items?q=communication%20strategy`)).body;
    const item = items[0];
    const first = await h.call('POST', `${base}/items/${item.key}/status`, {
      body: { to: 'amber', note: 'Draft with comms team' },
      headers: { 'if-match': `"${item.version}"` },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'amber',
      lastUpdate: { note: 'Draft with comms team', by: 'Development identity (local mode)' },
    });
    expect(first.headers.get('etag')).toBe(`"${first.body.version}"`);

    const stale = await h.call('POST', `${base}/items/${item.key}/status`, { body: { to: 'green', version: item.version } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'conflict', current: { status: 'amber', version: first.body.version } });

    const history = await h.call('GET', `${base}/items/${item.key}/history`);
    expect(history.body).toEqual([
      expect.objectContaining({ from: 'not-reported', to: 'amber', note: 'Draft with comms team', via: 'tab', byId: 'dev@localhost' }),
    ]);

    const dash = await h.call('GET', `${base}/dashboard`);
    expect(dash.body.counts.amber).toBe(1);
    expect(dash.body.trend.at(-1).counts.amber).toBe(1);
    expect(dash.body.asOf).toBe('2018-09-05');
    const rec5 = dash.body.recommendations.find((r: { number: number }) => r.number === 5);
    expect(rec5.actions).toEqual([expect.objectContaining({ key: item.key, status: 'amber' })]);
  });

  it('requires the version and validates the status body', async () => {
    const [item] = (await h.call('GET', `${base}/items?q=champions`)).body;
    const noVersion = await h.call('POST', `${base}/items/${item.key}/status`, { body: { to: 'green' } });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.message).toMatch(/version/);
    const bad = await h.call('POST', `${base}/items/${item.key}/status`, { body: { to: 'blue', version: item.version } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      message: '"blue" is not a status: choose Red, Amber, Green or Complete.',
      field: 'rag',
      problems: [{ field: 'rag', message: '"blue" is not a status: choose Red, Amber, Green or Complete.' }],
    });
    const figure = await h.call('POST', `${base}/items/${item.key}/status`, {
      body: { to: 'green', version: item.version, figures: { 3: 4 } },
    });
    expect(figure.status).toBe(400);
    expect(figure.body.message).toMatch(/no output 3/);
    const json = await fetch(`${h.url}${base}/items/${item.key}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'dplan-test' },
      body: '{oops',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ message: 'The request body is not valid JSON' });
    const form = await fetch(`${h.url}${base}/items/${item.key}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'dplan-test' },
      body: 'to=green',
    });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { message: string }).message).toMatch(/Send the body as JSON/);
    const impossible = await h.call('POST', `${base}/items/${item.key}/status`, {
      body: { to: 'red', version: item.version, revisedDate: '2019-02-30' },
    });
    expect(impossible.status).toBe(400);
    // Every problem at once, by field, as the card lists them.
    expect(impossible.body.problems).toEqual([
      { field: 'note', message: 'A note is required for Red: say what is wrong and what is being done.' },
      { field: 'revisedDate', message: '"2019-02-30" is not a date: use the date picker (YYYY-MM-DD).' },
    ]);
  });

  it('reports figures against outputs into the dashboard output progress', async () => {
    const [item] = (await h.call('GET', `${base}/items?q=champions`)).body;
    const res = await h.call('POST', `${base}/items/${item.key}/status`, {
      body: { to: 'green', version: item.version, figures: { 0: 6 } },
    });
    expect(res.status).toBe(200);
    const dash = await h.call('GET', `${base}/dashboard`);
    const row = dash.body.outputs.find((o: { itemKey: string }) => o.itemKey === item.key);
    expect(row).toMatchObject({ target: 15, reported: 6, percent: 40 });
  });

  it('lets a lead report only on the items their role leads', async () => {
    const [own] = (await h.call('GET', `${base}/items?lead=Communications%20Manager`)).body;
    const [other] = (await h.call('GET', `${base}/items?q=elected%20members`)).body;
    const ok = await h.call('POST', `${base}/items/${own.key}/status`, {
      body: { to: 'green', version: (await h.call('GET', `${base}/items/${own.key}`)).body.version, note: 'Signed off' },
      headers: asCasey,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.lastUpdate.by).toBe('casey@example.gov.uk');
    const refused = await h.call('POST', `${base}/items/${other.key}/status`, {
      body: { to: 'green', version: other.version },
      headers: asCasey,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/You lead Communications Manager/);
    const stranger = await h.call('POST', `${base}/items/${other.key}/status`, {
      body: { to: 'green', version: other.version },
      headers: { 'x-dev-user': 'nobody@example.gov.uk' },
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.message).toMatch(/not listed as a lead/);
    const edit = await h.call('PATCH', `${base}/items/${own.key}`, {
      body: { title: 'New' },
      headers: { ...asCasey, 'if-match': own.version },
    });
    expect(edit.status).toBe(403);
    expect((await h.call('PUT', `${base}/settings`, { body: {}, headers: asCasey })).status).toBe(403);
    expect((await h.call('GET', `${base}/export`, { headers: asCasey })).status).toBe(403);
  });

  it('lets a co-ordinator (COORDINATOR_IDS) edit an item, with optimistic concurrency', async () => {
    const coord = { 'x-dev-user': 'coordinator@example.gov.uk' };
    const [item] = (await h.call('GET', `${base}/items?q=youth%20outreach%20plan`)).body;
    const edit = await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { title: 'Develop and publish a Youth Outreach Plan', milestones: ['2018-10-31', '2018-09-30'] },
      headers: { ...coord, 'if-match': `"${item.version}"` },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ title: 'Develop and publish a Youth Outreach Plan', milestones: ['2018-09-30', '2018-10-31'] });
    const again = await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { title: 'Other' },
      headers: { ...coord, 'if-match': `"${item.version}"` },
    });
    expect(again.status).toBe(409);
    expect(again.body.current.title).toBe('Develop and publish a Youth Outreach Plan');
    const invalid = await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { leads: [], objectives: [9] },
      headers: { ...coord, 'if-match': edit.body.version },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/leads: An item needs at least one lead role/);
    const unknownObjective = await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { objectives: [9] },
      headers: { ...coord, 'if-match': edit.body.version },
    });
    expect(unknownObjective.body.message).toBe('The plan has no objective 9');
    const extra = await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { status: 'green' },
      headers: { ...coord, 'if-match': edit.body.version },
    });
    expect(extra.status).toBe(400);
  });

  it('keeps the directory: roles from the plan, people, who answered and who cannot be reached', async () => {
    const put = await h.call('PUT', `${base}/directory`, {
      body: { roles: [{ role: 'Prevent Co-ordinator', people: [{ name: 'Pat Prevent', email: 'pat@example.gov.uk' }] }] },
    });
    expect(put.status).toBe(200);
    const dir = (await h.call('GET', `${base}/directory`)).body as Array<{
      role: string;
      state: string;
      items: number;
      people: Array<{ name: string; reports: number }>;
    }>;
    // The running bot has no 1:1 chat with Pat, so Pat cannot be reached yet. The role also owns the
    // 7 commissioned projects (no lead named): 9 actions and 7 projects.
    expect(dir.find((r) => r.role === 'Prevent Co-ordinator')).toMatchObject({
      items: 16,
      owner: true,
      state: 'unreachable',
      people: [{ name: 'Pat Prevent', reports: 0 }],
    });
    expect(dir.find((r) => r.role === 'Communications Manager')).toMatchObject({
      state: 'answered',
      people: [{ name: 'Casey Comms', reports: 1 }],
    });
    expect(dir.find((r) => r.role === 'Prevent Education Officer')).toMatchObject({ state: 'unreachable', people: [] });
    const bad = await h.call('PUT', `${base}/directory`, {
      body: { roles: [{ role: 'X', people: [{ name: 'A', email: 'not-an-email' }] }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/Not an email address/);
  });

  it('stores settings with defaults from the environment and validates them', async () => {
    const initial = await h.call('GET', `${base}/settings`);
    expect(initial.body).toEqual({
      reminderOffsets: [28, 14, 7, 0],
      digestDay: 'mon',
      digestHour: 9,
      digestChannel: '',
      cadence: 'quarterly',
      leadDays: 14,
      ownerRole: '',
      deputyAfterDays: 7,
      publicRestricted: [],
      internalFigures: [],
      source: 'environment',
    });
    const put = await h.call('PUT', `${base}/settings`, {
      body: { reminderOffsets: [3, 10, 3], digestDay: 'fri', digestHour: 16, digestChannel: '19:abc@thread.tacv2' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      reminderOffsets: [10, 3],
      digestDay: 'fri',
      digestHour: 16,
      updatedBy: 'dev@localhost',
      source: 'saved',
    });
    expect((await h.call('GET', `${base}/settings`)).body.digestDay).toBe('fri');
    const bad = await h.call('PUT', `${base}/settings`, { body: { reminderOffsets: [-1], digestDay: 'someday', digestHour: 25 } });
    expect(bad.status).toBe(400);
    // Plain words, each problem under the field the tab shows it beside (not "reminderOffsets.0: …").
    expect(bad.body.message).toMatch(/^The settings were not saved: Reminder days cannot be negative; .*The digest hour is 0 to 23/);
    expect(bad.body.message).not.toMatch(/reminderOffsets|digestHour/);
    expect(bad.body.field).toBe('reminderOffsets');
    expect(bad.body.problems).toEqual([
      { field: 'reminderOffsets', message: 'Reminder days cannot be negative' },
      { field: 'digestDay', message: 'The digest day is one of Monday to Sunday (mon, tue, wed, thu, fri, sat, sun)' },
      { field: 'digestHour', message: 'The digest hour is 0 to 23' },
    ]);
    const figure = await h.call('PUT', `${base}/settings`, {
      body: { reminderOffsets: [7], digestDay: 'mon', digestHour: 9, internalFigures: ['a1-1234abcd', 'nonsense'] },
    });
    expect(figure.body.problems).toEqual([
      {
        field: 'internalFigures',
        message: 'Line 2: An internal figure is an item key, with "#" and the output number for one output (a4-1234abcd#2)',
      },
    ]);
  });

  it('exports CSV and XLSX that read back to the same items, formulas neutralised', async () => {
    const [item] = (await h.call('GET', `${base}/items?q=champions`)).body;
    await h.call('PATCH', `${base}/items/${item.key}`, {
      body: { description: '=HYPERLINK("http://evil.example","click")' },
      headers: { 'if-match': item.version },
    });
    const csv = await h.call('GET', `${base}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${PLAN_ID}.csv"`);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const items = (await h.call('GET', `${base}/items`)).body as Array<{
      key: string;
      title: string;
      status: string;
      description?: string;
    }>;
    const back = csvToPlan(text);
    expect(back.items.map((i) => [i.key, i.title, i.status])).toEqual(items.map((i) => [i.key, i.title, i.status]));
    expect(back.items.find((i) => i.key === item.key)?.description).toBe('=HYPERLINK("http://evil.example","click")');
    const xlsx = await h.call('GET', `${base}/export?format=xlsx`);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const fromXlsx = await xlsxToPlan(xlsx.body as Buffer);
    expect(fromXlsx.items.map((i) => [i.key, i.title, i.status])).toEqual(items.map((i) => [i.key, i.title, i.status]));
    expect((await h.call('GET', `${base}/export?format=pdf`)).body.message).toMatch(/format is csv or xlsx/);
  });

  it('explains that prompts need the bot when it is not running', async () => {
    const [item] = (await h.call('GET', `${base}/items?q=champions`)).body;
    const api = await h.apiOnly(); // as when the bot is disabled (no credentials outside local mode)
    const res = await api.call('POST', `${base}/items/${item.key}/prompt`);
    await api.close();
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/Teams bot/);
  });

  it('sends a prompt now and marks unreachable leads through the bot hooks', async () => {
    const calls: unknown[] = [];
    const api = await h.apiOnly({
      promptNow: async (planId: string, key: string, by: string) => {
        calls.push([planId, key, by]);
        return { sent: 1, alreadySent: 0, unreachable: ['Pat Prevent'] };
      },
      unreachableLeads: async () => [{ who: 'Pat Prevent', why: 'the app is not installed for them (no 1:1 chat with the bot)' }],
    });
    try {
      const [item] = (await api.call('GET', `${base}/items?q=champions`)).body;
      const res = await api.call('POST', `${base}/items/${item.key}/prompt`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ sent: 1, alreadySent: 0, unreachable: ['Pat Prevent'] });
      expect(calls).toEqual([[PLAN_ID, item.key, 'dev@localhost']]);
      expect((await api.call('POST', `${base}/items/${item.key}/prompt`, { headers: asCasey })).status).toBe(403);
      const dir = (await api.call('GET', `${base}/directory`)).body as Array<{
        role: string;
        state: string;
        people: Array<{ unreachable?: string }>;
      }>;
      expect(dir.find((r) => r.role === 'Prevent Co-ordinator')).toMatchObject({
        state: 'unreachable',
        people: [{ unreachable: expect.stringMatching(/not installed/) }],
      });
    } finally {
      await api.close();
    }
  });
});
