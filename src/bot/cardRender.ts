/**
 * A sent card as it should look now: rebuilt from its ledger row (which items it asks, and why) and
 * the items as they stand. An item reported since the card went out shows its receipt; the others
 * keep their inputs (with what the person typed, when the answer carried it). Used for the answer's
 * reply, for Teams' refresh, and to replace other people's copies when an item is answered.
 */
import type { StoredItem, StoredPlan } from '../store/planStore';
import type { BotDeps } from './botDeps';
import { fitDailyCard } from './cards/dailyCard';
import type { Card } from './cards/common';
import { slotValues, type AskInfo, type CardEntry, type EntryState } from './cards/itemSection';
import type { CardItemRow, LedgerRow } from './ledger';

function askOf(row: CardItemRow): AskInfo {
  const ask: AskInfo = { reason: row.reason, roles: row.roles };
  if (row.milestone) ask.milestone = row.milestone;
  if (row.daysUntil !== undefined) ask.daysUntil = row.daysUntil;
  if (row.periodLabel) ask.periodLabel = row.periodLabel;
  if (row.periodEnd) ask.periodEnd = row.periodEnd;
  if (row.deputy) ask.deputy = row.deputy;
  return ask;
}

/** True when the item was reported after the card went out (its receipt shows on the card). */
export function reportedSince(item: StoredItem, card: Pick<LedgerRow, 'sentAt' | 'claimedAt'>): boolean {
  return !!item.lastUpdate && item.lastUpdate.at >= (card.sentAt ?? card.claimedAt);
}

export interface RenderOptions {
  /** States decided by this answer (receipts, refusals), by item key. */
  states?: Map<string, EntryState>;
  /** Everything the answer carried (every slot's typed values), to keep in the inputs. */
  values?: Record<string, unknown>;
  refreshUserId?: string;
}

export class CardRenderer {
  constructor(private readonly deps: Pick<BotDeps, 'store' | 'ledger' | 'myActionsLink' | 'links'>) {}

  /** The card of a ledger row, as it should look now; undefined when the row asks about no item. */
  async render(row: LedgerRow, options: RenderOptions = {}): Promise<Card | undefined> {
    const { store, ledger } = this.deps;
    const asked = await ledger.cardItems(row.id);
    if (asked.length === 0) return undefined;
    const [plan, items] = await Promise.all([store.getPlan(row.planId), store.listItems(row.planId)]);
    const byKey = new Map(items.map((i) => [i.key, i]));
    return this.build(row, plan, asked, byKey, options);
  }

  build(
    row: LedgerRow,
    plan: StoredPlan | undefined,
    asked: readonly CardItemRow[],
    byKey: Map<string, StoredItem>,
    options: RenderOptions,
  ): Card {
    const onCard = asked.filter((a) => a.onCard);
    const entries: CardEntry[] = [];
    for (const a of onCard) {
      const item = byKey.get(a.itemKey);
      // An item removed from the plan since the card went out is left off.
      if (!item) continue;
      const decided = options.states?.get(a.itemKey);
      const state: EntryState =
        decided ??
        (reportedSince(item, row)
          ? { kind: 'receipt' }
          : { kind: 'open', values: options.values ? slotValues(options.values, a.slot) : {} });
      entries.push({ item, slot: a.slot, ask: askOf(a), state });
    }
    return fitDailyCard({
      ...(plan ? { plan } : {}),
      planId: row.planId,
      date: row.dateKey,
      promptId: row.id,
      entries,
      more: asked.length - onCard.length,
      myActionsLink: this.deps.myActionsLink,
      deepLink: this.deps.links(row.planId),
      ...(options.refreshUserId ? { refreshUserIds: [options.refreshUserId] } : {}),
    }).card;
  }
}
