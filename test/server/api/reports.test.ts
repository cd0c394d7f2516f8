/**
 * The reporting cycle through the API: the board pack for a quarter (JSON, and .docx read back from
 * its XML), matching the dashboard "as at" the quarter end; the public version leaving out notes,
 * names and e-mail addresses; the schedule the Settings view shows; the new settings.
 */
import AdmZip from 'adm-zip';
import { RAG_VALUES } from '../../../src/domain/model';
import { PLAN_ID, startHarness, type Harness } from './harness';

const base = `/api/plans/${PLAN_ID}`;
const asCasey = { 'x-dev-user': 'casey@example.gov.uk' };

/** The text of every table cell of a Word document, row by row. */
function tableRows(docx: Buffer): string[][] {
  const xml = new AdmZip(docx).readAsText('word/document.xml');
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) =>
      [...cell[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(' '),
    ),
  );
}

function documentText(docx: Buffer): string {
  return [...new AdmZip(docx).readAsText('word/document.xml').matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(' ');
}

describe('board pack, public version and schedule', () => {
  let h: Harness;
  const keys = { pmf: '', comms: '', training: '', roundtable: '' };
  const report = async (key: string, at: string, body: Record<string, unknown>) => {
    h.clock.set(at);
    const item = (await h.call('GET', `${base}/items/${key}`)).body;
    const res = await h.call('POST', `${base}/items/${key}/status`, { body: { ...body, version: item.version } });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    h = await startHarness({ COORDINATOR_IDS: 'coordinator@example.gov.uk' });
    const items = (await h.call('GET', `${base}/items`)).body as Array<{ key: string; title: string }>;
    const find = (start: string) => items.find((i) => i.title.startsWith(start))!.key;
    keys.pmf = find('Develop a Performance Management Framework');
    keys.comms = find('Develop a comprehensive Prevent Communication Strategy');
    keys.training = find('Ensure all staff have received relevant training');
    keys.roundtable = find('Host two Community Roundtable');
    // A directory full of names and e-mail addresses, and notes that name people.
    await h.store.setPeople(PLAN_ID, 'Prevent Co-ordinator', [
      { id: 'oid-pat', name: 'Pat Prevent', email: 'pat.prevent@council.example' },
    ]);
    await h.store.setPeople(PLAN_ID, 'Communications Manager', [{ id: 'oid-casey', name: 'Casey Comms', email: 'casey@example.gov.uk' }]);
    await h.store.setPeople(PLAN_ID, 'Head of Integrated Youth and Community Service', [
      { id: 'oid-yan', name: 'Yan Youth', email: 'yan.youth@council.example' },
      { id: 'oid-dep', name: 'Dee Deputy', email: 'dee@council.example', deputy: true },
    ]);
    // Q1 2018-19.
    await report(keys.pmf, '2018-06-20T10:00:00Z', { to: 'amber', note: 'Scoping with Pat Prevent' });
    await report(keys.comms, '2018-06-21T10:00:00Z', { to: 'green' });
    await report(keys.roundtable, '2018-06-22T10:00:00Z', { to: 'green', note: 'Venue booked via pat.prevent@council.example' });
    // Q2: the Framework slips to Red with a corrective action and a revised date; the strategy goes Amber.
    await report(keys.pmf, '2018-09-20T10:00:00Z', {
      to: 'red',
      note: 'Police data not shared yet',
      correctiveAction: 'Escalated to the CSP chair',
      revisedDate: '2018-12-31',
    });
    await report(keys.comms, '2018-09-21T10:00:00Z', { to: 'amber', note: 'Sign-off delayed by Casey Comms' });
    await report(keys.training, '2018-09-22T10:00:00Z', { to: 'green', note: 'On track', figures: { 1: 60 } });
    // After the quarter end: must not change the Q2 pack.
    await report(keys.pmf, '2018-10-15T10:00:00Z', { to: 'green', note: 'Data agreement signed' });
  });
  afterAll(async () => h.close());

  it('lists the plan quarters for the "as at" quick picks', async () => {
    const q = await h.call('GET', `${base}/quarters`);
    expect(q.body.map((x: { label: string; end: string }) => [x.label, x.end])).toEqual([
      ['Q1 2018-19', '2018-06-30'],
      ['Q2 2018-19', '2018-09-30'],
      ['Q3 2018-19', '2018-12-31'],
      ['Q4 2018-19', '2019-03-31'],
    ]);
  });

  it('builds the Q2 pack as at 30 September 2018: exceptions, direction of travel and figures, matching the dashboard', async () => {
    const pack = (await h.call('GET', `${base}/board-pack?quarter=${encodeURIComponent('Q2 2018-19')}`)).body;
    expect(pack.asAt).toBe('2018-09-30');
    const offTrack = pack.exceptions.offTrack.map((r: Record<string, unknown>) => [
      r.key,
      r.status,
      r.note,
      r.correctiveAction,
      r.revisedDate,
    ]);
    expect(offTrack).toEqual([
      [keys.pmf, 'red', 'Police data not shared yet', 'Escalated to the CSP chair', '2018-12-31'],
      [keys.comms, 'amber', 'Sign-off delayed by Casey Comms', undefined, undefined],
    ]);
    expect(pack.exceptions.notReported.map((r: { key: string }) => r.key)).toContain(keys.roundtable);
    expect(pack.exceptions.notReported.map((r: { key: string }) => r.key)).not.toContain(keys.training);
    const row = (key: string) => pack.items.find((r: { key: string }) => r.key === key);
    expect(row(keys.pmf)).toMatchObject({ previous: 'amber', status: 'red', direction: 'worse' });
    expect(row(keys.comms)).toMatchObject({ previous: 'green', status: 'amber', direction: 'worse' });
    expect(row(keys.training)).toMatchObject({ previous: 'not-reported', status: 'green', direction: 'new' });

    const dash = (await h.call('GET', `${base}/dashboard?asOf=2018-09-30`)).body;
    expect(pack.counts).toEqual(dash.counts);
    expect(pack.byObjective.map((o: { counts: unknown }) => o.counts)).toEqual(dash.byObjective.map((o: { counts: unknown }) => o.counts));
    expect(pack.outputs).toEqual(dash.outputs);
    expect(dash.outputs.find((o: { itemKey: string; index: number }) => o.itemKey === keys.training && o.index === 1)).toMatchObject({
      reported: 60,
    });
    // Today the Framework is Green again: the dashboard today is not the quarter's.
    expect((await h.call('GET', `${base}/dashboard?asOf=2018-10-16`)).body.counts.red).toBe(dash.counts.red - 1);
  });

  it('writes the Q2 pack as a Word document whose exception table and figures are those of the view', async () => {
    const res = await h.call('GET', `${base}/board-pack?quarter=2018-09-30&format=docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toContain('board-pack-q2-2018-19.docx');
    const rows = tableRows(res.body as Buffer);
    const text = documentText(res.body as Buffer);
    expect(text).toContain('Exception report');
    // The exception table: header, then the Red and the Amber item.
    const header = rows.findIndex((r) => r.join('|') === 'Item|Lead|Status|Note|Corrective action|Revised date');
    expect(header).toBeGreaterThan(-1);
    expect(rows[header + 1]).toEqual([
      expect.stringContaining('Develop a Performance Management Framework'),
      'Prevent Co-ordinator',
      'Red',
      'Police data not shared yet',
      'Escalated to the CSP chair',
      'Monday 31 December 2018',
    ]);
    expect(rows[header + 2]!.slice(2, 4)).toEqual(['Amber', 'Sign-off delayed by Casey Comms']);
    // The summary's totals are the dashboard's as at 30 September.
    const dash = (await h.call('GET', `${base}/dashboard?asOf=2018-09-30`)).body;
    const all = rows.find((r) => r[0] === 'All items')!;
    expect(all.slice(1, 2 + RAG_VALUES.length)).toEqual([String(dash.total), ...RAG_VALUES.map((r) => String(dash.counts[r]))]);
    const training = rows.find((r) => r[0]?.startsWith('Ensure all staff') && r[1]?.startsWith('95%'))!;
    expect(training.slice(2)).toEqual(['95%', '60%', '63%']);
  });

  it('refuses an unknown quarter, naming the ones it has', async () => {
    const res = await h.call('GET', `${base}/board-pack?quarter=Q1%202030-31`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Q1 2018-19, Q2 2018-19, Q3 2018-19, Q4 2018-19');
  });

  it('exports the public version with no note text, no person’s name and no e-mail address', async () => {
    expect((await h.call('GET', `${base}/public-export?quarter=Q2%202018-19`, { headers: asCasey })).status).toBe(403);
    const md = await h.call('GET', `${base}/public-export?quarter=Q2%202018-19&format=md`);
    expect(md.status).toBe(200);
    const text = (md.body as Buffer).toString('utf8');
    const docx = await h.call('GET', `${base}/public-export?quarter=Q2%202018-19&format=docx`);
    const word = documentText(docx.body as Buffer);
    const notes = (await h.store.history(PLAN_ID)).flatMap((u) => [u.note, u.correctiveAction]).filter((x): x is string => !!x);
    const directory = await h.store.listDirectory(PLAN_ID);
    for (const out of [text, word]) {
      expect(out).toContain('Develop a Performance Management Framework for Prevent');
      expect(out).toContain('[REDACTED]');
      for (const note of notes) expect(out).not.toContain(note);
      for (const p of directory.flatMap((e) => e.people)) {
        expect(out).not.toContain(p.name);
        expect(out).not.toContain(p.email!);
      }
      expect(out).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    }
    // The status is the quarter's: Red at 30 September, whatever it is today.
    expect(text).toMatch(/Develop a Performance Management Framework for Prevent[^\n]*\| Red \|/);
  });

  it('leaves out figures marked internal and fields marked restricted', async () => {
    const settings = (await h.call('GET', `${base}/settings`)).body;
    const { source: _s, updatedAt: _a, updatedBy: _b, ...body } = settings;
    const saved = await h.call('PUT', `${base}/settings`, {
      body: { ...body, publicRestricted: ['leads'], internalFigures: [`${keys.training}#2`] },
    });
    expect(saved.status).toBe(200);
    const md = ((await h.call('GET', `${base}/public-export?quarter=Q2%202018-19`)).body as Buffer).toString('utf8');
    expect(md).not.toContain('reported 60%');
    expect(md).not.toContain('| Lead |');
    await h.call('PUT', `${base}/settings`, { body });
    const again = ((await h.call('GET', `${base}/public-export?quarter=Q2%202018-19`)).body as Buffer).toString('utf8');
    expect(again).toContain('reported 60%');
  });

  it('shows what the bot will send in a window (the Settings view), computed by the code that sends', async () => {
    const s = (await h.call('GET', `${base}/schedule?from=2018-09-10&to=2018-09-23`)).body;
    expect(s).toMatchObject({ planId: PLAN_ID, from: '2018-09-10', to: '2018-09-23' });
    const checkIn = s.requests.filter((r: { date: string; reason: string }) => r.date === '2018-09-16' && r.reason === 'check-in');
    expect(checkIn.length).toBeGreaterThan(0);
    const yan = s.cards.filter((c: { recipient: string }) => c.recipient === 'oid-yan');
    expect(yan.map((c: { date: string }) => c.date)).toContain('2018-09-16');
    // The deputy is asked a week after the leads, when nobody has answered.
    expect(s.cards.some((c: { recipient: string; date: string }) => c.recipient === 'oid-dep' && c.date === '2018-09-23')).toBe(true);
    const bad = await h.call('GET', `${base}/schedule?from=2018-09-30&to=2018-09-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('ends (2018-09-01) before it starts');
  });

  it('saves the reporting cycle settings and refuses bad ones with a clear message', async () => {
    const { source: _s, updatedAt: _a, updatedBy: _b, ...body } = (await h.call('GET', `${base}/settings`)).body;
    expect(body).toMatchObject({ cadence: 'quarterly', leadDays: 14, ownerRole: '', deputyAfterDays: 7 });
    const saved = await h.call('PUT', `${base}/settings`, {
      body: { ...body, cadence: 'monthly', leadDays: 7, ownerRole: 'Contract manager' },
    });
    expect(saved.body).toMatchObject({ cadence: 'monthly', leadDays: 7, ownerRole: 'Contract manager', source: 'saved' });
    const bad = await h.call('PUT', `${base}/settings`, { body: { ...body, cadence: 'weekly' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('The check-in cadence is monthly, quarterly or none');
    await h.call('PUT', `${base}/settings`, { body });
  });
});
