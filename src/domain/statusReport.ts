/**
 * The rules of a status report, the same whichever way it comes (a Teams card, the tab, an e-mailed
 * link, the command line). Pure: each surface passes in what the person gave, as typed or as text;
 * the result is a clean report or every problem found, by field, in words the person can act on, so
 * that the surface can say what to fix and keep what was typed.
 *
 * - The status is Red, Amber, Green or Complete.
 * - Red and Amber need a note saying what is wrong and what is being done; a note is at most
 *   2,000 characters, and holds only whole characters: half of an emoji or another character
 *   outside the basic range (a lone UTF-16 surrogate, which a damaged paste or a hand-made request
 *   can carry) is refused, rather than stored as "�" in its place.
 * - Figures go only against outputs with a numeric target: 0 or more, at most 10,000,000.
 * - A revised date goes with Red only: a real date, not in the past. It moves the milestone the report
 *   is about (see milestones.ts).
 * - A corrective action (what is being done to bring the item back on track, for the board's exception
 *   report) goes with Red or Amber only; at most 2,000 characters.
 */
import { isIsoDate } from './calendar';
import type { IsoDate, Output, ReportableRag } from './model';
import { REPORTABLE_RAG } from './model';

export const NOTE_MAX = 2000;
/** Largest figure accepted against an output (guards against typos such as 1e12). */
export const FIGURE_MAX = 10_000_000;

/** Field names of a report, as the card's inputs and the API's problems name them. */
export const REPORT_FIELD = {
  rag: 'rag',
  note: 'note',
  revisedDate: 'revisedDate',
  correctiveAction: 'correctiveAction',
  figure: (outputIndex: number) => `figure_${outputIndex}`,
} as const;

/** What a person gave: typed values (the tab) or the text of card inputs; anything may be missing or wrong. */
export interface ReportInput {
  rag?: unknown;
  note?: unknown;
  /** Figures by output index ("0", "1", …): numbers, or text as typed ("1,200"). */
  figures?: Record<string, unknown>;
  revisedDate?: unknown;
  correctiveAction?: unknown;
}

export interface Report {
  rag: ReportableRag;
  note?: string;
  /** Figures by output index (only outputs with a numeric target take figures). */
  figures?: Record<number, number>;
  revisedDate?: IsoDate;
  correctiveAction?: string;
}

export interface ReportProblem {
  field: string;
  message: string;
}

export type ReportResult = { ok: true; report: Report } | { ok: false; problems: ReportProblem[] };

const RAG_NAMES: Record<ReportableRag, string> = { red: 'Red', amber: 'Amber', green: 'Green', complete: 'Complete' };

/** What the person typed, quoted back at most `max` characters long. */
function echo(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

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

function outputName(outputs: readonly Output[], i: number): string {
  return outputs[i] ? `"${echo(outputs[i].text, 60)}"` : `output ${i + 1}`;
}

function checkRag(value: unknown, problems: ReportProblem[]): ReportableRag | undefined {
  const ragText = text(value).toLowerCase();
  const rag = (REPORTABLE_RAG as readonly string[]).includes(ragText) ? (ragText as ReportableRag) : undefined;
  if (!rag) {
    problems.push({
      field: REPORT_FIELD.rag,
      message: ragText
        ? `"${echo(ragText)}" is not a status: choose Red, Amber, Green or Complete.`
        : 'Choose a status: Red, Amber, Green or Complete.',
    });
  }
  return rag;
}

/** Index of the first UTF-16 surrogate without its other half, or undefined when the text is whole. */
export function loneSurrogateAt(value: string): number | undefined {
  const m = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(value);
  return m ? m.index : undefined;
}

function checkNote(value: unknown, rag: ReportableRag | undefined, problems: ReportProblem[]): string {
  // Anything but text (a hand-made card) counts as no note.
  const note = (typeof value === 'string' ? value : '').replace(/\r\n?/g, '\n').trim();
  if ((rag === 'red' || rag === 'amber') && note.length === 0) {
    problems.push({
      field: REPORT_FIELD.note,
      message: `A note is required for ${RAG_NAMES[rag]}: say what is wrong and what is being done.`,
    });
  }
  const broken = loneSurrogateAt(note);
  if (broken !== undefined) {
    problems.push({
      field: REPORT_FIELD.note,
      message: `The note has a broken character at position ${(broken + 1).toLocaleString('en-GB')} (half of an emoji or symbol, as a damaged copy and paste leaves): delete it or type it again.`,
    });
  }
  if (note.length > NOTE_MAX) {
    problems.push({
      field: REPORT_FIELD.note,
      message: `The note is ${note.length.toLocaleString('en-GB')} characters; the limit is ${NOTE_MAX.toLocaleString('en-GB')}.`,
    });
  }
  return note;
}

function checkFigures(values: Record<string, unknown>, outputs: readonly Output[], problems: ReportProblem[]): Record<number, number> {
  const figures: Record<number, number> = {};
  const takes = new Set(figureOutputs(outputs));
  for (const [key, value] of Object.entries(values)) {
    const i = /^\d{1,3}$/.test(key) ? Number(key) : NaN;
    const field = Number.isNaN(i) ? `figure_${key.slice(0, 20)}` : REPORT_FIELD.figure(i);
    const raw = text(value).replace(/,/g, '');
    if (raw === '') continue;
    if (Number.isNaN(i) || !outputs[i]) {
      problems.push({
        field,
        message: `The item has no output ${Number.isNaN(i) ? `"${echo(key, 20)}"` : i} to report a figure against.`,
      });
      continue;
    }
    if (!takes.has(i)) {
      problems.push({ field, message: `${outputName(outputs, i)} has no numeric target, so it takes no figure.` });
      continue;
    }
    if (/^-\d+(\.\d+)?$/.test(raw)) {
      problems.push({ field, message: `A figure cannot be negative (${echo(raw)}): give 0 or more for ${outputName(outputs, i)}.` });
      continue;
    }
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      problems.push({
        field,
        message: `"${echo(text(value))}" is not a number: give a figure of 0 or more for ${outputName(outputs, i)}.`,
      });
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n > FIGURE_MAX) {
      problems.push({
        field,
        message: `${echo(raw)} is too large for ${outputName(outputs, i)}: a figure is at most ${FIGURE_MAX.toLocaleString('en-GB')} (check for a typo).`,
      });
      continue;
    }
    figures[i] = n;
  }
  return figures;
}

