import { parseTimescale } from '../../src/domain/timescale';

describe('parseTimescale', () => {
  it('reads a month as due on its last day', () => {
    expect(parseTimescale('March 2019')).toEqual({ milestones: ['2019-03-31'] });
    expect(parseTimescale('September 2018')).toEqual({ milestones: ['2018-09-30'] });
    expect(parseTimescale('February 2020')).toEqual({ milestones: ['2020-02-29'] });
    expect(parseTimescale('Feb 2019')).toEqual({ milestones: ['2019-02-28'] });
  });

  it('reads a range as a start and a due date', () => {
    expect(parseTimescale('July 2018 \u2013 March 2019')).toEqual({ start: '2018-07-01', milestones: ['2019-03-31'] });
    expect(parseTimescale('July 2018 - March 2019')).toEqual({ start: '2018-07-01', milestones: ['2019-03-31'] });
    expect(parseTimescale('April 2018 to June 2018')).toEqual({ start: '2018-04-01', milestones: ['2018-06-30'] });
    // A bare month before the separator takes the year of the end; across a new year it is the year before.
    expect(parseTimescale('July \u2013 September 2018')).toEqual({ start: '2018-07-01', milestones: ['2018-09-30'] });
    expect(parseTimescale('November \u2013 February 2019')).toEqual({ start: '2018-11-01', milestones: ['2019-02-28'] });
  });

  it('reads two dates side by side as two milestones', () => {
    expect(parseTimescale('September 2018 March 2019')).toEqual({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(parseTimescale('September 2018 and March 2019')).toEqual({ milestones: ['2018-09-30', '2019-03-31'] });
    expect(parseTimescale('March 2019, September 2018')).toEqual({ milestones: ['2018-09-30', '2019-03-31'] });
  });

  it('reads exact days in words, ISO and en-GB numeric form', () => {
    expect(parseTimescale('31 March 2019')).toEqual({ milestones: ['2019-03-31'] });
    expect(parseTimescale('1st July 2018')).toEqual({ milestones: ['2018-07-01'] });
    expect(parseTimescale('2019-01-15')).toEqual({ milestones: ['2019-01-15'] });
    expect(parseTimescale('05/03/2019')).toEqual({ milestones: ['2019-03-05'] });
  });

  it('treats "Ongoing" as recurring with no due date', () => {
    expect(parseTimescale('Ongoing')).toEqual({ milestones: [], recurring: true });
    expect(parseTimescale('On-going')).toEqual({ milestones: [], recurring: true });
    expect(parseTimescale('Ongoing to March 2019')).toEqual({ milestones: ['2019-03-31'], recurring: true });
  });

  it('flags text that holds no date', () => {
    expect(parseTimescale('TBC')).toEqual({ milestones: [], unknown: true });
    expect(parseTimescale('')).toEqual({ milestones: [], unknown: true });
    expect(parseTimescale('31 February 2019')).toEqual({ milestones: [], invalid: ['31 February 2019'] });
  });
});

describe('parseTimescale in a financial year (UK public-sector forms)', () => {
  const fy = { financialYear: 2024 };
  it.each([
    ['Q3 2024/25', { milestones: ['2024-12-31'] }],
    ['Q4 2024/25', { milestones: ['2025-03-31'] }],
    ['Quarter 3', { milestones: ['2024-12-31'] }],
    ['End of Q2', { milestones: ['2024-09-30'] }],
    ['Q1\u2013Q2', { start: '2024-04-01', milestones: ['2024-09-30'] }],
    ['31/03/2025', { milestones: ['2025-03-31'] }],
    ['31.03.25', { milestones: ['2025-03-31'] }],
    ['by 30 November 2024', { milestones: ['2024-11-30'] }],
    ['w/c 3 June 2024', { start: '2024-06-03', milestones: ['2024-06-07'] }],
    ['Sept 2024', { milestones: ['2024-09-30'] }],
    ['2024/25', { milestones: ['2025-03-31'] }],
    ['by end of June', { milestones: ['2024-06-30'] }],
    ['Quarterly', { milestones: [], recurring: true, cadence: 'quarterly' }],
    ['Monthly', { milestones: [], recurring: true, cadence: 'monthly' }],
    ['Annually', { milestones: [], recurring: true, cadence: 'annually' }],
    ['June 2024 and December 2024', { milestones: ['2024-06-30', '2024-12-31'] }],
  ])('%s', (text, expected) => {
    expect(parseTimescale(text, fy)).toEqual(expected);
  });

  it('names impossible dates and years it cannot place', () => {
    expect(parseTimescale('29 February 2019')).toEqual({ milestones: [], invalid: ['29 February 2019'] });
    expect(parseTimescale('2019-02-31')).toEqual({ milestones: [], invalid: ['2019-02-31'] });
    expect(parseTimescale('31/04/2025')).toEqual({ milestones: [], invalid: ['31/04/2025'] });
    expect(parseTimescale('Quarter 3')).toEqual({ milestones: [], unresolved: ['Quarter 3'] });
    expect(parseTimescale('This may slip')).toEqual({ milestones: [], unknown: true });
  });
});
