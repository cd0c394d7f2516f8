/**
 * The send ledger: makes the daily cards (and digests, escalations, notices) idempotent across
 * re-runs, restarts and several app instances.
 *
 * The unit is one card a day per person (and plan): a row with item key `#card`, and the items the
 * card asks in `card_items` (each answered on its own). "Send prompt now" cards are their own unit
 * (item key, reason `requested`), as are notices and digests (item key `*`).
 *
 * Claim → send → mark. A row is inserted (state `claimed`) BEFORE anything is sent; the UNIQUE
 * constraint on (plan, item, milestone, reason, person, date key) means only one run, in one
 * instance, ever wins the claim. After the send the row becomes `sent` (with the activity id, so
 * the card can be replaced later) or `failed` (the service answered with an error: nothing was
 * delivered, a later run may claim it again).
 *
 * Crash recovery: a row left `claimed` longer than the lease (the process died between claim and
 * mark) may or may not have been delivered. It is never re-sent automatically (at most once); it is
 * turned `uncertain` and reported to the co-ordinator and in the digest.
 */
import type { BotDatabase } from './botDb';

/** Item key of a daily card's ledger row. */
export const CARD_ITEM = '#card';
/** Reason of a daily card's ledger row. */
export const REASON_CARD = 'daily card';
/** Reason of a "Send prompt now" card's ledger row (its item key is the item's). */
export const REASON_REQUESTED = 'requested';

/** One item a card asks. */
export interface CardItem {
  itemKey: string;
  /** Prefix of the item's inputs on the card ("i0"); '' on cards from before daily cards. */
  slot: string;
  /** False for items beyond what fits on the card (answered in My actions). */
  onCard: boolean;
  /** check-in | milestone | overdue | requested */
  reason: string;
  milestone?: string;
  daysUntil?: number;
  periodLabel?: string;
  periodEnd?: string;
  roles: string[];
  /** Why a deputy is asked, when they are. */
  deputy?: string;
}

export interface CardItemRow extends CardItem {
  cardId: string;
  planId: string;
  answeredAt?: string;
  answeredBy?: string;
}

interface ItemRowDb {
  card_id: string;
  plan_id: string;
  item_key: string;
  slot: string;
  on_card: number;
  reason: string;
  milestone: string | null;
  days_until: number | null;
  period_label: string | null;
  period_end: string | null;
  roles: string;
  deputy: string | null;
  answered_at: string | null;
  answered_by: string | null;
}

function itemFromRow(r: ItemRowDb): CardItemRow {
  const out: CardItemRow = {
    cardId: r.card_id,
    planId: r.plan_id,
    itemKey: r.item_key,
    slot: r.slot,
    onCard: r.on_card === 1,
    reason: r.reason,
    roles: JSON.parse(r.roles) as string[],
  };
  if (r.milestone) out.milestone = r.milestone;
  if (r.days_until !== null) out.daysUntil = r.days_until;
  if (r.period_label) out.periodLabel = r.period_label;
  if (r.period_end) out.periodEnd = r.period_end;
  if (r.deputy) out.deputy = r.deputy;
  if (r.answered_at) out.answeredAt = r.answered_at;
  if (r.answered_by) out.answeredBy = r.answered_by;
  return out;
}

export type LedgerState = 'claimed' | 'sent' | 'failed' | 'uncertain' | 'unreachable' | 'planned';

export interface LedgerKey {
  id: string;
  planId: string;
  itemKey: string;
  milestone: string;
  reason: string;
  personId: string;
  personName: string;
  dateKey: string;
}

export interface LedgerRow extends LedgerKey {
  state: LedgerState;
  claimedAt: string;
  claimedBy: string;
  sentAt?: string;
  conversationId?: string;
  serviceUrl?: string;
  activityId?: string;
  itemVersion?: string;
  answeredAt?: string;
  answeredBy?: string;
  detail?: string;
}

