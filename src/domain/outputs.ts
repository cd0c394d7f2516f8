/**
 * Output lines → numeric targets where the text states one.
 *   "25 x 2 hour training sessions"                 → 25 sessions
 *   "95% of Youth Services staff are WRAP trained"  → 95 %
 *   "500+ reached"                                  → at least 500 reached
 *   "Roundtable event … with 50 attendees"          → 50 attendees
 * Durations ("2 hour workshops", "within 3 months"), ranges ("1-4 weeks", "2-3hr"), rates
 * ("2 per term") and years are not targets.
 */
import type { Output } from './model';

const DURATION = /^\s*(?:hours?|hrs?|minutes?|mins?|days?|weeks?|wks?|months?|years?|yrs?|terms?)\b/i;
const STOP_WORDS = new Set([
  'delivered',
  'in',
  'with',
  'of',
  'for',
  'to',
  'per',
  'are',
  'is',
  'at',
  'on',
  'by',
  'from',
  'and',
  'or',
  'within',
  'across',
  'who',
  'which',
  'that',
  'each',
  'a',
  'an',
  'the',
]);

/** Removes list bullets and surrounding white space. */
export function cleanOutputText(text: string): string {
  return text
    .replace(/^[\s\u2022\u25cf\u25aa\u2023\u2043\u00b7*\u2013-]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function unitAfter(rest: string): string | undefined {
  // Skip "x" and an inner duration ("25 x 2 hour training sessions").
  let text = rest.replace(/^\s*[x\u00d7]\s+/i, '');
  text = text.replace(/^\s*\d+(?:\.\d+)?\s*-?\s*(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?)\b/i, '');
  const words: string[] = [];
  for (const raw of text.trim().split(/\s+/)) {
    const word = raw.replace(/^[("']+/, '');
    const bare = word.replace(/[.,:;)!?"']+$/, '');
    if (bare === '' || STOP_WORDS.has(bare.toLowerCase())) break;
    words.push(bare);
    if (bare !== word) break; // punctuation ends the noun phrase
  }
  const last = words[words.length - 1];
  return last ? last.toLowerCase() : undefined;
}

export function parseOutput(raw: string): Output {
  const text = cleanOutputText(raw);
  const out: Output = { text };
  const percent = /(\d+(?:\.\d+)?)\s*%/.exec(text);
  if (percent) {
    out.target = Number(percent[1]);
    out.unit = '%';
    return out;
  }
  for (const m of text.matchAll(/(^|[^\w.-])(\d{1,3}(?:,\d{3})+|\d+)(\+)?(?![\w.])/g)) {
    const lead = m[1] ?? '';
    const digits = m[2]!;
    const index = m.index + lead.length;
    const after = text.slice(index + digits.length + (m[3] ? 1 : 0));
    const before = text.slice(0, index);
    const value = Number(digits.replace(/,/g, ''));
    if (/\d\s*[-\u2013]\s*$/.test(before) || /^\s*[-\u2013]\s*\d/.test(after)) continue; // a range
    if (DURATION.test(after) || /^\s*-?\s*(?:hr|hour|min)/i.test(after)) continue; // a duration
    if (/^\s*per\b/i.test(after) || /\bevery\s*$/i.test(before)) continue; // a rate
    if (digits.length === 4 && value >= 1900 && value <= 2100) continue; // a year
    out.target = value;
    if (m[3]) out.atLeast = true;
    const unit = unitAfter(after);
    if (unit) out.unit = unit;
    return out;
  }
  return out;
}
