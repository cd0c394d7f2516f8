/**
 * Calendar days, weekdays and the reminder offsets: the one place dates are reckoned. Every calendar
 * day is a London day (Europe/London, the plan's time zone); instants are ISO 8601 strings or Dates.
 * Pure: no I/O.
 */
import { formatInTimeZone } from 'date-fns-tz';
import type { IsoDate } from './model';

export const LONDON = 'Europe/London';

/** Weekdays as settings name them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<WeekdayName, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** Days before a milestone on which leads are reminded (0 = on the day), largest first. */
export const DEFAULT_OFFSETS: readonly number[] = [28, 14, 7, 0];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (not 2019-02-31). */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
export function dayNumber(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

let londonDay: Intl.DateTimeFormat | undefined;

/**
 * The calendar day in London at an instant. One Intl formatter, made on first use, answers every
 * call: the tab asks this for each item with an update while it draws its first rows, where
 * formatInTimeZone parses its pattern on every call, and date-fns-tz, once in the tab's bundle, makes
 * an Intl formatter for New York as the module loads (30-90 ms in a fresh browser tab, loading time
 * zone data the first screen otherwise does not need).
 */
export function londonDate(at: Date | string): IsoDate {
  londonDay ??= new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, year: 'numeric', month: '2-digit', day: '2-digit' });
  let year = '';
  let month = '';
  let day = '';
  for (const part of londonDay.formatToParts(typeof at === 'string' ? new Date(at) : at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/** The hour (0–23) in London at an instant. */
export function londonHour(at: Date | string): number {
  return Number(formatInTimeZone(typeof at === 'string' ? new Date(at) : at, LONDON, 'H'));
}

export function weekdayOf(date: IsoDate): WeekdayName {
  // 1970-01-01 was a Thursday (index 3 with Monday first).
  return WEEKDAYS[(((dayNumber(date) + 3) % 7) + 7) % 7] as WeekdayName;
}

/** One formatter for every long date (making one per call is slow when a card lists many items), made on first use. */
let longDate: Intl.DateTimeFormat | undefined;

/** "Sunday 30 September 2018". */
export function formatLongDate(date: IsoDate): string {
  longDate ??= new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return longDate.format(new Date(dayNumber(date) * 86_400_000)).replace(',', '');
}

/** "Monday 20 August 2018 at 09:05" in London time. */
export function formatInstant(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return `${formatLongDate(londonDate(d))} at ${formatInTimeZone(d, LONDON, 'HH:mm')}`;
}

/** How many days the reminder window reaches back before a milestone: the largest offset. */
export function reminderWindow(offsets: readonly number[]): number {
  return Math.max(0, ...offsets);
}
