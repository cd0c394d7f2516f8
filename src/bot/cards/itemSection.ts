/**
 * One item on a card: why it is asked, where it stands, and either the inputs to answer it (status,
 * note, corrective action, figures, revised date) with its own Record button, or the receipt of the
 * answer recorded. Inputs are named with the item's slot ("i0_rag"), so that every item on a daily card
 * is answered on its own; a single-item card from before daily cards uses no prefix.
 */
import { RAG_LABELS, REPORTABLE_RAG, type IsoDate, type Rag } from '../../domain/model';
import { figureOutputs, NOTE_MAX, REPORT_FIELD } from '../../domain/statusReport';
import { formatInstant } from '../../domain/calendar';
import { nextMilestone } from '../../domain/milestones';
import { dayCount, figureText } from '../../domain/words';
import type { StoredItem } from '../../store/planStore';
import type { Refusal } from '../../usecases/recordStatus';
import { dateLong, facts, outputLine, plain, ragStyle, targetText, text, VERB_RECORD, type Element, type PromptActionData } from './common';
import { planContentHash } from '../../domain/contentHash';

/** Why the item is on the card (a ledger card item, or a request about to be sent). */
export interface AskInfo {
  /** check-in | milestone | overdue | requested */
  reason: string;
  milestone?: IsoDate;
  daysUntil?: number;
  periodLabel?: string;
  periodEnd?: IsoDate;
  roles?: string[];
  /** lead-away | no-answer | no-lead, when a deputy is asked. */
  deputy?: string;
}

/** A report another lead recorded between the card being sent and this answer. */
export interface EarlierReport {
  by: string;
  to: Rag;
  at: string;
}

export type EntryState =
  | { kind: 'open'; values?: Record<string, unknown> }
  | { kind: 'refused'; refusal: Refusal; values: Record<string, unknown> }
  /**
   * The server failed handling the answer (a full disk, a store that cannot be reached): nothing was
   * recorded, or, when the item has changed since the card was made (`uncertain`), it may have been.
   */
  | { kind: 'not-recorded'; values: Record<string, unknown>; uncertain: boolean }
  | { kind: 'receipt'; earlier?: EarlierReport[]; toAnswerer?: boolean };

export interface CardEntry {
  item: StoredItem;
  slot: string;
  ask: AskInfo;
  state: EntryState;
}

/** Reports closer together than this are said to be "moments before" each other. */
const MOMENTS_MS = 10 * 60_000;

/** The input id of a report field for an item's slot. */
export function fieldId(slot: string, field: string): string {
  return slot ? `${slot}_${field}` : field;
}

/** The values of one slot's inputs, unprefixed (rag, note, figure_0, …). */
export function slotValues(values: Record<string, unknown>, slot: string): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  const prefix = slot ? `${slot}_` : '';
  for (const [k, v] of Object.entries(values)) {
    if (prefix) {
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    } else if (!/^i\d{1,3}_/.test(k)) out[k] = v;
  }
  return out;
}

function periodWord(label: string | undefined): string {
  return label && /^Q\d/.test(label) ? 'quarter' : 'month';
}

/** "Quarterly check-in for Q2 2018-19 (the quarter ends Sunday 30 September 2018)". */
export function checkInLine(ask: Pick<AskInfo, 'periodLabel' | 'periodEnd'>): string {
  const word = periodWord(ask.periodLabel);
  return `${word === 'quarter' ? 'Quarterly' : 'Monthly'} check-in for ${ask.periodLabel ?? 'this period'}${ask.periodEnd ? ` (the ${word} ends ${dateLong(ask.periodEnd)})` : ''}`;
}

/** Why the item is asked, in words. */
export function askLine(ask: AskInfo): string {
  const when = ask.milestone ? dateLong(ask.milestone) : undefined;
  switch (ask.reason) {
    case 'check-in':
      return checkInLine(ask);
    case 'milestone':
      if (ask.daysUntil === 0) return `Milestone due today (${when}): is it complete?`;
      return `Milestone due ${when}${ask.daysUntil !== undefined ? ` (in ${dayCount(ask.daysUntil)})` : ''}`;
    case 'overdue':
      return `Overdue: due ${when}${ask.daysUntil !== undefined ? ` (${dayCount(-ask.daysUntil)} ago)` : ''}, with no report since`;
    default: {
      if (!when) return 'Ongoing: no due date (asked for an update by the co-ordinator)';
      const d = ask.daysUntil;
      const rel = d === undefined ? '' : d < 0 ? ` (${dayCount(-d)} ago)` : d === 0 ? ' (due today)' : ` (in ${dayCount(d)})`;
      return `Asked by the co-ordinator: milestone ${when}${rel}`;
    }
  }
}

