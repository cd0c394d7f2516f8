/**
 * Validating a lead's answer to a prompt (the values of the card's inputs). Pure: the bot passes in
 * the raw input values; the result is either a clean answer or every problem found, by field, so the
 * refusal card can say what to fix and keep what was typed.
 */
import type { IsoDate, Output, ReportableRag } from './model';
import { REPORTABLE_RAG } from './model';
import { isIsoDate } from './reminders';

export const NOTE_MAX = 2000;
/** Largest figure accepted against an output (guards against typos such as 1e12). */
export const FIGURE_MAX = 10_000_000;

/** Names of the card inputs. */
export const INPUT = {
  rag: 'rag',
  note: 'note',
  revisedDate: 'revisedDate',
  figure: (outputIndex: number) => `figure_${outputIndex}`,
} as const;

export interface Answer {
  rag: ReportableRag;
  note?: string;
  /** Figures by output index (only outputs with a numeric target take figures). */
  figures?: Record<number, number>;
  revisedDate?: IsoDate;
}

export interface AnswerProblem {
  field: string;
  message: string;
}

export type AnswerResult = { ok: true; answer: Answer } | { ok: false; problems: AnswerProblem[] };

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** Indexes of outputs that take a figure (those with a numeric target). */
export function figureOutputs(outputs: readonly Output[]): number[] {
  return outputs.flatMap((o, i) => (typeof o.target === 'number' ? [i] : []));
}

/**
 * Checks raw input values against the item's outputs. `today` (London calendar day) bounds the
 * revised date: it may not be in the past.
 */
export function validateAnswer(values: Record<string, unknown>, outputs: readonly Output[], today: IsoDate): AnswerResult {
  const problems: AnswerProblem[] = [];
  const ragText = text(values[INPUT.rag]).toLowerCase();
  const rag = (REPORTABLE_RAG as readonly string[]).includes(ragText) ? (ragText as ReportableRag) : undefined;
  if (!rag) {
    problems.push({
      field: INPUT.rag,
      message: ragText
        ? `"${ragText}" is not a status: choose Red, Amber, Green or Complete.`
        : 'Choose a status: Red, Amber, Green or Complete.',
    });
  }

  const rawNote = typeof values[INPUT.note] === 'string' ? (values[INPUT.note] as string) : '';
  const note = rawNote.replace(/\r\n/g, '\n').trim();
  if ((rag === 'red' || rag === 'amber') && note.length === 0) {
    problems.push({
      field: INPUT.note,
      message: `A note is required for ${rag === 'red' ? 'Red' : 'Amber'}: say what is wrong and what is being done.`,
    });
  }
  if (note.length > NOTE_MAX) {
    problems.push({
      field: INPUT.note,
      message: `The note is ${note.length.toLocaleString('en-GB')} characters; the limit is ${NOTE_MAX.toLocaleString('en-GB')}.`,
    });
  }

  const figures: Record<number, number> = {};
  for (const i of figureOutputs(outputs)) {
    const field = INPUT.figure(i);
    const raw = text(values[field]).replace(/,/g, '');
    if (raw === '') continue;
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      problems.push({
        field,
        message: `"${text(values[field])}" is not a number: give a figure of 0 or more for "${outputs[i]?.text ?? `output ${i + 1}`}".`,
      });
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n > FIGURE_MAX) {
      problems.push({ field, message: `${raw} is too large for "${outputs[i]?.text ?? `output ${i + 1}`}".` });
      continue;
    }
    figures[i] = n;
  }

  const revised = text(values[INPUT.revisedDate]);
  let revisedDate: IsoDate | undefined;
  if (revised !== '') {
    if (!isIsoDate(revised)) {
      problems.push({ field: INPUT.revisedDate, message: `"${revised}" is not a date: use the date picker (YYYY-MM-DD).` });
    } else if (rag === 'red') {
      if (revised < today)
        problems.push({
          field: INPUT.revisedDate,
          message: 'The revised date is in the past: give the date the item will now be delivered.',
        });
      else revisedDate = revised;
    }
    // A revised date typed before switching away from Red is not an error: it is simply not recorded.
  }

  if (problems.length > 0 || !rag) return { ok: false, problems };
  const answer: Answer = { rag };
  if (note) answer.note = note;
  if (Object.keys(figures).length > 0) answer.figures = figures;
  if (revisedDate) answer.revisedDate = revisedDate;
  return { ok: true, answer };
}
