/**
 * The card shown when an answer is about an item that is no longer in the plan (a re-import removed
 * it): nothing was recorded, and what the person typed is shown so that it is not lost. Every other
 * refusal is shown on the item itself (cards/itemSection.ts), with the values kept in its inputs.
 */
import { NOTE_MAX } from '../../domain/statusReport';
import { card, heading, plain, text, type Card } from './common';

/** Longest value echoed back other than a note (a figure or a date is a few characters). */
const ECHO_MAX = 100;

export function notFoundCard(values: Record<string, unknown>): Card {
  // Only text the person typed, and no longer than the inputs take, so that a hostile or broken
  // client cannot make the reply larger than the 28 KB Teams shows.
  const typed = Object.entries(values)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '')
    .slice(0, 20)
    .map(([k, v]) => {
      const max = /note|correctiveAction/.test(k) ? NOTE_MAX : ECHO_MAX;
      return text(`${plain(k.slice(0, 40))}: ${plain(v.length > max ? `${v.slice(0, max - 1)}…` : v)}`, { spacing: 'Small' });
    });
  return card([
    heading('Not recorded'),
    text('This item is no longer in the plan, so nothing was recorded. What you typed is below.'),
    ...typed,
  ]);
}
