/**
 * The one card a person gets on a day: every item they are asked about (check-ins, milestone
 * reminders, overdue), each answerable on its own (its own inputs and Record button), and a "Record
 * all" button for everything filled in. Items answered show their receipt in place. Within Teams'
 * 28 KB: items beyond what fits are counted and linked to My actions.
 */
import { formatLongDate } from '../../domain/calendar';
import { shorten } from '../../domain/words';
import type { IsoDate } from '../../domain/model';
import type { StoredPlan } from '../../store/planStore';
import { byteSize, card, CARD_MAX_BYTES, plain, text, VERB_RECORD_ALL, VERB_REFRESH_CARD, type Card, type Element } from './common';
import { checkInLine, entryActionData, itemSection, type CardEntry } from './itemSection';

/** What a daily card is built from. */
export interface DailyCardInput {
  plan?: StoredPlan;
  planId: string;
  date: IsoDate;
  /** The card's ledger id: answers name it so that the card can be rebuilt. */
  promptId?: string;
  entries: CardEntry[];
  /** Items asked beyond those on the card (answered in My actions). */
  more?: number;
  /** Where My actions opens (the personal tab). */
  myActionsLink?: string;
  /** Teams user ids whose clients refresh the card automatically (max 60). */
  refreshUserIds?: string[];
  /** The person may not answer (a read-only copy). */
  actionable?: boolean;
  /** "Open the plan": the plan tab. */
  deepLink?: string;
}

/** Room a freshly sent card leaves for what answers add later (banners, typed values): receipts are smaller than forms. */
export const SEND_BUDGET_BYTES = 25 * 1024 + 512;
/** Largest card the bot ever sends or answers with (under Teams' 28 KB, with room for the message around it). */
export const ANSWER_BUDGET_BYTES = CARD_MAX_BYTES - 1024;

/** "Update needed: Develop a Youth Outreach Plan (due in 14 days)", "Update needed on 3 items: …". */
export function cardSummary(entries: readonly CardEntry[]): string {
  const first = entries[0];
  if (!first) return 'Update needed';
  if (entries.length === 1) {
    const a = first.ask;
    const when =
      a.reason === 'overdue'
        ? 'overdue'
        : a.reason === 'check-in'
          ? `check-in for ${a.periodLabel ?? 'this period'}`
          : a.reason === 'milestone'
            ? a.daysUntil === 0
              ? 'due today'
              : `due in ${a.daysUntil === 1 ? '1 day' : `${a.daysUntil ?? ''} days`}`
            : 'requested';
    return `Update needed: ${shorten(first.item.title, 80)} (${when})`;
  }
  return `Update needed on ${entries.length} items: ${shorten(first.item.title, 60)} and ${entries.length - 1} more`;
}

/** The check-in the card's items share, when several items are asked for the same one. */
function sharedCheckIn(entries: readonly CardEntry[]): CardEntry['ask'] | undefined {
  const checkIns = entries.filter((e) => e.ask.reason === 'check-in');
  const first = checkIns[0]?.ask;
  return checkIns.length > 1 && checkIns.every((e) => e.ask.periodLabel === first?.periodLabel) ? first : undefined;
}

function header(input: DailyCardInput, open: number): Element[] {
  const n = input.entries.length + (input.more ?? 0);
  const out: Element[] = [
    { type: 'TextBlock', text: n === 1 ? 'Update needed' : `Update needed on ${n} items`, size: 'Large', weight: 'Bolder', wrap: true },
  ];
  const plan = input.plan ? `${input.plan.plan.organisation} ${input.plan.plan.title}` : input.planId;
  out.push(text(`${plain(plan)} · ${formatLongDate(input.date)}`, { isSubtle: true, spacing: 'None' }));
  const checkIn = sharedCheckIn(input.entries);
  if (checkIn) out.push(text(checkInLine(checkIn), { spacing: 'Small' }));
  if (open > 1)
    out.push(
      text('Answer each item with its own Record button, or fill in several and select Record all at the end.', {
        spacing: 'Small',
        size: 'Small',
      }),
    );
  return out;
}

/** An item the card still asks about (not answered, and not an answer that may already have landed). */
function answerable(entry: CardEntry): boolean {
  return entry.state.kind !== 'receipt' && !(entry.state.kind === 'not-recorded' && entry.state.uncertain);
}

