/**
 * Timescales as UK public-sector plans write them → milestones (due dates). Forms that name no year
 * ("Quarter 3", "End of Q2", "June") are read in the plan's financial year (1 April – 31 March)
 * when the caller gives it.
 *   "March 2019", "Sept 2024"      → due on the last day of the month
 *   "31 March 2019", "by 30 November 2024", "31/03/2025", "31.03.25", "2019-03-31" → due that day
 *   "July 2018 – March 2019"      → start 2018-07-01, due 2019-03-31
 *   "Q3 2024/25", "Quarter 3", "End of Q2" → due at the end of that quarter (Q1 = April–June)
 *   "Q1–Q2"                        → start at the beginning of Q1, due at the end of Q2
 *   "2024/25"                      → due at the end of the financial year
 *   "w/c 3 June 2024"              → start 2024-06-03, due the Friday of that week (2024-06-07)
 *   "September 2018 March 2019" / "… and …" → two milestones
 *   "Ongoing"                      → recurring, no due date; "Quarterly", "Monthly", "Annually" with that cadence
 *   "TBC", ""                      → nothing (the importer warns)
 *   "31 February 2019"             → no milestone; `invalid` names the text (the importer warns or refuses)
 */
import { addDays, format, getDay, isValid, lastDayOfMonth } from 'date-fns';
import type { Cadence, IsoDate } from './model';

export interface Timescale {
  milestones: IsoDate[];
  start?: IsoDate;
  recurring?: boolean;
  cadence?: Cadence;
  /** True when the text held no date and no recurring word: the importer warns. */
  unknown?: boolean;
  /** Dates written in a date's shape that do not exist ("31 February 2019", "2019-02-31"). */
  invalid?: string[];
  /** Quarters or months with no year where no financial year was given to read them in. */
  unresolved?: string[];
}

