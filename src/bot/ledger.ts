/**
 * The send ledger's embedded adapter (STATE_STORE=sqlite): the bot's own SQLite file (bot/botDb.ts),
 * shared by several processes on one host (WAL, busy timeout). The port, its states and rules are in
 * state/sendLedger.ts. The UNIQUE constraint on (plan, item, milestone, reason, person, date key)
 * inside an immediate transaction means only one claimant ever wins.
 *
 * A `queued` claim is stored as `claimed` by `queue:<instance>` (the table's CHECK predates it).
 */
import type { BotDatabase } from './botDb';
import {
  CARD_ITEM,
  RECLAIMABLE,
  type CardItem,
  type CardItemRow,
  type LedgerKey,
  type LedgerRow,
  type LedgerState,
  type SendLedger,
  type SentMark,
} from '../state/sendLedger';

export * from '../state/sendLedger';

const QUEUED_BY = 'queue:';

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
    state: r.state === 'claimed' && r.claimed_by.startsWith(QUEUED_BY) ? 'queued' : r.state,
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

export class SqliteSendLedger implements SendLedger {
  constructor(
    private readonly db: BotDatabase,
    /** Identifies this process in `claimed_by` (host:pid:start). */
    readonly instanceId: string,
  ) {}

  async claim(key: LedgerKey, at: string, items?: readonly CardItem[], options: { queued?: boolean } = {}): Promise<boolean> {
    const by = options.queued ? `${QUEUED_BY}${this.instanceId}` : this.instanceId;
    return this.db
      .transaction(() => {
        const won = this.claimRow(key, at, by);
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
  private claimRow(key: LedgerKey, at: string, by: string): boolean {
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO prompt_ledger (id, plan_id, item_key, milestone, reason, person_id, person_name, date_key, state, claimed_at, claimed_by)
             VALUES (@id, @planId, @itemKey, @milestone, @reason, @personId, @personName, @dateKey, 'claimed', @at, @by)`,
      )
      .run({ ...key, at, by });
    if (inserted.changes === 1) return true;
    const reclaimed = this.db
      .prepare(
        `UPDATE prompt_ledger SET state = 'claimed', claimed_at = @at, claimed_by = @by, detail = NULL
             WHERE plan_id = @planId AND item_key = @itemKey AND milestone = @milestone AND reason = @reason AND person_id = @personId AND date_key = @dateKey
               AND state IN (${RECLAIMABLE.map((s) => `'${s}'`).join(', ')})`,
      )
      .run({ ...key, at, by });
    return reclaimed.changes === 1;
  }

  /** Nothing to pass on: one SQLite file is one instance's, and its take-over is one statement anyway. */
  queuedToken(): string | undefined {
    return undefined;
  }

  async takeOver(id: string, at: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE prompt_ledger SET claimed_by = ?, claimed_at = ? WHERE id = ? AND state = 'claimed' AND claimed_by LIKE '${QUEUED_BY}%'`,
        )
        .run(this.instanceId, at, id).changes === 1
    );
  }

  /** Sent; `detail` says how the person was reached (delivery.ts REACHED). */
  async markSent(id: string, sent: SentMark): Promise<void> {
    this.db
      .prepare(
        `UPDATE prompt_ledger SET state = 'sent', sent_at = @at, conversation_id = @conversationId, service_url = @serviceUrl, activity_id = @activityId, item_version = @itemVersion, detail = @detail
         WHERE id = @id AND claimed_by = @by`,
      )
      .run({ id, by: this.instanceId, activityId: null, itemVersion: null, detail: null, ...sent });
  }

  /** Nothing was delivered; a later run may claim it again. */
  async markFailed(id: string, detail: string): Promise<void> {
    this.db
      .prepare(`UPDATE prompt_ledger SET state = 'failed', detail = ? WHERE id = ? AND claimed_by = ?`)
      .run(detail, id, this.instanceId);
  }

  /** Teams cannot reach the person (no conversation, app removed, blocked). */
  async markUnreachable(id: string, detail: string): Promise<void> {
    this.db
      .prepare(`UPDATE prompt_ledger SET state = 'unreachable', detail = ? WHERE id = ? AND claimed_by = ?`)
      .run(detail, id, this.instanceId);
  }

  /** The send may have been delivered (timeout, connection lost): never retried automatically. */
  async markUncertain(id: string, detail: string): Promise<void> {
    this.db.prepare(`UPDATE prompt_ledger SET state = 'uncertain', detail = ? WHERE id = ?`).run(detail, id);
  }

  /** Crash recovery: claims older than `before` become `uncertain`; returns them. */
  async expireClaims(before: string): Promise<LedgerRow[]> {
    const crashed = `state = 'claimed' AND claimed_at < ? AND claimed_by NOT LIKE '${QUEUED_BY}%'`;
    return this.db
      .transaction(() => {
        const rows = this.db.prepare(`SELECT * FROM prompt_ledger WHERE ${crashed}`).all(before) as Row[];
        this.db
          .prepare(
            `UPDATE prompt_ledger SET state = 'uncertain', detail = 'claimed but never marked: the process stopped mid-send' WHERE ${crashed}`,
          )
          .run(before);
        return rows.map((r) => fromRow({ ...r, state: 'uncertain' }));
      })
      .immediate();
  }

  async get(id: string): Promise<LedgerRow | undefined> {
    return this.getSync(id);
  }

  private getSync(id: string): LedgerRow | undefined {
    const r = this.db.prepare('SELECT * FROM prompt_ledger WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** The items a card asks, in card order (a card from before daily cards: its one item). */
  async cardItems(cardId: string): Promise<CardItemRow[]> {
    const rows = this.db.prepare('SELECT * FROM card_items WHERE card_id = ? ORDER BY on_card DESC, rowid').all(cardId) as ItemRowDb[];
    if (rows.length > 0) return rows.map(itemFromRow);
    const row = this.getSync(cardId);
    if (!row || row.itemKey === CARD_ITEM || row.itemKey === '*') return [];
    // A single-item prompt from before daily cards: unprefixed inputs.
    const legacy: CardItemRow = { cardId, planId: row.planId, itemKey: row.itemKey, slot: '', onCard: true, reason: row.reason, roles: [] };
    if (row.milestone) legacy.milestone = row.milestone;
    if (row.answeredAt) legacy.answeredAt = row.answeredAt;
    if (row.answeredBy) legacy.answeredBy = row.answeredBy;
    return [legacy];
  }

  /** Sent cards (with an activity to replace) that ask about an item nobody has answered on them yet. */
  async openCards(planId: string, itemKey: string): Promise<LedgerRow[]> {
    return this.openCardsSync(planId, itemKey);
  }

  private openCardsSync(planId: string, itemKey: string): LedgerRow[] {
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
  async newerCard(row: LedgerRow, itemKey: string): Promise<LedgerRow | undefined> {
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
  async answeredSince(planId: string, itemKey: string, since: string): Promise<LedgerRow[]> {
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
  async markAnswered(planId: string, itemKey: string, at: string, by: string): Promise<LedgerRow[]> {
    return this.db
      .transaction(() => {
        const rows = this.openCardsSync(planId, itemKey);
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
  async cardItemsBetween(planId: string, from: string, to: string): Promise<Array<{ card: LedgerRow; item: CardItemRow }>> {
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
  async between(planId: string, from: string, to: string): Promise<LedgerRow[]> {
    const rows = this.db
      .prepare(`SELECT * FROM prompt_ledger WHERE plan_id = ? AND date_key >= ? AND date_key <= ? ORDER BY date_key, item_key, person_name`)
      .all(planId, from, to) as Row[];
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM prompt_ledger').get() as { n: number }).n;
  }
}
