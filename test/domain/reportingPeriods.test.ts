import { checkInDay, findQuarter, monthOf, periodContaining, planPeriods, quarterOf } from '../../src/domain/reportingPeriods';

describe('reporting periods', () => {
  it('reads quarters on the UK financial year', () => {
    expect(quarterOf('2018-04-01')).toEqual({ start: '2018-04-01', end: '2018-06-30', label: 'Q1 2018-19', span: 'April to June 2018' });
    expect(quarterOf('2018-09-30').label).toBe('Q2 2018-19');
    expect(quarterOf('2018-12-31')).toMatchObject({ start: '2018-10-01', end: '2018-12-31', label: 'Q3 2018-19' });
    expect(quarterOf('2019-02-28')).toMatchObject({
      start: '2019-01-01',
      end: '2019-03-31',
      label: 'Q4 2018-19',
      span: 'January to March 2019',
    });
    expect(monthOf('2020-02-10')).toMatchObject({ start: '2020-02-01', end: '2020-02-29', label: 'February 2020' });
  });

  it("clips periods to the plan's own period", () => {
    const plan = { periodStart: '2019-01-01', periodEnd: '2019-12-31' };
    expect(planPeriods(plan, 'quarterly').map((p) => [p.label, p.start, p.end])).toEqual([
      ['Q4 2018-19', '2019-01-01', '2019-03-31'],
      ['Q1 2019-20', '2019-04-01', '2019-06-30'],
      ['Q2 2019-20', '2019-07-01', '2019-09-30'],
      ['Q3 2019-20', '2019-10-01', '2019-12-31'],
    ]);
    expect(planPeriods(plan, 'monthly')).toHaveLength(12);
    expect(planPeriods(plan, 'none')).toEqual([]);
    expect(periodContaining(plan, 'quarterly', '2020-01-05')).toBeUndefined();
  });

  it('asks the check-in some days before the end, never before the start', () => {
    const q2 = quarterOf('2018-08-01');
    expect(checkInDay(q2, 14)).toBe('2018-09-16');
    expect(checkInDay(monthOf('2018-02-01'), 40)).toBe('2018-02-01');
  });

  it('finds a quarter by its label or its last day', () => {
    const plan = { periodStart: '2018-04-01', periodEnd: '2019-03-31' };
    expect(findQuarter(plan, 'q2 2018-19')?.end).toBe('2018-09-30');
    expect(findQuarter(plan, '2018-12-31')?.label).toBe('Q3 2018-19');
    expect(findQuarter(plan, 'Q1 2020-21')).toBeUndefined();
  });
});