function deputyLine(ask: AskInfo): string | undefined {
  if (!ask.deputy) return undefined;
  const roles = plain((ask.roles ?? []).join(' / ') || 'the lead');
  if (ask.deputy === 'lead-away') return `You are asked as deputy for ${roles}: the lead is away.`;
  if (ask.deputy === 'no-lead') return `You are asked as deputy for ${roles}: nobody else is named for it.`;
  return `You are asked as deputy for ${roles}: the lead has not answered for a week.`;
}

function statusNow(item: StoredItem): string {
  const u = item.lastUpdate;
  return u ? `${RAG_LABELS[item.status]} (${plain(u.by)}, ${formatInstant(u.at)})` : RAG_LABELS[item.status];
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function refusalBanner(refusal: Refusal): { title: string; lines: string[] } {
  const keep = 'Your answer is still in the form: check it and select Record status again if it still stands.';
  switch (refusal.kind) {
    case 'invalid':
      return {
        title: 'Not recorded yet: please correct this',
        lines: refusal.problems.map(({ message: p }) => plain(p.length > 300 ? `${p.slice(0, 299)}…` : p)),
      };
    case 'forbidden':
      return {
        title: 'Not recorded: you are not a lead for this item',
        lines: [plain(refusal.message), 'Your answer is kept below so that you can pass it on.'],
      };
    case 'not-found':
      return { title: 'Not recorded: this item is no longer in the plan', lines: [plain(refusal.message)] };
    case 'stale':
      if (refusal.why === 'changed')
        return { title: 'Not recorded: this item was changed in the plan after this card was sent', lines: [keep] };
      if (refusal.why === 'superseded') return { title: 'Not recorded: a newer card asks about this item', lines: [keep] };
      return {
        title: 'Not recorded: someone reported on this item after this card was sent',
        lines: [`The status now is shown above${refusal.by ? ` (reported by ${plain(refusal.by)})` : ''}. ${keep}`],
      };
  }
}

/** What the person is told when their answer could not be handled (the store failed). */
export const NOT_RECORDED = 'Your answer could not be recorded just now';

function failureBanner(uncertain: boolean): { title: string; lines: string[] } {
  if (uncertain)
    return {
      title: 'Your answer may or may not have been recorded',
      lines: [
        'The server failed while handling it, and the item has changed since this card was sent. The status as it stands now is shown above: check it in the plan tab before answering again.',
      ],
    };
  return {
    title: `Not recorded: ${NOT_RECORDED.toLowerCase()}`,
    lines: ['Nothing was lost: your answer is still in the form below. Select Record status again in a few minutes.'],
  };
}

/** Longest value put back in an input other than the note and corrective action (a figure or a date is a few characters). */
const ECHO_MAX = 100;

/**
 * The values to put back in the inputs: no longer than the inputs take (the note's maxLength), so that
 * a hostile or broken client cannot make the card larger than the 28 KB Teams shows.
 */
function echoable(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'string') {
      const max = k === REPORT_FIELD.note || k === REPORT_FIELD.correctiveAction ? NOTE_MAX : ECHO_MAX;
      out[k] = v.length > max ? `${v.slice(0, max - 1)}…` : v;
    }
  }
  return out;
}

