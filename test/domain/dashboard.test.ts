import { buildDashboard, isoWeek, outputProgress, ragTrend, recommendationsMatrix } from '../../src/domain/dashboard';
import type { FilterableItem } from '../../src/domain/filters';
import type { StatusUpdate } from '../../src/domain/model';

function item(key: string, over: Partial<FilterableItem> = {}): FilterableItem {
  return {
    key,
    kind: 'action',
    objectives: [1],
    title: `Item ${key}`,
    outcomes: [],
    outputs: [],
    timescale: 'March 2019',
    milestones: ['2019-03-31'],
    leads: ['Prevent Co-ordinator'],
    recommendations: [],
    status: 'not-reported',
    ...over,
  };
}

const upd = (
  itemKey: string,
  at: string,
  from: StatusUpdate['from'],
  to: StatusUpdate['to'],
  figures?: Record<number, number>,
): StatusUpdate => ({
  itemKey,
  at,
  by: 'Lead',
  from,
  to,
  ...(figures ? { figures } : {}),
});

describe('dashboard', () => {
  it('numbers ISO weeks, including weeks that belong to the next or previous year', () => {
    expect(isoWeek('2018-07-02')).toEqual({ week: '2018-W27', start: '2018-07-02' });
    expect(isoWeek('2018-12-31')).toEqual({ week: '2019-W01', start: '2018-12-31' });
    expect(isoWeek('2021-01-03')).toEqual({ week: '2020-W53', start: '2020-12-28' });
  });

  it('replays history week by week in London time', () => {
    const items = [item('a', { status: 'green' }), item('b', { status: 'red' }), item('c')];
    const history = [
      upd('a', '2018-07-03T10:00:00Z', 'not-reported', 'amber'),
      // Sunday 23:30 UTC is Monday 00:30 in London (BST): it belongs to the next week.
      upd('b', '2018-07-08T23:30:00Z', 'not-reported', 'red'),
      upd('a', '2018-07-18T10:00:00Z', 'amber', 'green'),
    ];
    const trend = ragTrend(items, history, '2018-07-20');
    expect(trend.map((p) => p.week)).toEqual(['2018-W27', '2018-W28', '2018-W29']);
    expect(trend[0]?.counts).toMatchObject({ 'not-reported': 2, amber: 1, red: 0 });
    expect(trend[1]?.counts).toMatchObject({ 'not-reported': 1, amber: 1, red: 1 });
    expect(trend[2]?.counts).toMatchObject({ 'not-reported': 1, green: 1, red: 1 });
  });

  it("runs from the plan's first week when the plan started before the first report, not from a single week of data", () => {
    const history = [upd('a', '2018-09-04T10:00:00Z', 'not-reported', 'green')];
    const trend = ragTrend([item('a', { status: 'green' })], history, '2018-09-05', 104, '2018-08-15');
    expect(trend.map((p) => p.weekStart)).toEqual(['2018-08-13', '2018-08-20', '2018-08-27', '2018-09-03']);
    expect(trend[0]?.counts).toMatchObject({ 'not-reported': 1, green: 0 });
    expect(trend[3]?.counts).toMatchObject({ 'not-reported': 0, green: 1 });
    // A plan that starts after the day asked about adds nothing; a long one keeps the latest weeks.
    expect(ragTrend([item('a')], [], '2018-09-05', 104, '2019-04-01')).toHaveLength(1);
    expect(ragTrend([item('a')], [], '2018-09-05', 10, '2015-04-01')).toHaveLength(10);
  });

  it('reports a single current week when there is no history', () => {
    const trend = ragTrend([item('a')], [], '2018-09-05');
    expect(trend).toEqual([
      { week: '2018-W36', weekStart: '2018-09-03', counts: { 'not-reported': 1, red: 0, amber: 0, green: 0, complete: 0 } },
    ]);
  });

  it('takes the latest figure reported against each output with a target', () => {
    const items = [
      item('a', {
        outputs: [
          { text: '25 x 2 hour sessions', target: 25, unit: 'sessions' },
          { text: 'A report' },
          { text: '500+ reached', target: 500, atLeast: true },
        ],
      }),
    ];
    const history = [
      upd('a', '2018-08-01T10:00:00Z', 'not-reported', 'green', { 0: 5 }),
      upd('a', '2018-09-01T10:00:00Z', 'green', 'green', { 0: 12, 2: 600 }),
    ];
    const rows = outputProgress(items, history);
    expect(rows.map((r) => [r.index, r.reported, r.percent])).toEqual([
      [0, 12, 48],
      [2, 600, 120],
    ]);
    expect(outputProgress(items, [])[0]).not.toHaveProperty('reported');
  });

  it('links each recommendation to the items answering it', () => {
    const items = [
      item('a', { recommendations: [1, 4], status: 'green' }),
      item('b', { recommendations: [2] }),
      item('c', { recommendations: [2], status: 'red' }),
    ];
    const matrix = recommendationsMatrix(
      [
        { number: 2, text: 'Train key services' },
        { number: 1, text: 'Develop a performance framework' },
        { number: 3, text: 'Champions' },
      ],
      items,
    );
    expect(matrix.map((r) => [r.number, r.actions.map((a) => a.key)])).toEqual([
      [1, ['a']],
      [2, ['b', 'c']],
      [3, []],
    ]);
    expect(matrix[1]?.counts).toMatchObject({ red: 1, 'not-reported': 1 });
  });

  it('builds counts by objective and overdue/upcoming lists', () => {
    const items = [
      item('a', { objectives: [1, 2], milestones: ['2018-08-31'], status: 'amber' }),
      item('b', { objectives: [2], milestones: ['2018-09-20'] }),
      item('c', { objectives: [2], milestones: ['2018-08-01'], status: 'complete' }),
    ];
    const d = buildDashboard({
      objectives: [
        { number: 2, title: 'Two' },
        { number: 1, title: 'One' },
      ],
      recommendations: [],
      items,
      history: [],
      asOf: '2018-09-05',
    });
    expect(d.total).toBe(3);
    expect(d.counts).toEqual({ 'not-reported': 1, red: 0, amber: 1, green: 0, complete: 1 });
    expect(d.byObjective.map((o) => [o.objective, o.total])).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(d.overdue.map((r) => [r.itemKey, r.due, r.days])).toEqual([['a', '2018-08-31', -5]]);
    expect(d.upcoming.map((r) => [r.itemKey, r.days])).toEqual([['b', 15]]);
  });
});