function checkRevisedDate(value: unknown, rag: ReportableRag | undefined, today: IsoDate, problems: ReportProblem[]): IsoDate | undefined {
  const revised = text(value);
  if (revised === '') return undefined;
  if (!isIsoDate(revised)) {
    problems.push({
      field: REPORT_FIELD.revisedDate,
      message: `"${echo(revised)}" is not a date: use the date picker (YYYY-MM-DD).`,
    });
    return undefined;
  }
  if (rag && rag !== 'red') {
    problems.push({
      field: REPORT_FIELD.revisedDate,
      message: `A revised date goes with Red only: clear the date, or choose Red if the item will be late (you chose ${RAG_NAMES[rag]}).`,
    });
    return undefined;
  }
  if (revised < today) {
    problems.push({
      field: REPORT_FIELD.revisedDate,
      message: `The revised date ${revised} is in the past: give the date the item will now be delivered.`,
    });
    return undefined;
  }
  return revised;
}

function checkCorrectiveAction(value: unknown, rag: ReportableRag | undefined, problems: ReportProblem[]): string | undefined {
  const action = (typeof value === 'string' ? value : '').replace(/\r\n?/g, '\n').trim();
  if (action === '') return undefined;
  if (rag && rag !== 'red' && rag !== 'amber') {
    problems.push({
      field: REPORT_FIELD.correctiveAction,
      message: `A corrective action goes with Red or Amber only: clear it, or choose the status it corrects (you chose ${RAG_NAMES[rag]}).`,
    });
    return undefined;
  }
  if (action.length > NOTE_MAX) {
    problems.push({
      field: REPORT_FIELD.correctiveAction,
      message: `The corrective action is ${action.length.toLocaleString('en-GB')} characters; the limit is ${NOTE_MAX.toLocaleString('en-GB')}.`,
    });
    return undefined;
  }
  return action;
}

/** Checks what a person gave against the item's outputs; `today` (London) bounds the revised date. */
export function validateReport(input: ReportInput, outputs: readonly Output[], today: IsoDate): ReportResult {
  const problems: ReportProblem[] = [];
  const rag = checkRag(input.rag, problems);
  const note = checkNote(input.note, rag, problems);
  const figures = checkFigures(input.figures ?? {}, outputs, problems);
  const revisedDate = checkRevisedDate(input.revisedDate, rag, today, problems);
  const correctiveAction = checkCorrectiveAction(input.correctiveAction, rag, problems);
  if (problems.length > 0 || !rag) return { ok: false, problems };
  const report: Report = { rag };
  if (note) report.note = note;
  if (Object.keys(figures).length > 0) report.figures = figures;
  if (revisedDate) report.revisedDate = revisedDate;
  if (correctiveAction) report.correctiveAction = correctiveAction;
  return { ok: true, report };
}

/** A card's input values (rag, note, revisedDate, correctiveAction, figure_<i>) as a report input. */
export function reportInputFromCard(values: Record<string, unknown>): ReportInput {
  const figures: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(values)) {
    const m = /^figure_(\d{1,3})$/.exec(k);
    if (m) figures[m[1]!] = v;
  }
  return {
    rag: values[REPORT_FIELD.rag],
    note: values[REPORT_FIELD.note],
    figures,
    revisedDate: values[REPORT_FIELD.revisedDate],
    correctiveAction: values[REPORT_FIELD.correctiveAction],
  };
}
