import { nextMilestone, overdueMilestone } from '../../src/domain/milestones';
import {
  askFor,
  DEFAULT_RULES,
  promptIdOf,
  resolveLeads,
  type DirectoryRole,
  type ReminderItem,
  type ReminderRules,
} from '../../src/domain/reminders';

const PLAN = { periodStart: '2018-04-01', periodEnd: '2019-03-31' };
/** Milestone reminders alone (no check-ins), as before the reporting cycle. */
const MILESTONES_ONLY: ReminderRules = { ...DEFAULT_RULES, cadence: 'none' };

function item(over: Partial<ReminderItem> = {}): ReminderItem {
  return {
    key: 'a1-0001',
    title: 'Deliver WRAP training',
    objectives: [1],
    milestones: ['2018-09-30'],
    leads: ['Prevent Co-ordinator'],
    status: 'not-reported',
    ...over,
  };
}

const reported = (at: string) => ({ lastUpdate: { at } });

const directory: DirectoryRole[] = [
  { role: 'Prevent Co-ordinator', people: [{ id: 'u-ann', name: 'Ann Lead' }] },
  {
    role: 'Head of Integrated Youth and Community Service',
    people: [
      { id: 'u-bob', name: 'Bob Youth' },
      { id: 'U-ANN', name: 'Ann Lead' },
    ],
  },
];

