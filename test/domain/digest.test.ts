import { computeDigest, statusAt } from '../../src/domain/digest';
import type { StatusUpdate } from '../../src/domain/model';
import type { ReminderItem } from '../../src/domain/reminders';

const mk = (key: string, over: Partial<ReminderItem> = {}): ReminderItem => ({
  key,
  title: `Item ${key}`,
  objectives: [1],
  milestones: ['2019-03-31'],
  leads: ['Prevent Co-ordinator'],
  status: 'not-reported',
  ...over,
});
const u = (itemKey: string, at: string, from: StatusUpdate['from'], to: StatusUpdate['to']): StatusUpdate => ({
  itemKey,
  at,
  by: 'Ann Lead',
  from,
  to,
});

describe('computeDigest', () => {
  const now = new Date('2018-09-03T08:00:00Z'); // Monday 09:00 London
  const history = [
    u('a', '2018-08-20T10:00:00Z', 'not-reported', 'green'),
    u('a', '2018-08-30T10:00:00Z', 'green', 'amber'),
    u('b', '2018-08-31T10:00:00Z', 'not-reported', 'green'),
    u('c', '2018-09-01T10:00:00Z', 'red', 'amber'),
    u('c', '2018-09-02T10:00:00Z', 'amber', 'red'),
  ];
  const items = [
    mk('a', { status: 'amber' }),
    mk('b', { status: 'green', milestones: ['2018-09-30'] }),
    mk('c', { status: 'red' }),
    mk('d', { milestones: ['2018-07-31'] }),
    mk('e', { status: 'complete', milestones: ['2018-09-10'] }),
  ];
  const d = computeDigest({
    planTitle: 'Prevent Delivery Plan',
    items,
    history,
    now,
    unanswered: [
      { personId: 'u1', personName: 'Zed', itemKey: 'd', itemTitle: 'Item d', sentOn: '2018-08-27' },
      { personId: 'U1', personName: 'Zed', itemKey: 'd', itemTitle: 'Item d', sentOn: '2018-08-28' },
    ],
    unreachable: [
      { who: 'Communications Manager', why: 'nobody in the directory' },
      { who: 'Communications Manager', why: 'nobody in the directory' },
    ],
    deepLink: 'https://teams.microsoft.com/l/entity/app/plan',
  });

  it('counts statuses now and a week ago from history', () => {
    expect(statusAt(items[0]!, history, '2018-08-27T08:00:00Z')).toBe('green');
    expect(d.countsLastWeek).toMatchObject({ green: 1, red: 1, 'not-reported': 2, amber: 0, complete: 1 });
    expect(d.counts).toMatchObject({ green: 1, red: 1, amber: 1, 'not-reported': 1, complete: 1 });
    expect(d.change).toMatchObject({ amber: 1, 'not-reported': -1, green: 0, red: 0 });
  });

  it('lists net changes in the week, overdue items and milestones in the next 28 days', () => {
    expect(d.changed.map((c) => [c.itemKey, c.from, c.to])).toEqual([
      ['b', 'not-reported', 'green'],
      ['a', 'green', 'amber'],
    ]);
    expect(d.overdue.map((o) => [o.itemKey, o.daysOverdue])).toEqual([['d', 34]]);
    expect(d.upcoming.map((o) => [o.itemKey, o.milestone, o.daysUntil])).toEqual([['b', '2018-09-30', 27]]);
  });

  it('groups unanswered prompts by person and dedupes unreachable leads', () => {
    expect(d.unanswered).toEqual([
      { personId: 'u1', personName: 'Zed', items: [{ itemKey: 'd', itemTitle: 'Item d', sentOn: '2018-08-27' }] },
    ]);
    expect(d.unreachable).toHaveLength(1);
    expect(d.since).toBe('2018-08-27');
  });
});
