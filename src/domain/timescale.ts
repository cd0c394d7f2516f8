/**
 * Timescales as plans write them → milestones (due dates).
 *   "March 2019"              → due 2019-03-31
 *   "31 March 2019"           → due 2019-03-31
 *   "July 2018 – March 2019"  → start 2018-07-01, due 2019-03-31
 *   "September 2018 March 2019" / "… and …" → two milestones
 *   "Ongoing"                 → recurring, no due date
 *   "TBC", ""                 → nothing (the importer warns)
 */
import { format, lastDayOfMonth, isValid } from 'date-fns';
import type { IsoDate } from './model';

export interface Timescale {
  milestones: IsoDate[];
  start?: IsoDate;
  recurring?: boolean;
  /** True when the text held no date and no recurring word: the importer warns. */
  unknown?: boolean;
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

/** One date expression and where it stood in the text. */
interface DateToken {
  index: number;
  end: number;
  /** First day the expression can mean (start of a range). */
  first: IsoDate;
  /** Last day it can mean (a due date). */
  last: IsoDate;
}

const RECURRING = /\b(on-?going|continuous(?:ly)?|throughout|rolling|monthly|quarterly|annually|yearly|termly|weekly)\b/i;
const RANGE_SEPARATOR = /^\s*(?:[-\u2010-\u2015]|to|until|till|through|thru)\s*$/i;

function iso(year: number, month: number, day: number): IsoDate | undefined {
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

/** Finds the date expressions in a timescale, in order. */
function tokenize(text: string): DateToken[] {
  const tokens: DateToken[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (a: number, b: number) => taken.some(([s, e]) => a < e && b > s);
  const add = (index: number, end: number, first: IsoDate | undefined, last: IsoDate | undefined) => {
    if (!first || !last || overlaps(index, end)) return;
    taken.push([index, end]);
    tokens.push({ index, end, first, last });
  };
  // ISO dates: 2019-03-31
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    const d = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    add(m.index, m.index + m[0].length, d, d);
  }
  // en-GB numeric dates: 31/03/2019
  for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})\b/g)) {
    const d = iso(expandYear(m[3]!), Number(m[2]), Number(m[1]));
    add(m.index, m.index + m[0].length, d, d);
  }
  // "31 March 2019", "31st Mar 2019"
  const dayMonthYear = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b`, 'gi');
  for (const m of text.matchAll(dayMonthYear)) {
    const d = iso(Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]));
    add(m.index, m.index + m[0].length, d, d);
  }
  // "March 2019"
  const monthYear = new RegExp(`\\b${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b`, 'gi');
  for (const m of text.matchAll(monthYear)) {
    const month = MONTHS[m[1]!.toLowerCase()]!;
    const year = Number(m[2]);
    add(m.index, m.index + m[0].length, iso(year, month, 1), monthEnd(year, month));
  }
  // A bare month before a range separator takes the year of what follows: "July – September 2018".
  const bareMonth = new RegExp(`\\b${MONTH_NAME}\\b`, 'gi');
  for (const m of text.matchAll(bareMonth)) {
    const index = m.index;
    const end = index + m[0].length;
    if (overlaps(index, end)) continue;
    const next = tokens.filter((t) => t.index >= end).sort((a, b) => a.index - b.index)[0];
    if (!next || !RANGE_SEPARATOR.test(text.slice(end, next.index))) continue;
    const month = MONTHS[m[1]!.toLowerCase()]!;
    let year = Number(next.first.slice(0, 4));
    if (month > Number(next.first.slice(5, 7))) year -= 1;
    add(index, end, iso(year, month, 1), monthEnd(year, month));
  }
  return tokens.sort((a, b) => a.index - b.index);
}

export function parseTimescale(raw: string): Timescale {
  const text = raw.replace(/\s+/g, ' ').trim();
  const tokens = tokenize(text);
  const recurring = RECURRING.test(text);
  if (tokens.length === 0) {
    return recurring ? { milestones: [], recurring: true } : { milestones: [], unknown: true };
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
    milestones.push(token.last);
  }
  const unique = [...new Set(milestones)].sort();
  const result: Timescale = { milestones: unique };
  if (start !== undefined) result.start = start;
  if (recurring) result.recurring = true;
  return result;
}