export interface TimescaleContext {
  /** Calendar year in which the plan's (first) financial year starts: 2024 for 2024/25. */
  financialYear?: number;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const QUARTER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** One date expression and where it stood in the text. */
interface DateToken {
  index: number;
  end: number;
  /** First day the expression can mean (start of a range). */
  first: IsoDate;
  /** Last day it can mean (a due date). */
  last: IsoDate;
  /** "w/c 3 June": the week is a start and a due date of its own. */
  week?: boolean;
}

const RECURRING =
  /\b(on-?going|continuous(?:ly)?|throughout|rolling|monthly|quarterly|annually|annual|yearly|termly|weekly|bi-?annually)\b/i;
const CADENCE: Array<[RegExp, Cadence]> = [
  [/\bmonthly\b/i, 'monthly'],
  [/\bquarterly\b/i, 'quarterly'],
  [/\b(annually|annual|yearly)\b/i, 'annually'],
];
const RANGE_SEPARATOR = /^\s*(?:[-\u2010-\u2015]|to|until|till|through|thru)\s*$/i;
const WEEK_COMMENCING = /\b(?:w\/c|w\.c\.|w\/b|week (?:commencing|beginning))\s*$/i;

function iso(year: number, month: number, day: number): IsoDate | undefined {
  if (year < 1000 || year > 9999) return undefined;
  const d = new Date(year, month - 1, day);
  if (!isValid(d) || d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return undefined;
  return format(d, 'yyyy-MM-dd');
}

function monthEnd(year: number, month: number): IsoDate {
  return format(lastDayOfMonth(new Date(year, month - 1, 1)), 'yyyy-MM-dd');
}

function expandYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

/** Financial-year quarter q of the year starting in April of `fy` → its first and last days. */
function quarter(fy: number, q: number): { first: IsoDate; last: IsoDate } {
  const startMonth = 4 + (q - 1) * 3; // 4, 7, 10, 13
  const year = fy + Math.floor((startMonth - 1) / 12);
  const month = ((startMonth - 1) % 12) + 1;
  return { first: iso(year, month, 1)!, last: monthEnd(year, month + 2) };
}

/** "2024/25", "2024-25", "2024/2025", "24/25" → 2024 when the second year follows the first. */
function financialYearOf(text: string): number | undefined {
  const m = /^(\d{2}|\d{4})\s*[/\u2013-]\s*(\d{2}|\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const start = expandYear(m[1]!);
  const end = m[2]!.length === 2 ? Math.floor(start / 100) * 100 + Number(m[2]) : Number(m[2]);
  return end === start + 1 || (end === start - 99 && m[2]!.length === 2) ? start : undefined;
}

/** Finds the date expressions in a timescale, in order. */
function tokenize(text: string, context: TimescaleContext, invalid: string[], unresolved: string[]): DateToken[] {
  const tokens: DateToken[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (a: number, b: number) => taken.some(([s, e]) => a < e && b > s);
  const add = (index: number, end: number, first: IsoDate | undefined, last: IsoDate | undefined, raw: string) => {
    if (overlaps(index, end)) return;
    taken.push([index, end]);
    if (!first || !last) {
      invalid.push(raw);
      return;
    }
    const token: DateToken = { index, end, first, last };
    if (first === last && WEEK_COMMENCING.test(text.slice(0, index))) {
      // The Friday of the week it starts (a Monday in practice).
      token.week = true;
      token.last = format(addDays(new Date(`${first}T12:00:00`), (5 - getDay(new Date(`${first}T12:00:00`)) + 7) % 7), 'yyyy-MM-dd');
    }
    tokens.push(token);
  };
  const day = (m: RegExpMatchArray, year: number, month: number, d: number) => {
    const value = iso(year, month, d);
    add(m.index!, m.index! + m[0].length, value, value, m[0]);
  };
  // ISO dates: 2019-03-31
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) day(m, Number(m[1]), Number(m[2]), Number(m[3]));
  // en-GB numeric dates: 31/03/2019, 31/03/19, 31.03.25, 31-03-2025
  for (const m of text.matchAll(/\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b/g)) day(m, expandYear(m[4]!), Number(m[3]), Number(m[1]));
  // "31 March 2019", "31st Mar. 2019", "30th of November 2024"
  const dayMonthYear = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b`, 'gi');
  for (const m of text.matchAll(dayMonthYear)) day(m, Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]));
  // Quarters: "Q3 2024/25", "Quarter 3", "Q1" (the year, when absent, comes from a range's end or the plan)
  const quarterRe = /\b(?:q|quarter\s*)(one|two|three|four|[1-4])\b(?:\s*(?:of\s+)?(?:fy\s*)?(\d{2,4}\s*[/\u2013-]\s*\d{2,4}|\d{4}))?/gi;
  const quarters: Array<{ m: RegExpMatchArray; q: number; fy?: number }> = [];
  for (const m of text.matchAll(quarterRe)) {
    const q = QUARTER_WORDS[m[1]!.toLowerCase()]!;
    const yearText = m[2];
    const fy = yearText ? (financialYearOf(yearText) ?? (/^\d{4}$/.test(yearText) ? Number(yearText) : undefined)) : undefined;
    quarters.push({ m, q, ...(fy !== undefined ? { fy } : {}) });
  }
  quarters.forEach(({ m, q, fy }, i) => {
    let year = fy;
    if (year === undefined) {
      const next = quarters[i + 1];
      if (next?.fy !== undefined && RANGE_SEPARATOR.test(text.slice(m.index! + m[0].length, next.m.index)))
        year = next.q >= q ? next.fy : next.fy - 1;
    }
    year ??= context.financialYear;
    if (year === undefined) {
      unresolved.push(m[0].trim());
      taken.push([m.index!, m.index! + m[0].length]);
      return;
    }
    const { first, last } = quarter(year, q);
    add(m.index!, m.index! + m[0].length, first, last, m[0]);
  });
  // "March 2019", "Sept 2024"
  const monthYear = new RegExp(`\\b${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b`, 'gi');
  for (const m of text.matchAll(monthYear)) {
    const month = MONTHS[m[1]!.toLowerCase()]!;
    const year = Number(m[2]);
    add(m.index, m.index + m[0].length, iso(year, month, 1), monthEnd(year, month), m[0]);
  }
  // A financial year on its own: "2024/25", "FY 2024-25"
  for (const m of text.matchAll(/\b(\d{4}\s*[/\u2013-]\s*(?:\d{4}|\d{2}))\b/g)) {
    const fy = financialYearOf(m[1]!);
    if (fy === undefined) continue;
    add(m.index, m.index + m[0].length, iso(fy, 4, 1), iso(fy + 1, 3, 31), m[0]);
  }
  // A bare month: before a range separator it takes the year of what follows ("July – September 2018");
  // otherwise it is read in the plan's financial year ("by end of June").
  const bareMonth = new RegExp(`\\b${MONTH_NAME}\\b`, 'gi');
  for (const m of text.matchAll(bareMonth)) {
    const index = m.index;
    const end = index + m[0].length;
    if (overlaps(index, end)) continue;
    if (
      m[1]!.toLowerCase() === 'may' &&
      !/^may$/i.test(text.trim()) &&
      !/\b(?:end of|by|in|during|from|until|to)\s+may\b/i.test(text.slice(Math.max(0, index - 10), end))
    )
      continue; // "may" the verb
    const month = MONTHS[m[1]!.toLowerCase()]!;
    const next = tokens.filter((t) => t.index >= end).sort((a, b) => a.index - b.index)[0];
    let year: number | undefined;
    if (next && RANGE_SEPARATOR.test(text.slice(end, next.index))) {
      year = Number(next.first.slice(0, 4));
      if (month > Number(next.first.slice(5, 7))) year -= 1;
    } else if (context.financialYear !== undefined) {
      year = month >= 4 ? context.financialYear : context.financialYear + 1;
    } else {
      unresolved.push(m[0]);
      continue;
    }
    add(index, end, iso(year, month, 1), monthEnd(year, month), m[0]);
  }
  return tokens.sort((a, b) => a.index - b.index);
}

export function parseTimescale(raw: string, context: TimescaleContext = {}): Timescale {
  const text = raw.replace(/\s+/g, ' ').trim();
  const invalid: string[] = [];
  const unresolved: string[] = [];
  const tokens = tokenize(text, context, invalid, unresolved);
  const recurring = RECURRING.test(text);
  const cadence = recurring ? CADENCE.find(([re]) => re.test(text))?.[1] : undefined;
  const extras = (t: Timescale): Timescale => {
    if (invalid.length) t.invalid = invalid;
    if (unresolved.length) t.unresolved = unresolved;
    return t;
  };
  if (tokens.length === 0) {
    if (recurring) return extras({ milestones: [], recurring: true, ...(cadence ? { cadence } : {}) });
    return extras(invalid.length || unresolved.length ? { milestones: [] } : { milestones: [], unknown: true });
  }
  const milestones: IsoDate[] = [];
  let start: IsoDate | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (next && RANGE_SEPARATOR.test(text.slice(token.end, next.index))) {
      // A range: it starts at the first day of the first part and is due at the end of the second.
      if (start === undefined && milestones.length === 0) start = token.first;
      else milestones.push(token.last);
      continue;
    }
    if (token.week && start === undefined && milestones.length === 0) start = token.first;
    milestones.push(token.last);
  }
  const unique = [...new Set(milestones)].sort();
  const result: Timescale = { milestones: unique };
  if (start !== undefined) result.start = start;
  if (recurring) result.recurring = true;
  if (cadence) result.cadence = cadence;
  return extras(result);
}
