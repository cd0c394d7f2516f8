/** The Plan's filters in the address: written by queryOf, read back by filtersOf, and a hash that carries them. */
import { NO_FILTERS, filtersOf, queryOf, type Filters } from '../../src/tab/components/PlanFilters';
import { hashOf, samePlace } from '../../src/tab/navigation';

const known = { objectives: [1, 2, 3, 4], leads: ['Prevent Co-ordinator', 'HE/FE co-ordinator', 'Community Safety Manager'] };

describe('the Plan filters in the address', () => {
  it('reads back every filter and order that it wrote', () => {
    const filters: Filters = {
      objective: '2',
      lead: 'HE/FE co-ordinator',
      status: 'red',
      due: 'next-30',
      text: 'training & schools',
      sort: 'due',
      dir: 'desc',
    };
    const query = queryOf(filters).toString();
    expect(filtersOf(query, known)).toEqual(filters);
    expect(filtersOf(queryOf(NO_FILTERS).toString(), known)).toEqual(NO_FILTERS);
    expect(filtersOf('', known)).toEqual(NO_FILTERS);
  });

  it('leaves unset what the plan does not have, rather than filtering to nothing under a control that cannot show it', () => {
    expect(filtersOf('objective=9&status=purple&due=soon&sort=colour&dir=up&lead=Chief%20Constable', known)).toEqual(NO_FILTERS);
    expect(filtersOf('objective=1.5', known).objective).toBe('');
    expect(filtersOf('objective=02', known).objective).toBe('2');
  });

  it('matches a lead as the filter compares leads, and takes the plan’s spelling', () => {
    expect(filtersOf('lead=prevent%20coordinator', known).lead).toBe('Prevent Co-ordinator');
    expect(filtersOf('lead=HE-FE%20Co-ordinator', known).lead).toBe('HE/FE co-ordinator');
  });

  it('puts the filters after the view and the open item in the hash, and tells places apart by them', () => {
    expect(hashOf({ view: 'plan', query: 'status=red' })).toBe('#/plan?status=red');
    expect(hashOf({ view: 'plan', item: 'a1/2', query: 'q=x' })).toBe('#/plan/a1%2F2?q=x');
    expect(hashOf({ view: 'plan', query: '' })).toBe('#/plan');
    expect(samePlace({ view: 'plan' }, { view: 'plan', query: '' })).toBe(true);
    expect(samePlace({ view: 'plan', query: 'status=red' }, { view: 'plan', query: 'status=amber' })).toBe(false);
    expect(samePlace({ view: 'plan', item: 'a' }, { view: 'plan' })).toBe(false);
  });
});
