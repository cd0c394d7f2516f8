/** POST /api/plans/import: the tab's plan upload, through HTTP against a real server and store. */
import fs from 'node:fs';
import path from 'node:path';
import { planToDocx } from '../../import/support/planToDocx';
import { PLAN_FILE, PLAN_ID, startHarness, type Harness } from './harness';

const PLANS = path.join(__dirname, '..', '..', 'import', 'plans');
const HOSTILE = path.join(__dirname, '..', '..', 'security', 'hostile', 'files');

describe('plan upload from the tab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ COORDINATOR_IDS: 'coordinator@example.gov.uk' });
  });
  afterAll(async () => h.close());

  async function upload(
    filename: string,
    body: Buffer,
    query = '',
    headers: Record<string, string> = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${h.url}/api/plans/import?filename=${encodeURIComponent(filename)}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-requested-with': 'dplan-test', ...headers },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function versions(planId = PLAN_ID): Promise<string> {
    return JSON.stringify((await h.store.listItems(planId)).map((i) => [i.key, i.version, i.status]));
  }

  it('previews the plan already held: every item unchanged, its warnings with their lines, nothing written', async () => {
    const before = await versions();
    const res = await upload('prevent-delivery-plan-2018-19.md', fs.readFileSync(PLAN_FILE), '&dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      file: 'prevent-delivery-plan-2018-19.md',
      planId: PLAN_ID,
      items: 31,
      actions: 24,
      projects: 7,
      objectives: 4,
      recommendations: 6,
      created: 0,
      updated: 0,
      unchanged: 31,
    });
    expect(res.body.warnings).toHaveLength(12);
    expect(res.body.warnings[0]).toEqual({ line: 97, message: expect.any(String) });
    expect(await versions()).toBe(before);
  });

  it('imports a Word document: a dry run says what would be created, the import creates it', async () => {
    const docx = await planToDocx(fs.readFileSync(path.join(PLANS, 'health-wellbeing-2024-25.docx.md'), 'utf8'));
    const preview = await upload('Health and Wellbeing 2024-25.docx', docx, '&dryRun=true');
    expect(preview.body).toMatchObject({ dryRun: true, items: 5, created: 5, warnings: [] });
    expect((await h.call('GET', '/api/plans')).body).toHaveLength(1);
    const done = await upload('Health and Wellbeing 2024-25.docx', docx);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, created: 5, updated: 0, unchanged: 0 });
    const plans = (await h.call('GET', '/api/plans')).body as Array<{ id: string; itemCount: number }>;
    expect(plans.find((p) => p.id === done.body.planId)).toMatchObject({ itemCount: 5 });
  });

  it('re-imports the CSV export of a plan with reported statuses and changes no version', async () => {
    const items = (await h.call('GET', `/api/plans/${PLAN_ID}/items?q=communication%20strategy`)).body;
    const reported = await h.call('POST', `/api/plans/${PLAN_ID}/items/${items[0].key}/status`, {
      body: { to: 'amber', note: 'Draft with comms' },
      headers: { 'if-match': `"${items[0].version}"` },
    });
    expect(reported.status).toBe(200);
    const before = await versions();
    const csv = await h.call('GET', `/api/plans/${PLAN_ID}/export?format=csv`);
    const res = await upload('export.csv', csv.body as Buffer);
    expect(res.body).toMatchObject({ created: 0, updated: 0, unchanged: 31, warnings: [] });
    expect(await versions()).toBe(before);
  });

  it('refuses a file it cannot read with file:line and writes nothing', async () => {
    const before = await versions();
    const res = await upload('bad dates.csv', fs.readFileSync(path.join(HOSTILE, 'impossible-date-2019-02-31.csv')));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'plan_format',
      file: 'bad dates.csv',
      line: 7,
      message: 'bad dates.csv:7: Milestones "2019-02-31" is not a real date (there is no 31 February 2019)',
    });
    const bomb = await upload('plan.xlsx', fs.readFileSync(path.join(HOSTILE, 'part-lies-about-its-size.xlsx')));
    expect(bomb.status).toBe(400);
    expect(bomb.body.message).toMatch(/^plan\.xlsx: part .* unpacks to more than it declares/);
    expect(await versions()).toBe(before);
  });

  it('says what is wrong with the request itself', async () => {
    expect((await upload('', Buffer.from('x'))).body).toMatchObject({ error: 'invalid', field: 'filename' });
    expect((await upload('plan.md', Buffer.alloc(0))).body).toMatchObject({
      error: 'invalid',
      message: 'Send the plan file as the request body',
    });
    expect((await upload('plan.pdf', Buffer.from('%PDF'))).body.message).toMatch(/^plan\.pdf: unknown kind of file "\.pdf"/);
    const big = await upload('plan.md', Buffer.alloc(21 * 1024 * 1024, 0x41));
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than 20 MB/);
  });

  it('is for co-ordinators only', async () => {
    const res = await upload('plan.md', fs.readFileSync(PLAN_FILE), '&dryRun=true', { 'x-dev-user': 'casey@example.gov.uk' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/Only a plan co-ordinator can import a plan/);
  });
});
