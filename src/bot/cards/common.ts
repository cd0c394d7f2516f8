/** Shared pieces of the bot's Adaptive Cards (schema 1.5, Universal Actions). */
import type { Output, Rag } from '../../domain/model';
import { RAG_LABELS } from '../../domain/model';
import { formatInstant, formatLongDate } from '../../domain/calendar';
import { targetWords } from '../../domain/words';
import type { StoredItem, StoredPlan } from '../../store/planStore';

export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: '1.5'; body: unknown[] };
export type Element = Record<string, unknown>;

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams' limit on a message with a card. */
export const CARD_MAX_BYTES = 28 * 1024;

export const VERB_RECORD = 'recordStatus';
export const VERB_REFRESH = 'refreshPrompt';
/** Record every item on a daily card that has a status chosen. */
export const VERB_RECORD_ALL = 'recordAll';
/** Teams asks for the current daily card (receipts for answered items). */
export const VERB_REFRESH_CARD = 'refreshCard';

/** What an Action.Execute on a prompt carries back. */
export interface PromptActionData {
  planId: string;
  itemKey: string;
  version: string;
  promptId?: string;
  /** Fingerprint of the item's plan content when the card was made (see planContentHash). */
  content?: string;
  /** Instant of the last report the card showed ('' when none): reports after it are news to the person answering. */
  seen?: string;
  /** Prefix of the item's inputs on a daily card ("i0" → "i0_rag", "i0_note", …); absent on single-item cards. */
  slot?: string;
}

/** Keys of the action data that are not answer values. */
export const ACTION_DATA_KEYS = ['planId', 'itemKey', 'version', 'promptId', 'content', 'seen', 'slot', 'items'];

export function card(body: unknown[], extra: Record<string, unknown> = {}): Card {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra };
}

export function text(value: string, extra: Element = {}): Element {
  return { type: 'TextBlock', text: value, wrap: true, ...extra };
}

export function heading(value: string): Element {
  return text(value, { size: 'Medium', weight: 'Bolder' });
}

export function facts(pairs: Array<[string, string | undefined]>): Element {
  return { type: 'FactSet', facts: pairs.filter((p): p is [string, string] => !!p[1]).map(([title, value]) => ({ title, value })) };
}

/**
 * Adaptive Card text colour of a RAG status. Amber is the default colour: Teams draws "Warning" text
 * yellow, below 3:1 against a light background (WCAG 1.4.3), so amber is shown by its word and, where
 * it stands out, a `warning` container (dark text on a pale yellow background; see ragStyle).
 */
export function ragColor(rag: Rag): string {
  return rag === 'red' ? 'Attention' : rag === 'green' ? 'Good' : rag === 'complete' ? 'Accent' : 'Default';
}

/** Container style of a RAG status: the background carries the colour, the text stays readable. */
export function ragStyle(rag: Rag): string {
  return rag === 'red' ? 'attention' : rag === 'amber' ? 'warning' : rag === 'green' ? 'good' : rag === 'complete' ? 'accent' : 'default';
}

export function ragText(rag: Rag): Element {
  return text(RAG_LABELS[rag], { color: ragColor(rag), weight: 'Bolder', spacing: 'None' });
}

/**
 * Text from the plan or from people, for a TextBlock. Adaptive Cards render a small Markdown subset
 * (emphasis, lists, links) and Teams does not honour backslash escapes, so only what would turn
 * plain text into a link or emphasis is defused, without changing what people read.
 */
export function plain(value: string): string {
  return (
    value
      .replace(/\]\(/g, '] (')
      // A reference definition ("[1]: javascript:…" at the start of a line) and an autolink ("<javascript:…>").
      .replace(/^(\s{0,3}\[[^\]\n]*\]):/gm, '$1\u200b:')
      .replace(/<([a-z][a-z0-9+.-]*:)/gi, '<\u200b$1')
      .replace(/(^|\s)([*_]{1,3})(?=\S)/g, '$1$2\u200b')
  );
}

/** "25 sessions", "95%", "at least 500 reached": a target with its unit. */
export function targetText(o: Output): string {
  return targetWords(o);
}

export function outputLine(o: Output): string {
  return typeof o.target === 'number' ? `${plain(o.text)} (target ${targetText(o)})` : plain(o.text);
}

export function objectiveLines(plan: StoredPlan | undefined, item: Pick<StoredItem, 'objectives'>): string {
  return item.objectives
    .map((n) => {
      const o = plan?.objectives.find((x) => x.number === n);
      return o ? `Objective ${n}: ${o.title}` : `Objective ${n}`;
    })
    .join('\n\n');
}

export function lastUpdateLine(item: Pick<StoredItem, 'lastUpdate'>): string | undefined {
  const u = item.lastUpdate;
  if (!u) return undefined;
  return `${plain(u.by)}, ${formatInstant(u.at)}`;
}

export function dateLong(date: string): string {
  return formatLongDate(date);
}

export function byteSize(c: unknown): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/** Shortens a list for a card: the first `max` entries and a line saying how many more. */
export function capped<T>(list: readonly T[], max: number, render: (x: T) => Element, more: (n: number) => string): Element[] {
  const out = list.slice(0, max).map(render);
  if (list.length > max) out.push(text(more(list.length - max), { isSubtle: true, spacing: 'Small' }));
  return out;
}
