/** Dates for people: en-GB, Europe/London. */
const dateFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "2018-09-30" → "30 Sept 2018" (a calendar date: no time zone shift). */
export function formatDate(date: string | undefined): string {
  if (!date) return '';
  return dateFmt.format(new Date(`${date}T12:00:00Z`));
}

/** An instant → "5 Sept 2018, 11:00" in London time. */
export function formatInstant(instant: string | undefined): string {
  if (!instant) return '';
  return dateTimeFmt.format(new Date(instant));
}

export function todayInLondon(): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export { WEEKDAY_LABELS } from '../domain/calendar';
