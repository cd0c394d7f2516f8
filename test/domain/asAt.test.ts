import { itemsAsAt } from '../../src/domain/asAt';
import { buildDashboard } from '../../src/domain/dashboard';
import type { StatusUpdate } from '../../src/domain/model';
import type { FilterableItem } from '../../src/domain/filters';

const item = (
  key: string,
  over: Partial<FilterableItem> & { lastUpdate?: { at: string; by?: string; note?: string } } = {},
): FilterableItem & { lastUpdate?: { at: string; correctiveAction?: string } } => ({
  key,
  kind: 'action',
  objectives: [1],
  title: `Item ${key}`,
  outcomes: [],
  outputs: [{ text: '95% of staff trained', target: 95, unit: '%' }],
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

describe('as at a day, rebuilt from history', () => {
  const history = [
    u('a', '2018-09-10T09:00:00Z', 'not-reported', 'amber', { note: 'Slow start', figures: { 0: 40 }, correctiveAction: 'Extra sessions' }),
    // 30 September 2018 23:30 in London is still that day (BST); 23:30Z is 1 October.
    u('a', '2018-09-30T22:30:00Z', 'amber', 'green', { note: 'Back on track', figures: { 0: 60 } }),
    u('a', '2018-11-01T09:00:00Z', 'green', 'red', { note: 'Trainer left' }),
    u('b', '2018-10-05T09:00:00Z', 'green', 'complete'),
  ];
  const now = [
    item('a', { status: 'red', lastUpdate: { at: '2018-11-01T09:00:00Z', by: 'Ann', note: 'Trainer left' } }),
    item('b', { status: 'complete', lastUpdate: { at: '2018-10-05T09:00:00Z', by: 'Ann' } }),
    item('c', { status: 'green' }),
  ];

  it('gives each item its status, note and figures as they stood at the end of that London day', () => {
    const [a, b, c] = itemsAsAt(now, history, '2018-09-29');
    expect(a).toMatchObject({
      status: 'amber',
      lastUpdate: { note: 'Slow start', correctiveAction: 'Extra sessions', figures: { 0: 40 } },
    });
    expect(b!.status).toBe('green');
    expect(b!.lastUpdate).toBeUndefined();
    expect(c!.status).toBe('green');
    expect(itemsAsAt(now, history, '2018-09-30')[0]).toMatchObject({ status: 'green', lastUpdate: { note: 'Back on track' } });
    expect(itemsAsAt(now, history, '2018-09-30')[0]!.lastUpdate!.correctiveAction).toBeUndefined();
  });

  it('the dashboard as at a quarter end shows that quarter, not today', () => {
    const d = buildDashboard({
      objectives: [{ number: 1, title: 'One' }],
      recommendations: [],
      items: now,
      history,
      asOf: '2018-09-29',
      periodEnd: '2019-03-31',
    });
    expect(d.counts).toMatchObject({ amber: 1, green: 2, red: 0, complete: 0 });
    expect(d.outputs.find((o) => o.itemKey === 'a')).toMatchObject({ reported: 40, percent: 42 });
    expect(d.periodEnded).toBe(false);
    expect(
      buildDashboard({ objectives: [], recommendations: [], items: now, history, asOf: '2019-04-02', periodEnd: '2019-03-31' }).periodEnded,
    ).toBe(true);
  });

  it('undoes a later edit of the dates and later revised dates', () => {
    const edited = item('d', {
      milestones: ['2019-06-30'],
      revisions: [{ milestone: '2019-06-30', to: '2019-07-31', at: '2019-02-01T09:00:00Z', by: 'Ann' }],
    });
    const edits = [
      u('d', '2018-12-01T09:00:00Z', 'green', 'green', {
        kind: 'plan-edit',
        milestonesBefore: ['2019-03-31'],
        milestonesAfter: ['2019-06-30'],
      }),
    ];
    expect(itemsAsAt([edited], edits, '2018-11-30')[0]).toMatchObject({ milestones: ['2019-03-31'] });
    expect(itemsAsAt([edited], edits, '2018-11-30')[0]!.revisions).toBeUndefined();
    expect(itemsAsAt([edited], [], '2019-01-15')[0]!.revisions).toBeUndefined();
    expect(itemsAsAt([edited], [], '2019-02-01')[0]!.revisions).toHaveLength(1);
  });
});
