import { filterItems, hasLead, leadRoles, sortItems, type FilterableItem } from '../../src/domain/filters';
import { dueState } from '../../src/domain/milestones';
import type { PlanItem } from '../../src/domain/model';

function item(over: Partial<FilterableItem> & { key: string }): FilterableItem {
  const base: PlanItem = {
    key: over.key,
    kind: 'action',
    objectives: [1],
    title: `Item ${over.key}`,
    outcomes: [],
    outputs: [],
    timescale: 'March 2019',
    milestones: ['2019-03-31'],
    leads: ['Prevent Co-ordinator'],
    recommendations: [],
    status: 'not-reported',
  };
  return { ...base, ...over };
}

const items: FilterableItem[] = [
  item({ key: 'a', title: 'Train youth workers', leads: ['Prevent Co-Ordinator'], milestones: ['2018-09-30'], status: 'green' }),
  item({
    key: 'b',
    title: 'Communication strategy',
    objectives: [4],
    leads: ['Communications Manager'],
    milestones: ['2018-08-31'],
    status: 'red',
    outcomes: ['Misconceptions are minimised'],
  }),
  item({
    key: 'c',
    title: 'East London Network',
    objectives: [2, 3],
    milestones: [],
    recurring: true,
    timescale: 'Ongoing',
    status: 'amber',
    lastUpdate: { at: '2018-07-02T09:00:00Z' },
  }),
  item({
    key: 'd',
    title: 'Roundtables',
    objectives: [2],
    milestones: ['2018-09-30', '2019-03-31'],
    status: 'complete',
    lastUpdate: { at: '2018-06-01T09:00:00Z' },
  }),
  item({
    key: 'e',
    title: 'Policies updated',
    kind: 'project',
    objectives: [4],
    leads: ['Cohesion Manager', 'Prevent co-ordinator'],
    milestones: ['2018-11-15'],
  }),
];

describe('filters', () => {
  const today = '2018-09-01';

  it('matches lead roles whatever their capitalisation', () => {
    expect(hasLead(items[0] as PlanItem, 'Prevent Co-ordinator')).toBe(true);
    expect(filterItems(items, { lead: 'prevent co-ordinator' }, today).map((i) => i.key)).toEqual(['a', 'c', 'd', 'e']);
    expect(leadRoles(items)).toEqual(['Prevent Co-Ordinator', 'Communications Manager', 'Cohesion Manager']);
  });

  it('filters by objective (any of the item objectives), kind and status', () => {
    expect(filterItems(items, { objective: 3 }, today).map((i) => i.key)).toEqual(['c']);
    expect(filterItems(items, { objective: 4, kind: 'project' }, today).map((i) => i.key)).toEqual(['e']);
    expect(filterItems(items, { statuses: ['red', 'amber'] }, today).map((i) => i.key)).toEqual(['b', 'c']);
    expect(filterItems(items, { statuses: [] }, today)).toHaveLength(5);
  });

  it('filters by free text across outcomes, every word required', () => {
    expect(filterItems(items, { text: 'misconceptions' }, today).map((i) => i.key)).toEqual(['b']);
    expect(filterItems(items, { text: 'east network' }, today).map((i) => i.key)).toEqual(['c']);
    expect(filterItems(items, { text: 'east nowhere' }, today)).toEqual([]);
  });

  it('filters by due window: overdue, next 30 and 90 days, no date', () => {
    expect(filterItems(items, { due: 'overdue' }, today).map((i) => i.key)).toEqual(['b']);
    expect(filterItems(items, { due: 'next-30' }, today).map((i) => i.key)).toEqual(['a']);
    expect(filterItems(items, { due: 'next-90' }, today).map((i) => i.key)).toEqual(['a', 'e']);
    expect(filterItems(items, { due: 'no-date' }, today).map((i) => i.key)).toEqual(['c']);
  });

  it('treats a passed intermediate milestone as overdue only when no report was made since', () => {
    const twoStep = item({ key: 'x', milestones: ['2018-09-30', '2019-03-31'], status: 'green' });
    expect(dueState(twoStep, '2018-10-15')).toEqual({ next: '2019-03-31', overdue: '2018-09-30' });
    expect(dueState({ ...twoStep, lastUpdate: { at: '2018-10-01T08:00:00Z' } }, '2018-10-15')).toEqual({ next: '2019-03-31' });
    expect(dueState({ ...twoStep, status: 'complete' }, '2019-06-01')).toEqual({});
    // A revised date offered with a Red report postpones the milestone.
    const revisions = [{ milestone: '2018-09-30', to: '2018-11-30', at: '2018-09-20T08:00:00Z', by: 'Ann' }];
    expect(dueState({ ...twoStep, status: 'red', lastUpdate: { at: '2018-09-20T08:00:00Z' }, revisions }, '2018-10-15')).toEqual({
      next: '2018-11-30',
    });
  });

  it('sorts by due date, status urgency, title and last update, keeping missing values last', () => {
    expect(sortItems(items, 'due', 'asc', today).map((i) => i.key)).toEqual(['b', 'a', 'd', 'e', 'c']);
    expect(sortItems(items, 'status').map((i) => i.key)).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(sortItems(items, 'title', 'desc').map((i) => i.key)).toEqual(['a', 'd', 'e', 'c', 'b']);
    expect(sortItems(items, 'updated', 'desc').map((i) => i.key)).toEqual(['c', 'd', 'a', 'b', 'e']);
    expect(sortItems(items, 'plan', 'desc').map((i) => i.key)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('gives a copy in plan order, and leaves the list it was given as it was', () => {
    const given = [...items];
    const asc = sortItems(given, 'plan');
    expect(asc).toEqual(items);
    expect(asc).not.toBe(given);
    sortItems(given, 'plan', 'desc').push(items[0]!);
    asc.reverse();
    expect(given).toEqual(items);
  });
});