describe('milestone reminders', () => {
  it.each([
    ['2018-09-02', 28],
    ['2018-09-16', 14],
    ['2018-09-23', 7],
    ['2018-09-30', 0],
  ])('on %s the item is reminded %i days before its milestone', (date, days) => {
    expect(askFor(item(), date, PLAN, MILESTONES_ONLY)).toEqual({ reason: 'milestone', milestone: '2018-09-30', daysUntil: days });
  });

  it('is silent on other days and for Complete items', () => {
    expect(askFor(item(), '2018-09-03', PLAN, MILESTONES_ONLY)).toBeUndefined();
    expect(askFor(item({ status: 'complete' }), '2018-09-30', PLAN, MILESTONES_ONLY)).toBeUndefined();
  });

  it('honours configured offsets', () => {
    const rules = { ...MILESTONES_ONLY, offsets: [5] };
    expect(askFor(item(), '2018-09-25', PLAN, rules)).toEqual({ reason: 'milestone', milestone: '2018-09-30', daysUntil: 5 });
    expect(askFor(item(), '2018-09-02', PLAN, rules)).toBeUndefined();
  });

  it('uses the next of several milestones', () => {
    const two = item({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(nextMilestone(two, '2018-10-01')).toBe('2019-03-31');
    expect(askFor(two, '2019-03-03', PLAN, MILESTONES_ONLY)).toEqual({ reason: 'milestone', milestone: '2019-03-31', daysUntil: 28 });
  });

  it('skips reminders the lead has already answered: a report 28 days out answers the 14- and 7-day ones, not the due-day one', () => {
    const answered = item({ status: 'green', ...reported('2018-09-02T10:00:00Z') });
    expect(askFor(answered, '2018-09-16', PLAN, MILESTONES_ONLY)).toBeUndefined();
    expect(askFor(answered, '2018-09-23', PLAN, MILESTONES_ONLY)).toBeUndefined();
    // The due-day card still asks whether it is complete.
    expect(askFor(answered, '2018-09-30', PLAN, MILESTONES_ONLY)).toEqual({ reason: 'milestone', milestone: '2018-09-30', daysUntil: 0 });
    // …unless the item was reported that very day.
    expect(askFor(item({ status: 'green', ...reported('2018-09-30T06:00:00Z') }), '2018-09-30', PLAN, MILESTONES_ONLY)).toBeUndefined();
    // A report before the window opened does not answer the 28-day reminder.
    expect(askFor(item({ status: 'green', ...reported('2018-08-20T10:00:00Z') }), '2018-09-02', PLAN, MILESTONES_ONLY)?.reason).toBe(
      'milestone',
    );
  });
});

describe('overdue', () => {
  it('asks overdue items weekly, on the overdue weekday only', () => {
    // 2018-10-01 is a Monday, the day after the milestone.
    expect(askFor(item(), '2018-10-01', PLAN, MILESTONES_ONLY)).toEqual({ reason: 'overdue', milestone: '2018-09-30', daysUntil: -1 });
    expect(askFor(item(), '2018-10-02', PLAN, MILESTONES_ONLY)).toBeUndefined();
    expect(askFor(item(), '2018-10-02', PLAN, { ...MILESTONES_ONLY, overdueWeekday: 'tue' })?.reason).toBe('overdue');
  });

  it('stops asking once the lead answers after the milestone (any status), until the next check-in', () => {
    const answered = item({ status: 'green', ...reported('2018-09-30T11:00:00Z') });
    for (const monday of ['2018-10-01', '2018-10-08', '2018-11-05', '2019-03-04'])
      expect(askFor(answered, monday, PLAN, MILESTONES_ONLY)).toBeUndefined();
    // The next quarter's check-in asks again.
    expect(askFor(answered, '2018-12-17', PLAN)).toMatchObject({ reason: 'check-in', period: { label: 'Q3 2018-19' } });
    // A report before the milestone does not stop it: the work was due and nobody said how it went.
    expect(askFor(item({ status: 'green', ...reported('2018-09-29T11:00:00Z') }), '2018-10-08', PLAN, MILESTONES_ONLY)?.reason).toBe(
      'overdue',
    );
  });

  it('an intermediate milestone is overdue only when nobody reported in its window', () => {
    const two = item({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(overdueMilestone(two, '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone({ ...two, lastUpdate: { at: '2018-09-20T10:00:00Z' } }, '2018-10-08')).toBeUndefined();
  });

  it('the last milestone passed without Complete is overdue even after reports', () => {
    expect(overdueMilestone(item({ status: 'green', lastUpdate: { at: '2018-09-29T10:00:00Z' } }), '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone(item({ status: 'complete' }), '2018-10-08')).toBeUndefined();
  });

  it('a revised milestone is reminded against its new date, and the old one is not overdue', () => {
    const red = item({
      milestones: ['2018-09-30', '2019-03-31'],
      status: 'red',
      lastUpdate: { at: '2018-09-10T09:00:00Z' },
      revisions: [{ milestone: '2018-09-30', to: '2018-11-15', at: '2018-09-10T09:00:00Z', by: 'Ann' }],
    });
    expect(askFor(red, '2018-11-01', PLAN, MILESTONES_ONLY)).toEqual({ reason: 'milestone', milestone: '2018-11-15', daysUntil: 14 });
    expect(askFor(red, '2018-10-01', PLAN, MILESTONES_ONLY)).toBeUndefined();
  });

  it('is not asked after the plan has ended', () => {
    expect(askFor(item({ milestones: ['2019-03-01'] }), '2019-04-01', PLAN, MILESTONES_ONLY)).toBeUndefined();
  });
});

describe('check-ins', () => {
  it('asks every open item 14 days before each financial-year quarter ends, Ongoing items too', () => {
    const ongoing = item({ milestones: [], recurring: true });
    expect(['2018-06-16', '2018-09-16', '2018-12-17', '2019-03-17'].map((d) => askFor(ongoing, d, PLAN)?.period?.label)).toEqual([
      'Q1 2018-19',
      'Q2 2018-19',
      'Q3 2018-19',
      'Q4 2018-19',
    ]);
    expect(askFor(ongoing, '2018-06-17', PLAN)).toBeUndefined();
  });

  it('is not asked again for a period it was reported in', () => {
    const ongoing = item({ milestones: [], recurring: true, status: 'green', ...reported('2018-07-03T09:00:00Z') });
    expect(askFor(ongoing, '2018-09-16', PLAN)).toBeUndefined();
    expect(askFor(ongoing, '2018-12-17', PLAN)?.reason).toBe('check-in');
  });

  it('follows the cadence and lead time the co-ordinator chose', () => {
    const ongoing = item({ milestones: [], recurring: true });
    expect(askFor(ongoing, '2018-04-23', PLAN, { ...DEFAULT_RULES, cadence: 'monthly', leadDays: 7 })?.period?.label).toBe('April 2018');
    expect(askFor(ongoing, '2018-06-16', PLAN, { ...DEFAULT_RULES, cadence: 'none' })).toBeUndefined();
  });

  it('gives way to a milestone reminder on the same day (one reason per item)', () => {
    expect(askFor(item({ milestones: ['2018-06-30'] }), '2018-06-16', PLAN)).toMatchObject({ reason: 'milestone', daysUntil: 14 });
  });
});

describe('resolveLeads', () => {
  it('folds role spelling and lists each person once with all their roles', () => {
    const r = resolveLeads(['prevent co-ordinator', 'Head of Integrated Youth and Community Service', 'Communications Manager'], directory);
    expect(r.people.map((p) => [p.person.id, p.roles])).toEqual([
      ['u-ann', ['prevent co-ordinator', 'Head of Integrated Youth and Community Service']],
      ['u-bob', ['Head of Integrated Youth and Community Service']],
    ]);
    expect(r.unresolved).toEqual(['Communications Manager']);
  });
});

describe('promptIdOf', () => {
  it('is stable, 16 hex digits, and differs by any part', () => {
    const parts = { planId: 'p', itemKey: '#card', milestone: '', reason: 'daily card', personId: 'u-ann', dateKey: '2018-09-16' };
    expect(promptIdOf(parts)).toBe(promptIdOf({ ...parts, personId: 'U-ANN' }));
    expect(promptIdOf(parts)).toMatch(/^[0-9a-f]{16}$/);
    expect(promptIdOf({ ...parts, dateKey: '2018-09-17' })).not.toBe(promptIdOf(parts));
  });
});
