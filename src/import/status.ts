/**
 * RAG statuses as plans already hold them: Red/Amber/Green or R/A/G, Blue, Complete or Completed
 * (complete), "Not started" (not reported yet). Anything else is left for the importer to warn about.
 */
import { parseRag, type Rag } from '../domain/model';

const NOT_STARTED = /^(not (yet )?started|not due( yet)?|n\/?s|tbc|-|\u2013)$/i;

export function statusOf(text: string): Rag | undefined {
  const t = text
    .replace(/[.\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (NOT_STARTED.test(t)) return 'not-reported';
  const direct = parseRag(t);
  if (direct) return direct;
  // "Green – on track", "RAG: Amber", "(G)": a status word leading or standing alone in brackets.
  const word =
    /^(?:rag\s*(?:status)?\s*[:-]?\s*)?\(?\s*(red|amber|green|blue|complete|completed|r|a|g|b)\s*\)?(?:\s*[:,(].*|\s+[-\u2013]\s+.*)?$/i.exec(
      t,
    );
  if (word) return word[1]!.toLowerCase() === 'b' ? 'complete' : parseRag(word[1]!);
  return undefined;
}
