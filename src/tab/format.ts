/** Dates for people: en-GB, Europe/London. */
import { isIsoDate } from '../domain/calendar';

/**
 * en-GB short month names as ICU gives them (CLDR: "Sept"). A calendar date needs no time zone, so it
 * is written without an Intl formatter: the first one a fresh browser tab makes costs about 50 ms,
 * and the plan's first rows show only calendar dates. test/tab/components.test.tsx pins this table
 * to Intl's answer for every month.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'] as const;

let dateFmt: Intl.DateTimeFormat | undefined;
let dateTimeFmt: Intl.DateTimeFormat | undefined;

/** "2018-09-30" → "30 Sept 2018" (a calendar date: no time zone shift). */
export function formatDate(date: string | undefined): string {
  if (!date) return '';
  // A real day of a real month (not 31 February, which Intl refuses).
  if (isIsoDate(date)) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return `${day} ${MONTHS[month - 1]} ${year}`;
  }
  // Anything else (not a plain calendar date) as Intl writes it.
  dateFmt ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
  return dateFmt.format(new Date(`${date}T12:00:00Z`));
}

/** An instant → "5 Sept 2018, 11:00" in London time. */
export function formatInstant(instant: string | undefined): string {
  if (!instant) return '';
  dateTimeFmt ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return dateTimeFmt.format(new Date(instant));
}

export { WEEKDAY_LABELS } from '../domain/calendar';
