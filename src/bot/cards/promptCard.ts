/**
 * The prompt a lead gets in their 1:1 chat: what the item is, when it is due, where it stands, and
 * inputs to report (RAG, a note, figures against numeric targets, a revised date when Red). The
 * answer comes back as an Action.Execute (verb `recordStatus`); `refresh` lets Teams fetch the
 * current card (a receipt once someone has answered) when the card is shown again.
 */
import { figureOutputs, NOTE_MAX, REPORT_FIELD } from '../../domain/statusReport';
import { planContentHash } from '../../domain/contentHash';
import { RAG_LABELS, REPORTABLE_RAG } from '../../domain/model';
import {
  dateLong,
  targetText,
  facts,
  heading,
  lastUpdateLine,
  objectiveLines,
  outputLine,
  plain,
  ragColor,
  text,
  card,
  VERB_RECORD,
  VERB_REFRESH,
  type Card,
  type Element,
  type PromptActionData,
} from './common';
import type { StoredItem, StoredPlan } from '../../store/planStore';

export interface PromptCardInput {
  plan?: StoredPlan;
  item: StoredItem;
  milestone?: string;
  /** "28 days", "due today", "overdue (weekly)"… */
  reason?: string;
  promptId?: string;
  /** Teams user ids (MRIs, "29:…") whose clients refresh the card automatically (max 60). */
  refreshUserIds?: string[];
  /** Values to show in the inputs (echoed back after a refusal so nothing typed is lost). */
  values?: Record<string, unknown>;
  /** A banner above the form (why the last attempt was not recorded). */
  banner?: { title: string; lines: string[] };
  /** False for a read-only copy (the person may not answer). */
  actionable?: boolean;
}

/** Reason of a prompt sent on request for an item with no milestone (an "Ongoing" item). */
export const REQUESTED_NO_MILESTONE = 'requested';

function milestoneText(milestone: string | undefined, reason: string | undefined): string | undefined {
  if (!milestone) return undefined;
  if (reason === REQUESTED_NO_MILESTONE) return 'Ongoing: no due date (asked for an update by the co-ordinator)';
  const when = dateLong(milestone);
  if (!reason) return when;
  if (reason === 'due today') return `${when} (due today)`;
  if (reason.startsWith('overdue')) return `${when} (overdue)`;
  return `${when} (in ${reason})`;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function promptActionData(input: Pick<PromptCardInput, 'item' | 'promptId'>): PromptActionData {
  const data: PromptActionData = { planId: input.item.planId, itemKey: input.item.key, version: input.item.version };
  if (input.promptId) data.promptId = input.promptId;
  data.content = planContentHash(input.item);
  data.seen = input.item.lastUpdate?.at ?? '';
  return data;
}

export function promptCard(input: PromptCardInput): Card {
  const { item } = input;
  const values = input.values ?? {};
  const body: Element[] = [];
  if (input.banner) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [text(input.banner.title, { weight: 'Bolder' }), ...input.banner.lines.map((l) => text(l, { spacing: 'Small' }))],
    });
  }
  body.push(heading(plain(item.title)));
  const objectives = objectiveLines(input.plan, item);
  if (objectives) body.push(text(plain(objectives), { isSubtle: true, spacing: 'None' }));
  body.push(
    facts([
      ['Milestone', milestoneText(input.milestone, input.reason)],
      ['Timescale', plain(item.timescale)],
      ['Lead', plain(item.leads.join(' / '))],
      ['Status now', RAG_LABELS[item.status]],
      ['Last report', lastUpdateLine(item)],
    ]),
  );
  if (item.lastUpdate?.note) body.push(text(`Last note: ${plain(item.lastUpdate.note)}`, { isSubtle: true, maxLines: 6 }));
  if (item.outputs.length > 0) {
    body.push(text('Outputs', { weight: 'Bolder', spacing: 'Medium' }));
    body.push(...item.outputs.map((o, i) => text(`Output ${i + 1}: ${outputLine(o)}`, { spacing: 'Small' })));
  }

  const rag = str(values[REPORT_FIELD.rag]);
  body.push({
    type: 'Input.ChoiceSet',
    id: REPORT_FIELD.rag,
    label: 'Status',
    style: 'expanded',
    isRequired: true,
    errorMessage: 'Choose a status',
    choices: REPORTABLE_RAG.map((r) => ({ title: RAG_LABELS[r], value: r })),
    ...(rag ? { value: rag } : {}),
  });
  const note = str(values[REPORT_FIELD.note]);
  body.push({
    type: 'Input.Text',
    id: REPORT_FIELD.note,
    label: 'Note (required for Red and Amber)',
    isMultiline: true,
    maxLength: NOTE_MAX,
    placeholder: 'What has happened, what is next',
    ...(note !== undefined ? { value: note } : {}),
  });
  for (const i of figureOutputs(item.outputs)) {
    const o = item.outputs[i]!;
    const v = str(values[REPORT_FIELD.figure(i)]);
    const n = v !== undefined && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
    const reported = item.lastUpdate?.figures?.[i];
    body.push({
      type: 'Input.Number',
      id: REPORT_FIELD.figure(i),
      label: `Figure so far for output ${i + 1} (target ${targetText(o)})`,
      min: 0,
      placeholder: reported !== undefined ? `Last reported: ${reported}` : 'Number delivered so far',
      ...(n !== undefined ? { value: n } : {}),
    });
    // A value that is not a number cannot go back into Input.Number: show it so it is not lost.
    if (v !== undefined && v.trim() !== '' && n === undefined)
      body.push(text(`You typed: ${plain(v)}`, { color: 'Attention', spacing: 'None', size: 'Small' }));
  }
  const revised = str(values[REPORT_FIELD.revisedDate]);
  body.push({
    type: 'Input.Date',
    id: REPORT_FIELD.revisedDate,
    label: 'Revised date (if Red)',
    ...(revised && /^\d{4}-\d{2}-\d{2}$/.test(revised) ? { value: revised } : {}),
  });
  if (revised && !/^\d{4}-\d{2}-\d{2}$/.test(revised))
    body.push(text(`You typed: ${plain(revised)}`, { color: 'Attention', spacing: 'None', size: 'Small' }));

  const data = promptActionData(input);
  const extra: Record<string, unknown> = {};
  if (input.actionable !== false) {
    extra.actions = [{ type: 'Action.Execute', title: 'Record status', verb: VERB_RECORD, data, style: 'positive' }];
  }
  if (input.refreshUserIds && input.refreshUserIds.length > 0) {
    extra.refresh = {
      action: { type: 'Action.Execute', title: 'Refresh', verb: VERB_REFRESH, data },
      userIds: input.refreshUserIds.slice(0, 60),
    };
  }
  return card(body, extra);
}

export { ragColor };