interface Row {
  id: string;
  plan_id: string;
  item_key: string;
  milestone: string;
  reason: string;
  person_id: string;
  person_name: string;
  date_key: string;
  state: LedgerState;
  claimed_at: string;
  claimed_by: string;
  sent_at: string | null;
  conversation_id: string | null;
  service_url: string | null;
  activity_id: string | null;
  item_version: string | null;
  answered_at: string | null;
  answered_by: string | null;
  detail: string | null;
}

function fromRow(r: Row): LedgerRow {
  const out: LedgerRow = {
    id: r.id,
    planId: r.plan_id,
    itemKey: r.item_key,
    milestone: r.milestone,
    reason: r.reason,
    personId: r.person_id,
    personName: r.person_name,
    dateKey: r.date_key,
    state: r.state,
    claimedAt: r.claimed_at,
    claimedBy: r.claimed_by,
  };
  if (r.sent_at) out.sentAt = r.sent_at;
  if (r.conversation_id) out.conversationId = r.conversation_id;
  if (r.service_url) out.serviceUrl = r.service_url;
  if (r.activity_id) out.activityId = r.activity_id;
  if (r.item_version) out.itemVersion = r.item_version;
  if (r.answered_at) out.answeredAt = r.answered_at;
  if (r.answered_by) out.answeredBy = r.answered_by;
  if (r.detail) out.detail = r.detail;
  return out;
}

/** States a later run may claim again: nothing was delivered. */
const RECLAIMABLE: LedgerState[] = ['failed', 'unreachable'];

export class SendLedger {
  constructor(
    private readonly db: BotDatabase,
    /** Identifies this process in `claimed_by` (host:pid:start). */
    readonly instanceId: string,
  ) {}

  /**
   * Claims a send. True when this caller now owns it; false when another run (here or in another
   * instance) already claimed or sent it. Rows whose earlier attempt delivered nothing (failed,
   * unreachable) are claimed again atomically.
   */
  claim(key: LedgerKey, at: string, items?: readonly CardItem[]): boolean {
    return this.db
      .transaction(() => {
        const won = this.claimRow(key, at);
        if (won && items) this.putItems(key, items);
        return won;
      })
      .immediate();
  }

  private putItems(key: LedgerKey, items: readonly CardItem[]): void {
    // A re-claimed card (nothing was delivered before) asks what is due now.
    this.db.prepare('DELETE FROM card_items WHERE card_id = ?').run(key.id);
    const insert = this.db.prepare(
      `INSERT INTO card_items (card_id, plan_id, item_key, slot, on_card, reason, milestone, days_until, period_label, period_end, roles, deputy)
       VALUES (@cardId, @planId, @itemKey, @slot, @onCard, @reason, @milestone, @daysUntil, @periodLabel, @periodEnd, @roles, @deputy)`,
    );
    for (const i of items) {
      insert.run({
        cardId: key.id,
        planId: key.planId,
        itemKey: i.itemKey,
        slot: i.slot,
        onCard: i.onCard ? 1 : 0,
        reason: i.reason,
        milestone: i.milestone ?? null,
        daysUntil: i.daysUntil ?? null,
        periodLabel: i.periodLabel ?? null,
        periodEnd: i.periodEnd ?? null,
        roles: JSON.stringify(i.roles),
        deputy: i.deputy ?? null,
      });
    }
  }

