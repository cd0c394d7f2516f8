/**
 * The send ledger: makes prompts (and digests, escalations, notices) idempotent across re-runs,
 * restarts and several app instances.
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
  claim(key: LedgerKey, at: string): boolean {
    return this.db
      .transaction(() => {
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
      })
      .immediate();
  }

  markSent(id: string, sent: { at: string; conversationId: string; serviceUrl: string; activityId?: string; itemVersion?: string }): void {
    this.db
      .prepare(
        `UPDATE prompt_ledger SET state = 'sent', sent_at = @at, conversation_id = @conversationId, service_url = @serviceUrl, activity_id = @activityId, item_version = @itemVersion, detail = NULL
         WHERE id = @id AND claimed_by = @by`,
      )
      .run({ id, by: this.instanceId, activityId: null, itemVersion: null, ...sent });
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

  /** Sent prompts for an item that nobody has answered yet (their cards are still open). */
  openPrompts(planId: string, itemKey: string): LedgerRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE plan_id = ? AND item_key = ? AND state = 'sent' AND answered_at IS NULL AND activity_id IS NOT NULL ORDER BY sent_at`,
      )
      .all(planId, itemKey) as Row[];
    return rows.map(fromRow);
  }

  /** A later prompt for the same item sent to the same person (it replaces `row`'s card), if any. */
  newerPrompt(row: LedgerRow): LedgerRow | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE plan_id = ? AND item_key = ? AND person_id = ? AND id <> ? AND state = 'sent' AND claimed_at > ? ORDER BY claimed_at DESC LIMIT 1`,
      )
      .get(row.planId, row.itemKey, row.personId, row.id, row.claimedAt) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Sent prompts of an item answered at or after `since` (their cards show a receipt that may need replacing). */
  answeredSince(planId: string, itemKey: string, since: string): LedgerRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM prompt_ledger WHERE plan_id = ? AND item_key = ? AND state = 'sent' AND answered_at >= ? AND activity_id IS NOT NULL ORDER BY sent_at`,
      )
      .all(planId, itemKey, since) as Row[];
    return rows.map(fromRow);
  }

  /** Marks every open prompt of an item answered; returns the rows marked. */
  markAnswered(planId: string, itemKey: string, at: string, by: string): LedgerRow[] {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT * FROM prompt_ledger WHERE plan_id = ? AND item_key = ? AND state = 'sent' AND answered_at IS NULL`)
          .all(planId, itemKey) as Row[];
        this.db
          .prepare(
            `UPDATE prompt_ledger SET answered_at = ?, answered_by = ? WHERE plan_id = ? AND item_key = ? AND state = 'sent' AND answered_at IS NULL`,
          )
          .run(at, by, planId, itemKey);
        return rows.map(fromRow);
      })
      .immediate();
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
