/** Small pieces of English the cards, the digest and the tab share, so that each is right once. Pure. */
import type { Output } from './model';

/** "1 day", "3 days", "0 days". */
export function dayCount(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'day' : 'days'}`;
}

/** "1 day ago", "3 days ago", "today". */
export function daysAgo(n: number): string {
  return n === 0 ? 'today' : `${dayCount(n)} ago`;
}

/** "in 1 day", "in 3 days", "today". */
export function inDays(n: number): string {
  return n === 0 ? 'today' : `in ${dayCount(n)}`;
}

/** "1 item", "3 items". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * Text shortened to at most `max` characters at a word boundary, with an ellipsis: never cut mid-word
 * ("…community organisa"). A single word longer than `max` is cut.
 */
export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const room = t.slice(0, Math.max(1, max - 1));
  const space = room.lastIndexOf(' ');
  const cut = space >= max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** One formatter for every figure: `toLocaleString` builds a new one per call (a prompt run formats thousands). */
const FIGURE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A figure with its output's unit: "60%", "12 sessions", "500 reached", "7". */

export function figureText(value: number, output: Pick<Output, 'unit'> | undefined): string {
  const n = FIGURE.format(value);
  if (!output?.unit) return n;
  return output.unit === '%' ? `${n}%` : `${n} ${output.unit}`;
}

/** An output's target with its unit: "95%", "at least 500 reached", "25 sessions". */
export function targetWords(output: Pick<Output, 'target' | 'unit' | 'atLeast'>): string {
  if (typeof output.target !== 'number') return '';
  return `${output.atLeast ? 'at least ' : ''}${figureText(output.target, output)}`;
}
