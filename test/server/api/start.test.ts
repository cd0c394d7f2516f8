/** GET /api/start: what the tab opens with, in one request (the plan chosen as the tab would choose it). */
import { planIdOf } from '../../../src/domain/identity';
import { makePlan } from '../../store/fixtures';
import { PLAN_ID, startHarness, type Harness } from './harness';

describe('the tab’s opening request', () => {
  let h: Harness;
  let newer: string;
  beforeAll(async () => {
    h = await startHarness({ COORDINATOR_IDS: 'coordinator@example.gov.uk' });
    // A second plan, imported later: the newest, in which Casey leads nothing.
    const plan = makePlan(3, 'London Borough of Elsewhere');
    newer = planIdOf(plan.plan);
    await h.store.importPlan(plan);
    await h.store.setPeople(PLAN_ID, 'Communications Manager', [{ id: 'oid-comms', name: 'Casey Comms', email: 'casey@example.gov.uk' }]);
  });
  afterAll(async () => h.close());

  const asCasey = { 'x-dev-user': 'casey@example.gov.uk' };

  it('answers the newest plan, who the caller is in it and its items, as the separate requests do', async () => {
    const start = await h.call('GET', '/api/start');
    expect(start.status).toBe(200);
    const plans = await h.call('GET', '/api/plans');
    const { itemCount: _count, ...newest } = plans.body[0];
    expect(start.body.plan).toEqual(newest);
    expect(start.body.plan.id).toBe(newer);
    expect(start.body.me).toEqual((await h.call('GET', `/api/me?plan=${newer}`)).body);
    expect(start.body.items).toEqual((await h.call('GET', `/api/plans/${newer}/items`)).body);
  });

  it('writes its JSON in ASCII (the plan’s other characters escaped), which a browser decodes several times faster', async () => {
    for (const path of [`/api/start?plan=${PLAN_ID}`, `/api/plans/${PLAN_ID}/items`]) {
      const res = await fetch(`${h.url}${path}`, { headers: { 'x-requested-with': 'dplan-test' } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const raw = Buffer.from(await res.arrayBuffer());
      expect(raw.every((byte) => byte < 0x7f)).toBe(true);
      // The same value: the shared plan has characters outside ASCII, and they come back as they were.
      const text = raw.toString('utf8');
      expect(text).toMatch(/\\u20(13|14|18|19)/);
      const parsed = JSON.parse(text) as unknown;
      expect(JSON.stringify(parsed)).toMatch(/[\u2013\u2014\u2018\u2019]/);
    }
    const start = await h.call('GET', `/api/start?plan=${PLAN_ID}`);
    expect(start.body.items).toEqual((await h.call('GET', `/api/plans/${PLAN_ID}/items`)).body);
  });

  it('reads the items of the plan it opens and of no other (a full list read each, on the Graph store)', async () => {
    const reads = jest.spyOn(h.store, 'listItems');
    try {
      await h.call('GET', `/api/start?plan=${PLAN_ID}`);
      expect(reads.mock.calls).toEqual([[PLAN_ID]]);
    } finally {
      reads.mockRestore();
    }
  });

  it('opens the plan the tab was configured with', async () => {
    const start = await h.call('GET', `/api/start?plan=${PLAN_ID}`, { headers: asCasey });
    expect(start.body.plan.id).toBe(PLAN_ID);
    expect(start.body.items).toHaveLength(31);
    expect(start.body.me).toMatchObject({ coordinator: false, roles: ['Communications Manager'] });
  });

  it('opens, in the personal tab, the newest plan in which the caller leads something', async () => {
    expect((await h.call('GET', '/api/start?mode=personal', { headers: asCasey })).body.plan.id).toBe(PLAN_ID);
    // Someone who leads nothing anywhere gets the newest plan.
    expect((await h.call('GET', '/api/start?mode=personal', { headers: { 'x-dev-user': 'nobody@example.gov.uk' } })).body.plan.id).toBe(
      newer,
    );
  });

  it('says plainly when the configured plan is not on the server, and refuses a mode it does not know', async () => {
    const missing = await h.call('GET', '/api/start?plan=no-such-plan');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('The plan "no-such-plan" is not on this server. Reconfigure the tab to choose another plan.');
    const odd = await h.call('GET', '/api/start?mode=sideways');
    expect(odd.status).toBe(400);
    expect(odd.body.message).toMatch(/mode is channel or personal/);
  });

  it('says how to import a plan when the server has none', async () => {
    const empty = await startHarness({}, { empty: true });
    try {
      const start = await empty.call('GET', '/api/start');
      expect(start.status).toBe(404);
      expect(start.body.message).toBe('There is no plan on this server yet. A co-ordinator can import one with `dplan import <file>`.');
    } finally {
      await empty.close();
    }
  });
});
