/** GET /api/plans/:id/export holds what the person has on screen (the items list's filters and order), with each item's last update and latest note. */
import { parse } from 'csv-parse/sync';
import { csvToPlan } from '../../../src/import/spreadsheet';
import { PLAN_ID, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function report(key: string, body: Record<string, unknown>, at: string): Promise<void> {
  h.clock.set(at);
  const item = (await h.store.getItem(PLAN_ID, key))!;
  const res = await h.call('POST', `/api/plans/${PLAN_ID}/items/${key}/status`, { body: { ...body, version: item.version } });
  expect(res.status).toBe(200);
}

it('exports the filtered items only, in the order on screen, with last update and the latest note given', async () => {
  const listed = (await h.call('GET', `/api/plans/${PLAN_ID}/items?lead=${encodeURIComponent('Prevent Co-ordinator')}&sort=title`))
    .body as Array<{
    key: string;
  }>;
  expect(listed).toHaveLength(9);
  const [first, second] = listed as [{ key: string }, { key: string }];
  await report(first.key, { to: 'amber', note: 'Venue lost; rebooking for October' }, '2018-09-05T10:00:00Z');
  // A later report without a note: the export keeps the latest note given.
  await report(first.key, { to: 'green' }, '2018-09-06T15:30:00Z');

  const res = await h.call('GET', `/api/plans/${PLAN_ID}/export?format=csv&lead=${encodeURIComponent('Prevent Co-ordinator')}&sort=title`);
  expect(res.status).toBe(200);
  const text = (res.body as Buffer).toString('utf8');
  expect(csvToPlan(text).items.map((i) => i.key)).toEqual(listed.map((i) => i.key));
  const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
  const items = rows.filter((r) => r.Record === 'Item');
  expect(items.find((r) => r.Key === first.key)).toMatchObject({
    'RAG status': 'Green',
    'Last update': '2018-09-06 16:30',
    'Last update by': expect.any(String),
    'Latest note': 'Venue lost; rebooking for October',
  });
  expect(items.find((r) => r.Key === second.key)).toMatchObject({ 'Last update': '', 'Latest note': '' });
  // No filter: the whole plan.
  const all = await h.call('GET', `/api/plans/${PLAN_ID}/export?format=csv`);
  expect(csvToPlan((all.body as Buffer).toString('utf8')).items).toHaveLength(31);
  expect((await h.call('GET', `/api/plans/${PLAN_ID}/export?format=csv&status=purple`)).status).toBe(400);
});