function inputs(item: StoredItem, slot: string, typed: Record<string, unknown>): Element[] {
  const id = (f: string) => fieldId(slot, f);
  const out: Element[] = [];
  const values = echoable(typed);
  const rag = str(values[REPORT_FIELD.rag]);
  out.push({
    type: 'Input.ChoiceSet',
    id: id(REPORT_FIELD.rag),
    label: 'Status',
    style: 'expanded',
    // Not isRequired: on a card with several items, a required input would block every other item's button.
    choices: REPORTABLE_RAG.map((r) => ({ title: RAG_LABELS[r], value: r })),
    ...(rag && (REPORTABLE_RAG as readonly string[]).includes(rag) ? { value: rag } : {}),
  });
  if (rag && !(REPORTABLE_RAG as readonly string[]).includes(rag))
    out.push(text(`You typed: ${plain(rag)}`, { color: 'Attention', spacing: 'None', size: 'Small' }));
  const note = str(values[REPORT_FIELD.note]);
  out.push({
    type: 'Input.Text',
    id: id(REPORT_FIELD.note),
    label: 'Note (required for Red and Amber)',
    isMultiline: true,
    maxLength: NOTE_MAX,
    ...(note !== undefined ? { value: note } : {}),
  });
  const action = str(values[REPORT_FIELD.correctiveAction]);
  out.push({
    type: 'Input.Text',
    id: id(REPORT_FIELD.correctiveAction),
    label: 'Corrective action (with Red or Amber)',
    isMultiline: true,
    maxLength: NOTE_MAX,
    ...(action !== undefined ? { value: action } : {}),
  });
  for (const i of figureOutputs(item.outputs)) {
    const o = item.outputs[i]!;
    const v = str(values[REPORT_FIELD.figure(i)]);
    const n = v !== undefined && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
    const reported = item.lastUpdate?.figures?.[i];
    out.push({
      type: 'Input.Number',
      id: id(REPORT_FIELD.figure(i)),
      label: `Output ${i + 1} so far (target ${targetText(o)})`,
      min: 0,
      placeholder: reported !== undefined ? `Last reported: ${figureText(reported, o)}` : 'Number delivered so far',
      ...(n !== undefined ? { value: n } : {}),
    });
    // A value that is not a number cannot go back into Input.Number: show it so it is not lost.
    if (v !== undefined && v.trim() !== '' && n === undefined)
      out.push(text(`You typed: ${plain(v)}`, { color: 'Attention', spacing: 'None', size: 'Small' }));
  }
  const revised = str(values[REPORT_FIELD.revisedDate]);
  const isDate = revised !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(revised);
  out.push({ type: 'Input.Date', id: id(REPORT_FIELD.revisedDate), label: 'Revised date (if Red)', ...(isDate ? { value: revised } : {}) });
  if (revised && !isDate) out.push(text(`You typed: ${plain(revised)}`, { color: 'Attention', spacing: 'None', size: 'Small' }));
  return out;
}

function receipt(item: StoredItem, state: Extract<EntryState, { kind: 'receipt' }>): Element[] {
  const u = item.lastUpdate;
  const items: Element[] = [];
  if (state.earlier && state.earlier.length > 0) {
    // Said plainly, so the person knows their report did not replace the other one.
    for (const e of state.earlier) {
      const close = u && Math.abs(Date.parse(u.at) - Date.parse(e.at)) <= MOMENTS_MS;
      const who = state.toAnswerer ? 'you' : u ? plain(u.by) : 'this report';
      items.push(
        text(`${plain(e.by)} recorded ${RAG_LABELS[e.to]} ${close ? `moments before ${who}` : `before ${who}, ${formatInstant(e.at)}`}.`, {
          weight: 'Bolder',
          spacing: 'Small',
        }),
      );
    }
    items.push(
      text(
        `${state.earlier.length > 1 ? 'All these' : 'Both'} reports are in the history; ${state.toAnswerer ? 'yours' : 'the one below'} is the latest.`,
        { spacing: 'Small' },
      ),
    );
  }
  items.push(text(`Recorded: ${RAG_LABELS[item.status]}`, { weight: 'Bolder' }));
  items.push(
    facts([
      ['By', u ? plain(u.by) : undefined],
      ['When', u ? formatInstant(u.at) : undefined],
      ['Revised date', u?.revisedDate ? dateLong(u.revisedDate) : undefined],
    ]),
  );
  if (u?.note) items.push(text(`Note: ${plain(u.note)}`, { maxLines: 8 }));
  if (u?.correctiveAction) items.push(text(`Corrective action: ${plain(u.correctiveAction)}`, { maxLines: 6 }));
  for (const [i, v] of Object.entries(u?.figures ?? {})) {
    const o = item.outputs[Number(i)];
    items.push(
      text(`Output ${Number(i) + 1}: ${figureText(v, o)}${o ? ` (target ${targetText(o)}): ${plain(o.text)}` : ''}`, { spacing: 'Small' }),
    );
  }
  return [{ type: 'Container', style: ragStyle(item.status), spacing: 'Small', items }];
}

