/**
 * The card shown when an answer is not recorded: says why, shows the item as it stands now, and
 * keeps every value the person typed in the inputs so they can correct it and try again.
 */
import type { StoredItem, StoredPlan } from '../../store/planStore';
import { card, heading, plain, text, type Card } from './common';
import { promptCard } from './promptCard';
import { NOTE_MAX, REPORT_FIELD } from '../../domain/statusReport';
import type { Refusal } from '../../usecases/recordStatus';

/**
 * Why the answer was not recorded (the recordStatus use case's refusal). For `stale`: `changed` means
 * the item's plan content (milestones, outputs…) was edited since the card was sent; `superseded`, a
 * newer prompt for the item replaced this one; `reported` (cards made before cards carried a content
 * fingerprint), someone reported after the card was sent.
 */
export type RefusalReason = Refusal;

/** Longest value echoed back other than the note (a figure or a date is a few characters). */
const ECHO_MAX = 100;

/**
 * The values to put back in the form: only the card's own inputs, and no longer than the inputs
 * take (the note's maxLength), so that a hostile or broken client cannot make the refusal larger
 * than the 28 KB Teams shows.
 */
function echoable(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k !== REPORT_FIELD.rag && k !== REPORT_FIELD.note && k !== REPORT_FIELD.revisedDate && !/^figure_\d{1,3}$/.test(k)) continue;
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'string') {
      const max = k === REPORT_FIELD.note ? NOTE_MAX : ECHO_MAX;
      out[k] = v.length > max ? `${v.slice(0, max - 1)}…` : v;
    }
  }
  return out;
}

export function refusalCard(input: {
  plan?: StoredPlan;
  /** The item as it is now (undefined when it no longer exists). */
  item?: StoredItem;
  reason: RefusalReason;
  values: Record<string, unknown>;
  milestone?: string;
  promptReason?: string;
  promptId?: string;
}): Card {
  const { reason } = input;
  const values = echoable(input.values);
  if (!input.item || reason.kind === 'not-found') {
    const typed = Object.entries(values).filter(([, v]) => typeof v === 'string' && v.trim() !== '');
    return card([
      heading('Not recorded'),
      text('This item is no longer in the plan, so nothing was recorded. What you typed is below.'),
      ...typed.map(([k, v]) => text(`${plain(k)}: ${plain(String(v))}`, { spacing: 'Small' })),
    ]);
  }
  let banner: { title: string; lines: string[] };
  switch (reason.kind) {
    case 'invalid':
      // Problems quote what was typed: as text, and not at any length.
      banner = {
        title: 'Not recorded yet: please correct this',
        lines: reason.problems.map(({ message: p }) => plain(p.length > 3 * ECHO_MAX ? `${p.slice(0, 3 * ECHO_MAX - 1)}…` : p)),
      };
      break;
    case 'stale': {
      const keep = 'Your answer is still in the form: check it and select Record status again if it still stands.';
      if (reason.why === 'changed')
        banner = {
          title: 'Not recorded: this item was changed in the plan after this card was sent',
          lines: [`The item as it stands now is shown below. ${keep}`],
        };
      else if (reason.why === 'superseded')
        banner = {
          title: 'Not recorded: a newer prompt for this item replaced this card',
          lines: [`The item as it stands now is shown below. ${keep}`],
        };
      else {
        banner = {
          title: 'Not recorded: someone reported on this item after this card was sent',
          lines: [`The status now is shown below${reason.by ? ` (reported by ${plain(reason.by)})` : ''}. ${keep}`],
        };
      }
      break;
    }
    case 'forbidden':
      banner = {
        title: 'Not recorded: you are not a lead for this item',
        lines: [plain(reason.message), 'Your answer is kept below so that you can pass it on.'],
      };
      break;
  }
  return promptCard({
    ...(input.plan ? { plan: input.plan } : {}),
    item: input.item,
    ...(input.milestone ? { milestone: input.milestone } : {}),
    ...(input.promptReason ? { reason: input.promptReason } : {}),
    ...(input.promptId ? { promptId: input.promptId } : {}),
    values,
    banner,
    actionable: reason.kind !== 'forbidden',
  });
}
