import { nextMilestone, overdueMilestone } from '../../src/domain/milestones';
import { computePrompts, promptReasonFor, resolveLeads, type DirectoryRole, type ReminderItem } from '../../src/domain/reminders';

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

describe('promptReasonFor', () => {
  it.each([
    ['2018-09-02', '28 days', 28],
    ['2018-09-16', '14 days', 14],
    ['2018-09-23', '7 days', 7],
    ['2018-09-30', 'due today', 0],
  ])('on %s the item is due a "%s" prompt', (date, reason, days) => {
    expect(promptReasonFor(item(), date)).toEqual({ milestone: '2018-09-30', reason, daysUntil: days });
  });

  it('is silent on other days and for Complete items', () => {
    expect(promptReasonFor(item(), '2018-09-03')).toBeUndefined();
    expect(promptReasonFor(item({ status: 'complete' }), '2018-09-30')).toBeUndefined();
  });

  it('honours configured offsets', () => {
    expect(promptReasonFor(item(), '2018-09-25', { offsets: [5] })).toEqual({ milestone: '2018-09-30', reason: '5 days', daysUntil: 5 });
    expect(promptReasonFor(item(), '2018-09-02', { offsets: [5] })).toBeUndefined();
  });

  it('prompts overdue items weekly, on the overdue weekday only', () => {
    // 2018-10-01 is a Monday, the day after the milestone.
    expect(promptReasonFor(item(), '2018-10-01')).toEqual({ milestone: '2018-09-30', reason: 'overdue (weekly)', daysUntil: -1 });
    expect(promptReasonFor(item(), '2018-10-02')).toBeUndefined();
    expect(promptReasonFor(item(), '2018-10-02', { overdueWeekday: 'tue' })?.reason).toBe('overdue (weekly)');
  });

  it('uses the next of several milestones', () => {
    const two = item({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(nextMilestone(two, '2018-10-01')).toBe('2019-03-31');
    expect(promptReasonFor(two, '2019-03-03')).toEqual({ milestone: '2019-03-31', reason: '28 days', daysUntil: 28 });
  });
});

describe('overdue and revised dates', () => {
  it('an intermediate milestone is overdue only when nobody reported in its window', () => {
    const two = item({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(overdueMilestone(two, '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone({ ...two, lastUpdate: { at: '2018-09-20T10:00:00Z' } }, '2018-10-08')).toBeUndefined();
  });

  it('the last milestone passed without Complete is overdue even after reports', () => {
    expect(overdueMilestone(item({ status: 'green', lastUpdate: { at: '2018-09-29T10:00:00Z' } }), '2018-10-08')).toBe('2018-09-30');
    expect(overdueMilestone(item({ status: 'complete' }), '2018-10-08')).toBeUndefined();
  });

  it('a revised milestone is prompted against its new date', () => {
    const red = item({
      milestones: ['2018-09-30', '2019-03-31'],
      status: 'red',
      lastUpdate: { at: '2018-09-10T09:00:00Z' },
      revisions: [{ milestone: '2018-09-30', to: '2018-11-15', at: '2018-09-10T09:00:00Z', by: 'Ann' }],
    });
    expect(promptReasonFor(red, '2018-11-01')).toEqual({ milestone: '2018-11-15', reason: '14 days', daysUntil: 14 });
    expect(promptReasonFor(red, '2018-09-23')).toBeUndefined();
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

describe('computePrompts', () => {
  it('gives one prompt per person per item with stable ids, and reports roles with nobody', () => {
    const items = [
      item({ key: 'a1', leads: ['Prevent Co-ordinator', 'Head of Integrated Youth and Community Service'] }),
      item({ key: 'a2', leads: ['Communications Manager'] }),
      item({ key: 'a3', milestones: ['2018-10-31'] }),
    ];
    const plan = computePrompts({ planId: 'p', items, directory, date: '2018-09-16' });
    expect(plan.prompts.map((p) => [p.itemKey, p.person.id, p.reason])).toEqual([
      ['a1', 'u-ann', '14 days'],
      ['a1', 'u-bob', '14 days'],
    ]);
    expect(plan.unresolved).toEqual([
      {
        planId: 'p',
        itemKey: 'a2',
        itemTitle: 'Deliver WRAP training',
        role: 'Communications Manager',
        milestone: '2018-09-30',
        reason: '14 days',
      },
    ]);
    const again = computePrompts({ planId: 'p', items, directory, date: '2018-09-16' });
    expect(again.prompts.map((p) => p.id)).toEqual(plan.prompts.map((p) => p.id));
    expect(new Set(plan.prompts.map((p) => p.id)).size).toBe(2);
    expect(plan.prompts[0]!.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects a malformed date', () => {
    expect(() => computePrompts({ planId: 'p', items: [], directory, date: '2018-02-30' })).toThrow(RangeError);
  });

  it('computes 5,000 items quickly', () => {
    const items = Array.from({ length: 5000 }, (_, i) =>
      item({ key: `k${i}`, milestones: [`2018-${String((i % 12) + 1).padStart(2, '0')}-28`] }),
    );
    const t = performance.now();
    const plan = computePrompts({ planId: 'p', items, directory, date: '2018-08-31' });
    expect(performance.now() - t).toBeLessThan(1000);
    expect(plan.prompts.length).toBeGreaterThan(0);
  });
});
