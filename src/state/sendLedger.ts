/**
 * The send ledger port: makes the daily cards (and digests, escalations, notices) idempotent across
 * re-runs, restarts and several app instances. Adapters: embedded SQLite (bot/ledger.ts, one
 * instance or several on one host) and Azure Table storage (state/azure/azureSendLedger.ts, every
 * instance of a deployment). One contract suite (test/state/ledgerContract.ts) runs against both.
 *
 * The unit is one card a day per person (and plan): a row with item key `#card`, and the items the
 * card asks (each answered on its own). "Send prompt now" cards are their own unit (item key, reason
 * `requested`), as are notices and digests (item key `*`). A row's id is derived from its key
 * (domain/reminders.ts promptIdOf), so one id is one (plan, item, milestone, reason, person, day).
 *
 * Claim → send → mark. A row is written (state `claimed`) BEFORE anything is sent, conditionally, so
 * that only one run, in one instance, ever wins the claim. After the send the row becomes `sent`
 * (with the activity id, so the card can be replaced later) or `failed` (the service answered with
 * an error: nothing was delivered, a later run may claim it again).
 *
 * Crash recovery: a row left `claimed` longer than the lease (the process died between claim and
 * mark) may or may not have been delivered. It is never re-sent automatically (at most once); it is
 * turned `uncertain` and reported to the co-ordinator and in the digest.
 */
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

/**
 * `queued`: claimed by a prompt run and waiting on the send queue (STATE_STORE=azure); a worker
 * takes it over (`claimed`, by the worker) just before it sends.
 */
export type LedgerState = 'queued' | 'claimed' | 'sent' | 'failed' | 'uncertain' | 'unreachable' | 'planned';

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

/** States a later run may claim again: nothing was delivered. */
export const RECLAIMABLE: readonly LedgerState[] = ['failed', 'unreachable'];

export interface SentMark {
  at: string;
  conversationId: string;
  serviceUrl: string;
  activityId?: string;
  itemVersion?: string;
  /** How the person was reached (delivery.ts REACHED: an existing chat, a chat created, the app installed, e-mail). */
  detail?: string;
}

/**
 * Where a card's row is, when the caller knows it (a queued card's message says): saves looking it
 * up by id. `token`: the row as the run that queued it wrote it (`queuedToken`), so that taking it
 * over is one conditional write; a stale token costs a read, never a second take-over.
 */
export type CardPlace = Pick<LedgerKey, 'planId' | 'dateKey'> & { token?: string };

export interface SendLedger {
  /** Identifies this process in `claimedBy` (host:pid:start). */
  readonly instanceId: string;
  /**
   * Claims a send. True when this caller now owns it; false when another run (here or in another
   * instance) already claimed or sent it. Rows whose earlier attempt delivered nothing (failed,
   * unreachable) are claimed again atomically, with the items due now.
   */
  claim(key: LedgerKey, at: string, items?: readonly CardItem[], options?: { queued?: boolean }): Promise<boolean>;
  /**
   * A queue worker takes over a `queued` claim (made by a prompt run in any instance) just before it
   * sends: true for exactly one taker; false when the row is in any other state (already sent, or
   * taken by a worker that may have sent it) or another worker took it first.
   */
  takeOver(id: string, at: string, where?: CardPlace): Promise<boolean>;
  /**
   * What this instance knows of a card it has just claimed as `queued`, for the card's queue message
   * (`CardPlace.token`); adapter-specific, undefined when there is nothing to pass on.
   */
  queuedToken(id: string): string | undefined;
  markSent(id: string, sent: SentMark): Promise<void>;
  /** Nothing was delivered; a later run may claim it again. */
  markFailed(id: string, detail: string): Promise<void>;
  /** Teams cannot reach the person (no conversation, app removed, blocked). */
  markUnreachable(id: string, detail: string): Promise<void>;
  /** The send may have been delivered (timeout, connection lost): never retried automatically. */
  markUncertain(id: string, detail: string): Promise<void>;
  /** Crash recovery: claims older than `before` become `uncertain`; returns them. */
  expireClaims(before: string): Promise<LedgerRow[]>;
  get(id: string): Promise<LedgerRow | undefined>;
  /** The items a card asks, in card order (a single-item card from before daily cards: its one item). */
  cardItems(cardId: string): Promise<CardItemRow[]>;
  /** Sent cards (with an activity to replace) that ask about an item nobody has answered on them yet. */
  openCards(planId: string, itemKey: string): Promise<LedgerRow[]>;
  /** A later card asking about the same item sent to the same person (it replaces `row`'s), if any. */
  newerCard(row: LedgerRow, itemKey: string): Promise<LedgerRow | undefined>;
  /** Sent cards asking about an item answered at or after `since` (their receipts may need replacing). */
  answeredSince(planId: string, itemKey: string, since: string): Promise<LedgerRow[]>;
  /** Marks an item answered on every card that asked about it; returns the sent cards to refresh. */
  markAnswered(planId: string, itemKey: string, at: string, by: string): Promise<LedgerRow[]>;
  /** Every item asked on the cards of a plan whose date key is in [from, to], with its card. */
  cardItemsBetween(planId: string, from: string, to: string): Promise<Array<{ card: LedgerRow; item: CardItemRow }>>;
  /** Rows of a plan whose date key is in [from, to], by date key, item key and person name. */
  between(planId: string, from: string, to: string): Promise<LedgerRow[]>;
  count(): Promise<number>;
}
