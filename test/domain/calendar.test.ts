import { formatInTimeZone } from 'date-fns-tz';
import {
  addDays,
  daysBetween,
  formatInstant,
  formatLongDate,
  isIsoDate,
  LONDON,
  londonDate,
  reminderWindow,
  weekdayOf,
} from '../../src/domain/calendar';

describe('calendar', () => {
  it('formats dates for people in en-GB', () => {
    expect(formatLongDate('2018-09-30')).toBe('Sunday 30 September 2018');
    expect(formatInstant('2018-08-20T08:05:00Z')).toBe('Monday 20 August 2018 at 09:05');
  });

  it('names weekdays, counts days and adds them across month and year ends', () => {
    expect(['2018-08-20', '2018-08-21', '2018-08-25', '2018-08-26', '1970-01-01'].map(weekdayOf)).toEqual([
      'mon',
      'tue',
      'sat',
      'sun',
      'thu',
    ]);
    expect(daysBetween('2018-08-20', '2018-09-17')).toBe(28);
    expect(addDays('2018-12-31', 1)).toBe('2019-01-01');
    expect(addDays('2019-03-01', -1)).toBe('2019-02-28');
  });

  it('takes the London day, not the UTC day, around midnight in summer time', () => {
    expect(londonDate('2018-08-19T23:30:00Z')).toBe('2018-08-20');
    expect(londonDate('2018-06-30T23:30:00Z')).toBe('2018-07-01');
    expect(londonDate('2018-12-19T23:30:00Z')).toBe('2018-12-19');
  });

  it('gives the London day date-fns-tz gives, at every half hour of a year with both clock changes', () => {
    const differ: string[] = [];
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2020, 0, 1); t += 30 * 60_000) {
      const at = new Date(t);
      if (londonDate(at) !== formatInTimeZone(at, LONDON, 'yyyy-MM-dd')) differ.push(at.toISOString());
    }
    expect(differ).toEqual([]);
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2019-02-28')).toBe(true);
    expect(isIsoDate('2019-02-29')).toBe(false);
    expect(isIsoDate('2019-02-31')).toBe(false);
    expect(isIsoDate('31/03/2019')).toBe(false);
  });

  it('reaches the reminder window back to the largest offset', () => {
    expect(reminderWindow([28, 14, 7, 0])).toBe(28);
    expect(reminderWindow([0])).toBe(0);
  });
});