export interface SectionOptions {
  date: IsoDate;
  planId: string;
  promptId?: string;
  /** 1-based number shown before the title on a card with several items. */
  number?: number;
  /** Leave out the last note and the outputs' text (to fit a card that has grown with banners). */
  compact?: boolean;
  /** False for a read-only copy (the person may not answer). */
  actionable?: boolean;
  /** The card's header already says which check-in this is: the item says only "Check-in". */
  checkInInHeader?: boolean;
}

/**
 * The action data of an item's Record button: the item version, a fingerprint of its plan content and
 * the last report the card showed (for the stale check), the card's ledger id, and the item's slot.
 */
export function entryActionData(entry: Pick<CardEntry, 'item' | 'slot'>, promptId: string | undefined): PromptActionData {
  const { item } = entry;
  const data: PromptActionData = { planId: item.planId, itemKey: item.key, version: item.version };
  if (promptId) data.promptId = promptId;
  data.content = planContentHash(item);
  data.seen = item.lastUpdate?.at ?? '';
  if (entry.slot) data.slot = entry.slot;
  return data;
}

/** One item's container on a card. */
export function itemSection(entry: CardEntry, options: SectionOptions): Element {
  const { item, ask, state } = entry;
  const body: Element[] = [
    text(`${options.number !== undefined ? `${options.number}. ` : ''}${plain(item.title)}`, { weight: 'Bolder', size: 'Medium' }),
    text(ask.reason === 'check-in' && options.checkInInHeader ? 'Check-in' : askLine(ask), {
      spacing: 'None',
      ...(ask.reason === 'overdue' ? { color: 'Attention' } : { isSubtle: true }),
    }),
  ];
  const deputy = deputyLine(ask);
  if (deputy) body.push(text(deputy, { spacing: 'Small', weight: 'Bolder' }));
  const next = nextMilestone(item, options.date);
  body.push(
    facts([
      ['Status now', statusNow(item)],
      ['Lead', plain((ask.roles && ask.roles.length > 0 ? ask.roles : item.leads).join(' / ')) || undefined],
      ['Timescale', plain(item.timescale) || undefined],
      ['Next milestone', ask.reason !== 'milestone' && next ? dateLong(next) : undefined],
      ['Starts', item.start && item.start > options.date ? dateLong(item.start) : undefined],
    ]),
  );
  if (state.kind === 'receipt') {
    body.push(...receipt(item, state));
  } else {
    if (!options.compact && item.lastUpdate?.note)
      body.push(text(`Last note: ${plain(item.lastUpdate.note)}`, { isSubtle: true, maxLines: 3 }));
    if (!options.compact && item.outputs.length > 0)
      body.push(
        text(item.outputs.map((o, i) => `Output ${i + 1}: ${outputLine(o)}`).join('\n\n'), {
          size: 'Small',
          spacing: 'Small',
          maxLines: 8,
        }),
      );
    if (state.kind === 'refused' || state.kind === 'not-recorded') {
      const banner = state.kind === 'refused' ? refusalBanner(state.refusal) : failureBanner(state.uncertain);
      body.push({
        type: 'Container',
        style: 'attention',
        items: [text(banner.title, { weight: 'Bolder' }), ...banner.lines.map((l) => text(l, { spacing: 'Small' }))],
      });
    }
    const refusal = state.kind === 'refused' ? state.refusal.kind : undefined;
    // An answer that may have landed offers no button that could record it twice.
    const uncertain = state.kind === 'not-recorded' && state.uncertain;
    if (refusal !== 'not-found' && !uncertain && options.actionable !== false) {
      body.push(...inputs(item, entry.slot, state.values ?? {}));
    }
    // Someone who may not answer keeps what they typed (to pass it on), with no button to press.
    if (refusal !== 'not-found' && refusal !== 'forbidden' && !uncertain && options.actionable !== false) {
      body.push({
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Execute',
            title: options.number !== undefined ? `Record status (item ${options.number})` : 'Record status',
            verb: VERB_RECORD,
            style: 'positive',
            data: entryActionData(entry, options.promptId),
          },
        ],
      });
    }
  }
  return { type: 'Container', separator: true, spacing: 'Large', items: body };
}
