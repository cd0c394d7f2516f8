/**
 * The recordStatus use case on the embedded store: a revised date is a change to the plan that
 * outlives the report it came with, and every part that asks "is this overdue?" agrees.
 */
import { createBotRuntime } from '../../src/bot/runtime';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { planContentHash } from '../../src/domain/contentHash';
import { buildDashboard } from '../../src/domain/dashboard';
import { filterItems } from '../../src/domain/filters';
import { dueState } from '../../src/domain/milestones';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { actorOf } from '../../src/usecases/actor';
import { recordStatus, type ReportingDeps } from '../../src/usecases/recordStatus';
import { editItem } from '../../src/usecases/editItem';
import { SHARED_PLAN } from '../support/paths';

const KEY = 'a4-40e7a1e7'; // "Develop a comprehensive Prevent Communication Strategy", due 31 August 2018
const dan = actorOf({ name: 'Dan Comms', ids: ['aad-dan'], id: 'aad-dan', via: 'teams' });
const cora = actorOf({ name: 'Cora', ids: ['aad-cora'], id: 'aad-cora', via: 'tab' });

describe('a revised date moves the milestone until a later report or plan edit moves it again', () => {
  let store: SqlitePlanStore;
  let planId: string;
  const clock = new FixedClock('2018-09-03T09:00:00Z');
  let deps: ReportingDeps;

  beforeEach(async () => {
    store = new SqlitePlanStore(':memory:');
    planId = (await store.importPlan(await readPlanFile(SHARED_PLAN))).planId;
    await store.setPeople(planId, 'Communications Manager', [{ id: 'aad-dan', name: 'Dan Comms' }]);
    deps = { store, clock, logger: createLogger('silent'), coordinatorIds: ['aad-cora'], windowDays: async () => 28 };
  });
  afterEach(async () => {
    await store.close();
  });

  const report = async (input: Parameters<typeof recordStatus>[4], at: string) => {
    clock.set(at);
    const item = (await store.getItem(planId, KEY))!;
    const result = await recordStatus(deps, dan, planId, KEY, input, { version: item.version });
    expect(result.outcome).toBe('recorded');
  };

  it('Red with a revised date, then Amber, then Green: not overdue until the revised date passes', async () => {
    const overdueOn = async (day: string) => {
      const item = (await store.getItem(planId, KEY))!;
      const inFilter = filterItems([item], { due: 'overdue' }, day).length === 1;
      const dash = buildDashboard({ objectives: [], recommendations: [], items: [item], history: [], asOf: day });
      expect(inFilter).toBe(!!dueState(item, day).overdue);
      expect(dash.overdue.length === 1).toBe(inFilter);
      return inFilter;
    };
    expect(await overdueOn('2018-09-03')).toBe(true);

    await report({ rag: 'red', note: 'Designer left', revisedDate: '2027-06-30' }, '2018-09-03T09:00:00Z');
    await report({ rag: 'amber', note: 'New designer starts in October' }, '2018-09-24T09:00:00Z');
    await report({ rag: 'green' }, '2018-11-05T09:00:00Z');

    for (const day of ['2018-09-10', '2018-11-05', '2019-03-31', '2027-06-30']) expect(await overdueOn(day)).toBe(false);
    expect(await overdueOn('2027-07-01')).toBe(true);
    expect(dueState((await store.getItem(planId, KEY))!, '2019-01-07')).toEqual({ next: '2027-06-30' });

    // The bot agrees: no weekly overdue prompt on the Mondays after the original milestone.
    const config = loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:', SETTINGS_DB_PATH: ':memory:' });
    const rt = createBotRuntime({ config, store, logger: createLogger('silent'), clock });
    for (const monday of ['2018-09-10', '2018-11-12', '2019-03-04']) {
      const run = await rt.bot.runPrompts(monday, { dryRun: true });
      expect(run.lines.filter((l) => l.itemKey === KEY)).toEqual([]);
    }
    await rt.close();

    // History shows the milestone change with the report that made it.
    const history = await store.history(planId, KEY);
    expect(history.map((h) => [h.to, h.revisedFrom, h.revisedDate])).toEqual([
      ['red', '2018-08-31', '2027-06-30'],
      ['amber', undefined, undefined],
      ['green', undefined, undefined],
    ]);
  });

  it('a later Red with another revised date moves the same milestone again; a plan edit replaces both', async () => {
    await report({ rag: 'red', note: 'Late', revisedDate: '2018-12-31' }, '2018-09-03T09:00:00Z');
    await report({ rag: 'red', note: 'Later still', revisedDate: '2019-02-28' }, '2018-12-03T09:00:00Z');
    let item = (await store.getItem(planId, KEY))!;
    expect(item.revisions?.map((r) => [r.milestone, r.to])).toEqual([
      ['2018-08-31', '2018-12-31'],
      ['2018-08-31', '2019-02-28'],
    ]);
    expect(dueState(item, '2019-01-07')).toEqual({ next: '2019-02-28' });

    clock.set('2019-01-10T09:00:00Z');
    item = await editItem({ store, clock, coordinatorIds: ['aad-cora'] }, cora, planId, KEY, { milestones: ['2019-03-31'] }, item.version);
    expect(item.revisions).toBeUndefined();
    expect(dueState(item, '2019-01-10')).toEqual({ next: '2019-03-31' });
    const last = (await store.history(planId, KEY)).at(-1);
    expect(last).toMatchObject({
      kind: 'plan-edit',
      by: 'Cora',
      milestonesBefore: ['2019-02-28'],
      milestonesAfter: ['2019-03-31'],
      via: 'tab',
    });
  });

  it('refuses a stale report and changes nothing; records after another report when the view proves nothing else changed', async () => {
    const seen = (await store.getItem(planId, KEY))!;
    await report({ rag: 'amber', note: 'First' }, '2018-09-03T09:00:00Z');
    const stale = await recordStatus(deps, dan, planId, KEY, { rag: 'green' }, { version: seen.version });
    expect(stale).toMatchObject({ outcome: 'refused', refusal: { kind: 'stale', why: 'reported', by: 'Dan Comms' } });
    expect(await store.history(planId, KEY)).toHaveLength(1);

    // A card carries the fingerprint of the plan content it showed: only a report came in since, so
    // the co-ordinator's answer is recorded after it, and they are told whose came first.
    const basis = { version: seen.version, content: planContentHash(seen), seen: '' };
    const after = await recordStatus(deps, cora, planId, KEY, { rag: 'green', note: 'Signed off' }, basis);
    expect(after).toMatchObject({ outcome: 'recorded', earlier: [{ by: 'Dan Comms', to: 'amber' }], item: { status: 'green' } });
    // The same answer replayed is not recorded twice.
    expect(await recordStatus(deps, cora, planId, KEY, { rag: 'green', note: 'Signed off' }, basis)).toMatchObject({
      outcome: 'already-recorded',
    });
    expect((await store.history(planId, KEY)).map((h) => h.by)).toEqual(['Dan Comms', 'Cora']);
  });
});