  /** Inside claim's transaction. */
  private claimRow(key: LedgerKey, at: string): boolean {
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO prompt_ledger (id, plan_id, item_key, milestone, reason, person_id, person_name, date_key, state, claimed_at, claimed_by)
             VALUES (@id, @planId, @itemKey, @milestone, @reason, @personId, @personName, @dateKey, 'claimed', @at, @by)`,
      )
      .run({ ...key, at, by: this.instanceId });
    if (inserted.changes === 1) return true;
    const reclaimed = this.db
      .prepare(
        `UPDATE prompt_ledger SET state = 'claimed', claimed_at = @at, claimed_by = @by, detail = NULL
             WHERE plan_id = @planId AND item_key = @itemKey AND milestone = @milestone AND reason = @reason AND person_id = @personId AND date_key = @dateKey
               AND state IN (${RECLAIMABLE.map((s) => `'${s}'`).join(', ')})`,
      )
      .run({ ...key, at, by: this.instanceId });
    return reclaimed.changes === 1;
  }

  /** Sent; `detail` says how the person was reached (delivery.ts REACHED). */
  markSent(
    id: string,
    sent: { at: string; conversationId: string; serviceUrl: string; activityId?: string; itemVersion?: string; detail?: string },
  ): void {
    this.db
      .prepare(
        `UPDATE prompt_ledger SET state = 'sent', sent_at = @at, conversation_id = @conversationId, service_url = @serviceUrl, activity_id = @activityId, item_version = @itemVersion, detail = @detail
         WHERE id = @id AND claimed_by = @by`,
      )
      .run({ id, by: this.instanceId, activityId: null, itemVersion: null, detail: null, ...sent });
  }

  /** Nothing was delivered; a later run may claim it again. */
  markFailed(id: string, detail: string): void {
    this.db
      .prepare(`UPDATE prompt_ledger SET state = 'failed', detail = ? WHERE id = ? AND claimed_by = ?`)
      .run(detail, id, this.instanceId);
  }

  /** Teams cannot reach the person (no conversation, app removed, blocked). */
  markUnreachable(id: string, detail: string): void {
    this.db
      .prepare(`UPDATE prompt_ledger SET state = 'unreachable', detail = ? WHERE id = ? AND claimed_by = ?`)
      .run(detail, id, this.instanceId);
  }

  /** The send may have been delivered (timeout, connection lost): never retried automatically. */
  markUncertain(id: string, detail: string): void {
    this.db.prepare(`UPDATE prompt_ledger SET state = 'uncertain', detail = ? WHERE id = ?`).run(detail, id);
  }

  /** Crash recovery: claims older than `before` become `uncertain`; returns them. */
  expireClaims(before: string): LedgerRow[] {
    return this.db
      .transaction(() => {
        const rows = this.db.prepare(`SELECT * FROM prompt_ledger WHERE state = 'claimed' AND claimed_at < ?`).all(before) as Row[];
        this.db
          .prepare(
            `UPDATE prompt_ledger SET state = 'uncertain', detail = 'claimed but never marked: the process stopped mid-send' WHERE state = 'claimed' AND claimed_at < ?`,
          )
          .run(before);
        return rows.map((r) => fromRow({ ...r, state: 'uncertain' }));
      })
      .immediate();
  }

  get(id: string): LedgerRow | undefined {
    const r = this.db.prepare('SELECT * FROM prompt_ledger WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** The items a card asks, in card order (a card from before daily cards: its one item). */
  cardItems(cardId: string): CardItemRow[] {
    const rows = this.db.prepare('SELECT * FROM card_items WHERE card_id = ? ORDER BY on_card DESC, rowid').all(cardId) as ItemRowDb[];
    if (rows.length > 0) return rows.map(itemFromRow);
    const row = this.get(cardId);
    if (!row || row.itemKey === CARD_ITEM || row.itemKey === '*') return [];
    // A single-item prompt from before daily cards: unprefixed inputs.
    const legacy: CardItemRow = { cardId, planId: row.planId, itemKey: row.itemKey, slot: '', onCard: true, reason: row.reason, roles: [] };
    if (row.milestone) legacy.milestone = row.milestone;
    if (row.answeredAt) legacy.answeredAt = row.answeredAt;
    if (row.answeredBy) legacy.answeredBy = row.answeredBy;
    return [legacy];
  }

  /** Sent cards (with an activity to replace) that ask about an item nobody has answered on them yet. */
  openCards(planId: string, itemKey: string): LedgerRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE state = 'sent' AND activity_id IS NOT NULL AND (
           id IN (SELECT card_id FROM card_items WHERE plan_id = ? AND item_key = ? AND answered_at IS NULL)
           OR (plan_id = ? AND item_key = ? AND answered_at IS NULL))
         ORDER BY sent_at`,
      )
      .all(planId, itemKey, planId, itemKey) as Row[];
    return rows.map(fromRow);
  }

  /** A later card asking about the same item sent to the same person (it replaces `row`'s), if any. */
  newerCard(row: LedgerRow, itemKey: string): LedgerRow | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE plan_id = ? AND person_id = ? AND id <> ? AND state = 'sent' AND claimed_at > ?
           AND (item_key = ? OR id IN (SELECT card_id FROM card_items WHERE plan_id = ? AND item_key = ? AND on_card = 1))
         ORDER BY claimed_at DESC LIMIT 1`,
      )
      .get(row.planId, row.personId, row.id, row.claimedAt, itemKey, row.planId, itemKey) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Sent cards asking about an item answered at or after `since` (their receipts may need replacing). */
  answeredSince(planId: string, itemKey: string, since: string): LedgerRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE state = 'sent' AND activity_id IS NOT NULL AND (
           id IN (SELECT card_id FROM card_items WHERE plan_id = ? AND item_key = ? AND answered_at >= ?)
           OR (plan_id = ? AND item_key = ? AND answered_at >= ?))
         ORDER BY sent_at`,
      )
      .all(planId, itemKey, since, planId, itemKey, since) as Row[];
    return rows.map(fromRow);
  }

  /** Marks an item answered on every card that asked about it; returns the sent cards to refresh. */
  markAnswered(planId: string, itemKey: string, at: string, by: string): LedgerRow[] {
    return this.db
      .transaction(() => {
        const rows = this.openCards(planId, itemKey);
        this.db
          .prepare('UPDATE card_items SET answered_at = ?, answered_by = ? WHERE plan_id = ? AND item_key = ? AND answered_at IS NULL')
          .run(at, by, planId, itemKey);
        this.db
          .prepare(
            `UPDATE prompt_ledger SET answered_at = ?, answered_by = ? WHERE plan_id = ? AND item_key = ? AND state = 'sent' AND answered_at IS NULL`,
          )
          .run(at, by, planId, itemKey);
        return rows;
      })
      .immediate();
  }

  /** Every item asked on the cards of a plan whose date key is in [from, to], with its card. */
  cardItemsBetween(planId: string, from: string, to: string): Array<{ card: LedgerRow; item: CardItemRow }> {
    const rows = this.db
      .prepare(
        `SELECT l.*, c.card_id AS c_card_id, c.plan_id AS c_plan_id, c.item_key AS c_item_key, c.slot AS c_slot, c.on_card AS c_on_card,
                c.reason AS c_reason, c.milestone AS c_milestone, c.days_until AS c_days_until, c.period_label AS c_period_label,
                c.period_end AS c_period_end, c.roles AS c_roles, c.deputy AS c_deputy, c.answered_at AS c_answered_at, c.answered_by AS c_answered_by
         FROM card_items c JOIN prompt_ledger l ON l.id = c.card_id
         WHERE l.plan_id = ? AND l.date_key >= ? AND l.date_key <= ? ORDER BY l.date_key, l.person_name, c.rowid`,
      )
      .all(planId, from, to) as Array<Row & Record<string, unknown>>;
    return rows.map((r) => {
      const item = Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k.startsWith('c_'))
          .map(([k, v]) => [k.slice(2), v]),
      ) as unknown as ItemRowDb;
      return { card: fromRow(r), item: itemFromRow(item) };
    });
  }

  /** Rows of a plan whose date key is in [from, to]. */
  between(planId: string, from: string, to: string): LedgerRow[] {
    const rows = this.db
      .prepare(`SELECT * FROM prompt_ledger WHERE plan_id = ? AND date_key >= ? AND date_key <= ? ORDER BY date_key, item_key, person_name`)
      .all(planId, from, to) as Row[];
    return rows.map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM prompt_ledger').get() as { n: number }).n;
  }
}
