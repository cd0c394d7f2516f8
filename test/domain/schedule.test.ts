import { readPlanFile } from '../../src/import/readPlanFile';
import { DEFAULT_RULES, type ReminderItem } from '../../src/domain/reminders';
import { coordinatorRole, type DirectoryRole } from '../../src/domain/recipients';
import { computeDay, computeSchedule } from '../../src/domain/schedule';
import { SHARED_PLAN } from '../support/paths';

const PLAN = { periodStart: '2018-04-01', periodEnd: '2019-03-31' };
const ONGOING: ReminderItem = {
  key: 'a1-ongoing',
  title: 'Ongoing work',
  objectives: [1],
  milestones: [],
  leads: ['Lead role'],
  status: 'green',
  recurring: true,
};
const input = (items: ReminderItem[], directory: DirectoryRole[], rules = DEFAULT_RULES) => ({
  planId: 'p',
  plan: PLAN,
  items,
  directory,
  rules,
});

describe('computeDay', () => {
  it('puts everything one person is asked on a day on one card, each item once', () => {
    const items: ReminderItem[] = [
      { ...ONGOING, key: 'a1', title: 'Zeta' },
      {
        ...ONGOING,
        key: 'a2',
        title: 'Alpha',
        milestones: ['2018-09-30'],
        recurring: false,
        status: 'not-reported',
        leads: ['Lead role', 'Other role'],
      },
      {
        ...ONGOING,
        key: 'a3',
        title: 'Overdue one',
        milestones: ['2018-08-31'],
        recurring: false,
        status: 'amber',
        lastUpdate: { at: '2018-06-01T09:00:00Z' },
      },
    ];
    const directory = [
      { role: 'Lead role', people: [{ id: 'u-1', name: 'Una' }] },
      { role: 'Other role', people: [{ id: 'U-1', name: 'Una' }] },
    ];
    // Sunday 16 September 2018: the Q2 check-in, and 14 days before a2's milestone.
    const day = computeDay({ ...input(items, directory), date: '2018-09-16' });
    expect(day.cards).toHaveLength(1);
    expect(day.cards[0]!.requests.map((r) => [r.itemKey, r.reason, r.roles])).toEqual([
      ['a2', 'milestone', ['Lead role', 'Other role']],
      ['a3', 'check-in', ['Lead role']],
      ['a1', 'check-in', ['Lead role']],
    ]);
  });

  it('lists roles with nobody mapped as the recipient, never drops them', () => {
    const day = computeDay({ ...input([ONGOING], []), date: '2018-06-16' });
    expect(day.cards.map((c) => [c.recipient, c.person, c.role])).toEqual([['Lead role', undefined, 'Lead role']]);
  });

  it('asks the plan owner role for items with no lead (commissioned projects)', () => {
    const project: ReminderItem = { ...ONGOING, key: 'p1', leads: [] };
    const directory = [{ role: 'Contract manager', people: [{ id: 'u-cm', name: 'Cam' }] }];
    const day = computeDay({ ...input([project], directory, { ...DEFAULT_RULES, ownerRole: 'Contract manager' }), date: '2018-06-16' });
    expect(day.requests.map((r) => [r.itemKey, r.person?.id, r.roles])).toEqual([['p1', 'u-cm', ['Contract manager']]]);
    // An item's own owner role wins over the plan's.
    const owned = computeDay({
      ...input([{ ...project, owner: 'Lead role' }], directory, { ...DEFAULT_RULES, ownerRole: 'Contract manager' }),
      date: '2018-06-16',
    });
    expect(owned.requests.map((r) => r.roles)).toEqual([['Lead role']]);
  });

  it("asks a role's deputy a week later when nobody has answered, and at once when the lead is away", () => {
    const directory: DirectoryRole[] = [
      {
        role: 'Lead role',
        people: [
          { id: 'u-lead', name: 'Lee' },
          { id: 'u-dep', name: 'Dee', deputy: true },
        ],
      },
    ];
    const askedOn = (date: string, dir = directory, item = ONGOING) =>
      computeDay({ ...input([item], dir), date }).requests.map((r) => [r.person?.id, r.deputy]);
    expect(askedOn('2018-06-16')).toEqual([['u-lead', undefined]]);
    expect(askedOn('2018-06-23')).toEqual([['u-dep', 'no-answer']]);
    // Answered within the week: the deputy is not asked.
    expect(askedOn('2018-06-23', directory, { ...ONGOING, lastUpdate: { at: '2018-06-18T10:00:00Z' } })).toEqual([]);
    const away: DirectoryRole[] = [{ role: 'Lead role', people: [{ id: 'u-lead', name: 'Lee', away: true }, directory[0]!.people[1]!] }];
    expect(askedOn('2018-06-16', away)).toEqual([['u-dep', 'lead-away']]);
    // Away with no deputy: the lead is still asked (there is nobody else).
    expect(askedOn('2018-06-16', [{ role: 'Lead role', people: [{ id: 'u-lead', name: 'Lee', away: true }] }])).toEqual([
      ['u-lead', undefined],
    ]);
  });
});

describe('the shared plan over its year (nobody answering)', () => {
  it('asks all 31 items in each of the four quarters, with at most one card per recipient per day', async () => {
    const plan = await readPlanFile(SHARED_PLAN);
    const s = computeSchedule({
      planId: 'p',
      plan: plan.plan,
      items: plan.items,
      directory: [],
      rules: { ...DEFAULT_RULES, ownerRole: coordinatorRole(plan.items) },
      from: '2018-04-01',
      to: '2019-03-31',
    });
    expect(coordinatorRole(plan.items)).toBe('Prevent Co-ordinator');
    const quarter = (d: string) => (d < '2018-07-01' ? 1 : d < '2018-10-01' ? 2 : d < '2019-01-01' ? 3 : 4);
    const asked = new Map<string, Set<number>>();
    for (const r of s.requests) asked.set(r.itemKey, (asked.get(r.itemKey) ?? new Set()).add(quarter(r.date)));
    expect(plan.items).toHaveLength(31);
    expect(plan.items.filter((i) => asked.get(i.key)?.size !== 4).map((i) => i.title)).toEqual([]);
    const perDay = new Map<string, number>();
    for (const c of s.cards) perDay.set(`${c.recipient}|${c.date}`, (perDay.get(`${c.recipient}|${c.date}`) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBe(1);
    // Items asked in April and May: the first check-in and the first reminders come in June.
    expect(s.requests.filter((r) => r.date < '2018-06-01')).toEqual([]);
    // The eight "March 2019" items (and the ranged one) are asked from the June check-in, not first on 3 March 2019.
    const firstAsked = new Map<string, string>();
    for (const r of s.requests) if (!firstAsked.has(r.itemKey)) firstAsked.set(r.itemKey, r.date);
    expect(Math.max(...[...firstAsked.values()].map((d) => Date.parse(d)))).toBeLessThanOrEqual(Date.parse('2018-06-16'));
  });
});

describe('computeSchedule', () => {
  it('refuses a window that ends before it starts, or is years long', () => {
    const base = input([ONGOING], []);
    expect(() => computeSchedule({ ...base, from: '2018-05-01', to: '2018-04-01' })).toThrow(/ends/);
    expect(() => computeSchedule({ ...base, from: '2018-04-01', to: '2022-04-01' })).toThrow(/longer/);
    expect(() => computeSchedule({ ...base, from: '2018-02-30', to: '2018-04-01' })).toThrow(/not a date/);
  });
});
