import { buildBoardPack, directionOf } from '../../src/domain/boardPack';
import type { FilterableItem } from '../../src/domain/filters';
import type { StatusUpdate } from '../../src/domain/model';
import { findQuarter } from '../../src/domain/reportingPeriods';

const PLAN = { title: 'Prevent Delivery Plan', organisation: 'LB Example', periodStart: '2018-04-01', periodEnd: '2019-03-31' };
const item = (key: string, objectives: number[], over: Partial<FilterableItem> = {}): FilterableItem => ({
  key,
  kind: 'action',
  objectives,
  title: `Item ${key}`,
  outcomes: [],
  outputs: [],
  timescale: 'March 2019',
  milestones: ['2019-03-31'],
  leads: ['Lead'],
  recommendations: [],
  status: 'not-reported',
  ...over,
});
const u = (
  itemKey: string,
  at: string,
  from: StatusUpdate['from'],
  to: StatusUpdate['to'],
  extra: Partial<StatusUpdate> = {},
): StatusUpdate => ({
  itemKey,
  at,
  by: 'Ann',
  from,
  to,
  ...extra,
});

describe('board pack', () => {
  const history = [
    u('a', '2018-06-10T09:00:00Z', 'not-reported', 'amber', { note: 'Late' }),
    u('a', '2018-09-12T09:00:00Z', 'amber', 'green'),
    u('b', '2018-06-11T09:00:00Z', 'not-reported', 'green'),
    u('b', '2018-09-13T09:00:00Z', 'green', 'red', {
      note: 'Provider withdrew',
      correctiveAction: 'Re-tendering',
      revisedDate: '2018-12-31',
    }),
    u('c', '2018-06-12T09:00:00Z', 'not-reported', 'amber', { note: 'Waiting on data' }),
    u('e', '2018-05-01T09:00:00Z', 'not-reported', 'complete'),
  ];
  const items = [
    item('a', [1], { status: 'green' }),
    item('b', [1], { status: 'red', leads: [] }),
    item('c', [2], { status: 'amber' }),
    item('d', [2]),
    item('e', [2], { status: 'complete' }),
  ];
  const pack = buildBoardPack({
    plan: PLAN,
    objectives: [
      { number: 1, title: 'One' },
      { number: 2, title: 'Two' },
    ],
    recommendations: [{ number: 1, text: 'Develop a framework' }],
    items,
    history,
    quarter: findQuarter(PLAN, 'Q2 2018-19')!,
    ownerRole: 'Contract manager',
  });

  it('gives each item its direction of travel since the previous quarter end', () => {
    expect(pack.previous).toEqual({ label: 'Q1 2018-19', asAt: '2018-06-30' });
    expect(pack.items.map((r) => [r.key, r.previous, r.status, r.direction])).toEqual([
      ['a', 'amber', 'green', 'improved'],
      ['b', 'green', 'red', 'worse'],
      ['c', 'amber', 'amber', 'same'],
      ['d', 'not-reported', 'not-reported', 'new'],
      ['e', 'complete', 'complete', 'same'],
    ]);
    expect(pack.byObjective.map((o) => [o.objective, o.direction, o.improved, o.worse])).toEqual([
      [1, 'worse', 1, 1],
      [2, 'same', 0, 0],
    ]);
    expect(directionOf('red', 'complete')).toBe('improved');
  });

  it('lists every Red and Amber with note, corrective action and revised date, and every open item not reported in the quarter', () => {
    expect(pack.exceptions.offTrack.map((r) => [r.key, r.status, r.note, r.correctiveAction, r.revisedDate, r.leads])).toEqual([
      ['b', 'red', 'Provider withdrew', 'Re-tendering', '2018-12-31', ['Contract manager']],
      ['c', 'amber', 'Waiting on data', undefined, undefined, ['Lead']],
    ]);
    expect(pack.exceptions.notReported.map((r) => r.key)).toEqual(['c', 'd']);
  });

  it('counts statuses as at the quarter end, and the first quarter against the plan as imported', () => {
    expect(pack.counts).toMatchObject({ green: 1, red: 1, amber: 1, complete: 1, 'not-reported': 1 });
    const q1 = buildBoardPack({
      plan: PLAN,
      objectives: [],
      recommendations: [],
      items,
      history,
      quarter: findQuarter(PLAN, 'Q1 2018-19')!,
    });
    expect(q1.previous).toEqual({ label: 'the plan as imported', asAt: '2018-03-31' });
    expect(q1.items.find((r) => r.key === 'b')).toMatchObject({ status: 'green', direction: 'new' });
  });
});