function build(input: DailyCardInput, entries: readonly CardEntry[], more: number, compact: boolean): Card {
  const open = entries.filter((e) => answerable(e));
  const several = input.entries.length + (input.more ?? 0) > 1;
  const body: Element[] = [...header({ ...input, entries: [...entries], more }, open.length)];
  const checkInInHeader = !!sharedCheckIn(entries);
  entries.forEach((entry, i) =>
    body.push(
      itemSection(entry, {
        date: input.date,
        planId: input.planId,
        ...(input.promptId ? { promptId: input.promptId } : {}),
        ...(several ? { number: i + 1 } : {}),
        compact,
        checkInInHeader,
        ...(input.actionable === false ? { actionable: false } : {}),
      }),
    ),
  );
  if (more > 0) {
    body.push(
      text(`And ${more} more ${more === 1 ? 'item' : 'items'} than fit on this card: answer ${more === 1 ? 'it' : 'them'} in My actions.`, {
        weight: 'Bolder',
        separator: true,
        spacing: 'Large',
      }),
    );
  }
  const actions: Element[] = [];
  if (open.length > 1 && input.actionable !== false) {
    actions.push({
      type: 'Action.Execute',
      title: 'Record all',
      verb: VERB_RECORD_ALL,
      data: {
        planId: input.planId,
        ...(input.promptId ? { promptId: input.promptId } : {}),
        items: open.map((e) => packBasis(entryActionData(e, undefined))),
      },
    });
  }
  if (more > 0 && input.myActionsLink) actions.push({ type: 'Action.OpenUrl', title: 'Open My actions', url: input.myActionsLink });
  if (input.deepLink) actions.push({ type: 'Action.OpenUrl', title: 'Open the plan', url: input.deepLink });
  const extra: Record<string, unknown> = {};
  if (actions.length > 0) extra.actions = actions;
  if (input.promptId && input.refreshUserIds && input.refreshUserIds.length > 0) {
    extra.refresh = {
      action: {
        type: 'Action.Execute',
        title: 'Refresh',
        verb: VERB_REFRESH_CARD,
        data: { planId: input.planId, promptId: input.promptId },
      },
      userIds: input.refreshUserIds.slice(0, 60),
    };
  }
  return card(body, extra);
}

/**
 * The card, with as many entries as fit in `budget` bytes (in order); the rest are counted as "more".
 * Tries the full form first, then a compact one (no last notes), before leaving entries off. Each
 * item's section is measured once, so that a card listing thousands of items is sized in one pass.
 */
export function fitDailyCard(input: DailyCardInput, budget = ANSWER_BUDGET_BYTES): { card: Card; shown: number } {
  const more = input.more ?? 0;
  const n = input.entries.length;
  for (const compact of [false, true]) {
    let k = 0;
    let total = byteSize(build(input, [], more + n, compact));
    // Measured one entry at a time, only as far as the budget goes.
    while (k < n) {
      const size = entryBytes(input, input.entries[k]!, k, compact);
      if (total + size > budget) break;
      total += size;
      k++;
    }
    if (k < n && !compact) continue;
    // Numbers in the text change by a digit or two as entries move to "more": check, and step back if need be.
    for (k = Math.max(1, k); ; k--) {
      const card = build(input, input.entries.slice(0, k), more + n - k, compact);
      if (byteSize(card) <= budget || k <= 1) return { card, shown: Math.min(k, n) };
    }
  }
  return { card: build(input, input.entries.slice(0, 1), more + n - 1, true), shown: Math.min(1, n) };
}

/** Bytes one entry adds to a card: its section, the comma before it, and its basis on the Record all button. */
function entryBytes(input: DailyCardInput, entry: CardEntry, index: number, compact: boolean): number {
  const section = itemSection(entry, {
    date: input.date,
    planId: input.planId,
    ...(input.promptId ? { promptId: input.promptId } : {}),
    number: index + 1,
    compact,
    checkInInHeader: !!sharedCheckIn(input.entries),
  });
  const basis = !answerable(entry) || input.actionable === false ? 0 : packBasis(entryActionData(entry, undefined)).length + 3;
  return byteSize(section) + 1 + basis;
}

export function dailyCard(input: DailyCardInput): Card {
  return fitDailyCard(input).card;
}

/**
 * An item's basis on the "Record all" button, packed into one short string (the button carries one
 * per open item, and every byte counts against 28 KB): "slot|itemKey|version|content|seen".
 */
export function packBasis(d: { itemKey: string; version: string; content?: string; seen?: string; slot?: string }): string {
  return [d.slot ?? '', d.itemKey, d.version, d.content ?? '', d.seen ?? ''].join('|');
}

/** The basis packed by packBasis, or undefined when the text is not one. */
export function unpackBasis(text: unknown): { slot: string; itemKey: string; version: string; content: string; seen: string } | undefined {
  if (typeof text !== 'string' || text.length > 300) return undefined;
  const parts = text.split('|');
  if (parts.length !== 5) return undefined;
  const [slot, itemKey, version, content, seen] = parts as [string, string, string, string, string];
  if (!itemKey || !version || (slot && !/^i\d{1,3}$/.test(slot))) return undefined;
  return { slot, itemKey, version, content, seen };
}
