/**
 * The send ledger in Azure Table storage (STATE_STORE=azure), shared by every instance. The port and
 * its rules are in state/sendLedger.ts; the same contract suite runs against this and SQLite.
 *
 * One table, three kinds of entity (PartitionKey, RowKey):
 *   - a card (a ledger row): (plan, `c|<date key>|<id>`), so a plan's days are one range query;
 *   - an item a card asks: (plan, `i|<item key>|<card id>`), so every card asking about an item is
 *     one range query; the card lists its items' keys in card order;
 *   - where a card is: (`%ids`, <id>), for lookups by id (answers carry only the card's id).
 *
 * Claims are conditional writes, so two instances can never both claim a card: a new card is
 * inserted (Insert Entity answers 409 when it exists) in one entity group transaction with its
 * items; a card whose earlier send delivered nothing is re-claimed with Update Entity and the ETag
 * read (412 when someone else changed it first). Every later change of a card is ETag-conditional.
 *
 * Fewer round trips per card (a send worker takes a card over, then marks it): each instance keeps,
 * for the cards it last touched, where the card is (fixed: its id is derived from its key) and the
 * card with the ETag it last read or wrote. A change starts from that copy; when another instance
 * changed the card since, the service answers 412 and the change reads the card afresh, so the
 * copy only saves reads and never decides anything on its own.
 * https://learn.microsoft.com/rest/api/storageservices/insert-entity
 * https://learn.microsoft.com/rest/api/storageservices/update-entity2
 * https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions
 */
import {
  odata,
  type TableClient,
  type TableEntity,
  type TableEntityResult,
  type TableTransactionResponse,
  type TransactionAction,
} from '@azure/data-tables';
import {
  RECLAIMABLE,
  type CardItem,
  type CardItemRow,
  type CardPlace,
  type LedgerKey,
  type LedgerRow,
  type LedgerState,
  type SendLedger,
  type SentMark,
} from '../sendLedger';
import { rowKey } from './keys';
import { statusOf } from './storageErrors';

const IDS = '%ids'; // an encoded plan id never starts with a bare '%'
/** Operations in one entity group transaction (the service allows 100). */
const MAX_BATCH = 100;
/** Cards whose place and last-seen copy an instance keeps (the oldest are forgotten first). */
const KNOWN_CARDS = 5_000;

interface CardEntity extends LedgerRow {
  partitionKey: string;
  rowKey: string;
  itemKeys: string;
}

interface ItemEntity {
  partitionKey: string;
  rowKey: string;
  cardId: string;
  cardRowKey: string;
  planId: string;
  itemKey: string;
  slot: string;
  onCard: boolean;
  reason: string;
  milestone?: string;
  daysUntil?: number;
  periodLabel?: string;
  periodEnd?: string;
  roles: string;
  deputy?: string;
  answeredAt?: string;
  answeredBy?: string;
}

interface IdEntity {
  partitionKey: string;
  rowKey: string;
  planId: string;
  cardRowKey: string;
}

const lostRace = (err: unknown) => statusOf(err) === 409 || statusOf(err) === 412;

/** An entity as read, without what the service adds (ETag, timestamp), to write back. */
function entityOf<T extends object>(read: TableEntityResult<T>): T {
  const { etag, timestamp, ...rest } = read as TableEntityResult<T> & { 'odata.metadata'?: string };
  void etag;
  void timestamp;
  return rest as unknown as T;
}

/** Ordinal comparison, as SQLite's BINARY collation orders text. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

const cardRowKey = (dateKey: string, id: string) => `c|${dateKey}|${rowKey(id)}`;
const itemRowKey = (itemKey: string, cardId: string) => `i|${rowKey(itemKey)}|${rowKey(cardId)}`;

const ROW_FIELDS = [
  'id',
  'planId',
  'itemKey',
  'milestone',
  'reason',
  'personId',
  'personName',
  'dateKey',
  'state',
  'claimedAt',
  'claimedBy',
  'sentAt',
  'conversationId',
  'serviceUrl',
  'activityId',
  'itemVersion',
  'answeredAt',
  'answeredBy',
  'detail',
] as const;

function rowOf(e: CardEntity): LedgerRow {
  const out: Record<string, unknown> = {};
  for (const f of ROW_FIELDS) if (e[f] !== undefined && e[f] !== null && e[f] !== '') out[f] = e[f];
  // Key fields may legitimately be empty (a card's milestone).
  for (const f of ['milestone', 'itemKey', 'personName'] as const) out[f] = e[f] ?? '';
  return out as unknown as LedgerRow;
}

function itemOf(e: ItemEntity): CardItemRow {
  const out: CardItemRow = {
    cardId: e.cardId,
    planId: e.planId,
    itemKey: e.itemKey,
    slot: e.slot,
    onCard: e.onCard,
    reason: e.reason,
    roles: JSON.parse(e.roles) as string[],
  };
  if (e.milestone) out.milestone = e.milestone;
  if (e.daysUntil !== undefined && e.daysUntil !== null) out.daysUntil = e.daysUntil;
  if (e.periodLabel) out.periodLabel = e.periodLabel;
  if (e.periodEnd) out.periodEnd = e.periodEnd;
  if (e.deputy) out.deputy = e.deputy;
  if (e.answeredAt) out.answeredAt = e.answeredAt;
  if (e.answeredBy) out.answeredBy = e.answeredBy;
  return out;
}

/** A `queuedToken` read back: the card as its claimant wrote it, or undefined when it is not one (for another card, or garbled). */
function tokenOf(token: string, id: string): { card: CardEntity; etag: string } | undefined {
  try {
    const t = JSON.parse(token) as { card?: CardEntity; etag?: unknown };
    if (t.card?.id !== id || typeof t.card.partitionKey !== 'string' || typeof t.card.rowKey !== 'string' || typeof t.etag !== 'string')
      return undefined;
    return { card: t.card, etag: t.etag };
  } catch {
    return undefined;
  }
}

/** A card as this instance last read or wrote it: where it is, and (when known) the card and its ETag. */
interface Known {
  pk: string;
  rk: string;
  card?: CardEntity;
  etag?: string;
}

export class AzureSendLedger implements SendLedger {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly table: TableClient,
    readonly instanceId: string,
  ) {}

  private remember(id: string, known: Known): void {
    this.known.delete(id);
    this.known.set(id, known);
    if (this.known.size > KNOWN_CARDS) this.known.delete(this.known.keys().next().value!);
  }

  async claim(key: LedgerKey, at: string, items: readonly CardItem[] = [], options: { queued?: boolean } = {}): Promise<boolean> {
    const pk = rowKey(key.planId);
    const rk = cardRowKey(key.dateKey, key.id);
    this.remember(key.id, { pk, rk });
    // Where the card is: the same for every claimant (the id is derived from the key), written beside
    // the claim (nobody looks a card up by id before its claimant has queued or sent it). Created, not
    // upserted (in Azurite an upsert is a read and a write): one that is there already says the same.
    const placed = this.table
      .createEntity<IdEntity>({ partitionKey: IDS, rowKey: rowKey(key.id), planId: key.planId, cardRowKey: rk })
      .catch((err: unknown) => {
        if (statusOf(err) !== 409) throw err;
      });
    // Items on the card first, in the order they were given (as the SQLite adapter reads them back).
    const ordered = [...items.filter((i) => i.onCard), ...items.filter((i) => !i.onCard)];
    const card: CardEntity = defined({
      partitionKey: pk,
      rowKey: rk,
      ...key,
      state: (options.queued ? 'queued' : 'claimed') as LedgerState,
      claimedAt: at,
      claimedBy: this.instanceId,
      itemKeys: JSON.stringify(ordered.map((i) => i.itemKey)),
    });
    const itemActions = ordered.map((i): TransactionAction => ['upsert', this.itemEntity(key, rk, i) as unknown as TableEntity, 'Replace']);
    // A new card's items cannot be there yet (cards are never deleted), so they are created with it,
    // in the first batch, which costs Azurite no read each; the fallback below writes over any left.
    const newItems = itemActions.map((a, n): TransactionAction => (n < MAX_BATCH - 1 ? ['create', a[1]] : a));
    const [place, created] = await Promise.allSettled([placed, this.inOneStep([['create', card as unknown as TableEntity], ...newItems])]);
    if (place.status === 'rejected') throw place.reason;
    if (created.status === 'fulfilled') {
      this.rememberWritten(key.id, card, created.value);
      return true;
    }
    if (!lostRace(created.reason)) throw created.reason;
    const existing = await this.cardAt(pk, rk);
    if (!existing) {
      // Not the card: item rows of this card id were there without it. Written over, with the card.
      try {
        this.rememberWritten(key.id, card, await this.inOneStep([['create', card as unknown as TableEntity], ...itemActions]));
        return true;
      } catch (err) {
        if (lostRace(err)) return false;
        throw err;
      }
    }
    // It exists: claimed again only when its earlier attempt delivered nothing.
    if (!RECLAIMABLE.includes(existing.state)) return false;
    const stale = (JSON.parse(existing.itemKeys || '[]') as string[]).filter((k) => !ordered.some((i) => i.itemKey === k));
    const reclaimed: CardEntity = defined({ ...entityOf(existing), ...card });
    delete (reclaimed as Partial<CardEntity>).detail;
    try {
      const written = await this.inOneStep([
        ['update', reclaimed as unknown as TableEntity, 'Replace', { etag: existing.etag }],
        ...stale.map((k): TransactionAction => ['delete', { partitionKey: pk, rowKey: itemRowKey(k, key.id) }]),
        ...itemActions,
      ]);
      this.rememberWritten(key.id, reclaimed, written);
      return true;
    } catch (err) {
      if (lostRace(err)) return false;
      throw err;
    }
  }

  /**
   * One entity group transaction; what does not fit in one runs after the first batch (with the
   * claim) went through. Returns the first batch's answer (its first action is the card).
   */
  private async inOneStep(actions: TransactionAction[]): Promise<TableTransactionResponse> {
    const first = await this.table.submitTransaction(actions.slice(0, MAX_BATCH));
    for (let i = MAX_BATCH; i < actions.length; i += MAX_BATCH) await this.table.submitTransaction(actions.slice(i, i + MAX_BATCH));
    return first;
  }

  /** The card as this instance's claim wrote it, with its new ETag (the card is the transaction's first action). */
  private rememberWritten(id: string, card: CardEntity, written: TableTransactionResponse): void {
    const etag = written.subResponses[0]?.etag;
    this.remember(id, { pk: card.partitionKey, rk: card.rowKey, card, ...(etag ? { etag } : {}) });
  }

  queuedToken(id: string): string | undefined {
    const known = this.known.get(id);
    return known?.card?.state === 'queued' && known.etag ? JSON.stringify({ card: known.card, etag: known.etag }) : undefined;
  }

  private itemEntity(key: LedgerKey, cardRk: string, i: CardItem): ItemEntity {
    return defined({
      partitionKey: rowKey(key.planId),
      rowKey: itemRowKey(i.itemKey, key.id),
      cardId: key.id,
      cardRowKey: cardRk,
      planId: key.planId,
      itemKey: i.itemKey,
      slot: i.slot,
      onCard: i.onCard,
      reason: i.reason,
      milestone: i.milestone,
      daysUntil: i.daysUntil,
      periodLabel: i.periodLabel,
      periodEnd: i.periodEnd,
      roles: JSON.stringify(i.roles),
      deputy: i.deputy,
    });
  }

  private async cardAt(pk: string, rk: string): Promise<TableEntityResult<CardEntity> | undefined> {
    try {
      return await this.table.getEntity<CardEntity>(pk, rk);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Where a card is, from its `%ids` row. */
  private async lookUp(id: string): Promise<{ pk: string; rk: string } | undefined> {
    try {
      const where = await this.table.getEntity<IdEntity>(IDS, rowKey(id));
      return { pk: rowKey(where.planId), rk: where.cardRowKey };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * The card as it is now (read from the service), where this instance knows it to be (a place never
   * changes: the id is derived from the key); looked up by id when it does not know, or finds nothing there.
   */
  private async card(id: string): Promise<TableEntityResult<CardEntity> | undefined> {
    const known = this.known.get(id);
    let card = known ? await this.cardAt(known.pk, known.rk) : undefined;
    let place: { pk: string; rk: string } | undefined = known;
    if (!card) {
      place = await this.lookUp(id);
      if (!place) return undefined;
      if (!known || known.pk !== place.pk || known.rk !== place.rk) card = await this.cardAt(place.pk, place.rk);
    }
    if (card && place) this.remember(id, { pk: place.pk, rk: place.rk, card: entityOf(card), etag: card.etag });
    return card;
  }

  /**
   * Changes a card when `allowed` says so, conditionally on the ETag read; re-reads and tries again
   * when someone else changed it in between. False when it is not (or no longer) allowed.
   */
  private async change(
    id: string,
    allowed: (card: CardEntity) => boolean,
    update: (card: CardEntity) => Partial<CardEntity>,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      // The copy this instance last read or wrote, when it allows the change (a 412 below means it was stale).
      const known = attempt === 0 ? this.known.get(id) : undefined;
      let card: CardEntity | undefined;
      let etag: string | undefined;
      if (known?.card && known.etag && allowed(known.card)) ({ card, etag } = known);
      else {
        const read = await this.card(id);
        if (read) [card, etag] = [entityOf(read), read.etag];
      }
      if (!card || !allowed(card)) return false;
      const next = defined({ ...card, ...update(card) });
      try {
        const written = await this.table.updateEntity(next, 'Replace', { etag });
        this.remember(id, { pk: next.partitionKey, rk: next.rowKey, card: next, ...(written.etag ? { etag: written.etag } : {}) });
        return true;
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
      }
    }
    throw new Error(`ledger row ${id} kept changing under this instance; its state is unknown`);
  }

  async takeOver(id: string, at: string, where?: CardPlace): Promise<boolean> {
    // The row as the queuing run wrote it: taken over with one conditional write (412 when it changed since: read again).
    const token = where?.token ? tokenOf(where.token, id) : undefined;
    if (token) this.remember(id, { pk: token.card.partitionKey, rk: token.card.rowKey, card: token.card, etag: token.etag });
    else if (where && !this.known.has(id)) this.remember(id, { pk: rowKey(where.planId), rk: cardRowKey(where.dateKey, id) });
    return this.change(
      id,
      (c) => c.state === 'queued',
      () => ({ state: 'claimed', claimedBy: this.instanceId, claimedAt: at }),
    );
  }

  private mine = (c: CardEntity) => c.claimedBy === this.instanceId;

  async markSent(id: string, sent: SentMark): Promise<void> {
    await this.change(id, this.mine, () => ({
      state: 'sent',
      sentAt: sent.at,
      conversationId: sent.conversationId,
      serviceUrl: sent.serviceUrl,
      activityId: sent.activityId as string,
      itemVersion: sent.itemVersion as string,
      detail: sent.detail as string,
    }));
  }

  async markFailed(id: string, detail: string): Promise<void> {
    await this.change(id, this.mine, () => ({ state: 'failed', detail }));
  }

  async markUnreachable(id: string, detail: string): Promise<void> {
    await this.change(id, this.mine, () => ({ state: 'unreachable', detail }));
  }

  async markUncertain(id: string, detail: string): Promise<void> {
    await this.change(
      id,
      () => true,
      () => ({ state: 'uncertain', detail }),
    );
  }

  async expireClaims(before: string): Promise<LedgerRow[]> {
    const out: LedgerRow[] = [];
    const detail = 'claimed but never marked: the process stopped mid-send';
    const stuck = this.table.listEntities<CardEntity>({ queryOptions: { filter: odata`state eq 'claimed' and claimedAt lt ${before}` } });
    for await (const card of stuck) {
      try {
        const next: CardEntity = { ...entityOf(card), state: 'uncertain', detail };
        await this.table.updateEntity(defined(next), 'Replace', { etag: card.etag });
        out.push(rowOf(next));
      } catch (err) {
        // Marked (or expired by another instance) since it was read: not this run's to report.
        if (statusOf(err) !== 412) throw err;
      }
    }
    return out;
  }

  async get(id: string): Promise<LedgerRow | undefined> {
    const card = await this.card(id);
    return card ? rowOf(card) : undefined;
  }

  private async itemsOf(card: CardEntity): Promise<CardItemRow[]> {
    const keys = JSON.parse(card.itemKeys || '[]') as string[];
    const items = await Promise.all(
      keys.map((k) =>
        this.table.getEntity<ItemEntity>(card.partitionKey, itemRowKey(k, card.id)).catch((err: unknown) => {
          if (statusOf(err) === 404) return undefined;
          throw err;
        }),
      ),
    );
    return items.filter((i) => !!i).map(itemOf);
  }

  async cardItems(cardId: string): Promise<CardItemRow[]> {
    const card = await this.card(cardId);
    return card ? this.itemsOf(card) : [];
  }

  /** Every card item asking about an item of a plan. */
  private async itemRows(planId: string, itemKey: string): Promise<ItemEntity[]> {
    const prefix = `i|${rowKey(itemKey)}|`;
    const out: ItemEntity[] = [];
    const filter = odata`PartitionKey eq ${rowKey(planId)} and RowKey ge ${prefix} and RowKey lt ${`i|${rowKey(itemKey)}}`}`;
    for await (const e of this.table.listEntities<ItemEntity>({ queryOptions: { filter } })) if (e.itemKey === itemKey) out.push(e);
    return out;
  }

  private async cardsOf(items: readonly ItemEntity[]): Promise<CardEntity[]> {
    const byId = new Map(items.map((i) => [i.cardId, i]));
    const cards = await Promise.all([...byId.values()].map((i) => this.cardAt(i.partitionKey, i.cardRowKey)));
    return cards.filter((c) => !!c);
  }

  private static sentOnes(cards: readonly CardEntity[]): LedgerRow[] {
    return cards
      .filter((c) => c.state === 'sent' && c.activityId)
      .map(rowOf)
      .sort((a, b) => cmp(a.sentAt ?? '', b.sentAt ?? ''));
  }

  async openCards(planId: string, itemKey: string): Promise<LedgerRow[]> {
    const items = (await this.itemRows(planId, itemKey)).filter((i) => !i.answeredAt);
    return AzureSendLedger.sentOnes(await this.cardsOf(items));
  }

  async newerCard(row: LedgerRow, itemKey: string): Promise<LedgerRow | undefined> {
    const items = (await this.itemRows(row.planId, itemKey)).filter((i) => i.onCard && i.cardId !== row.id);
    const newer = (await this.cardsOf(items))
      .filter((c) => c.personId === row.personId && c.state === 'sent' && c.claimedAt > row.claimedAt)
      .sort((a, b) => cmp(b.claimedAt, a.claimedAt));
    return newer[0] ? rowOf(newer[0]) : undefined;
  }

  async answeredSince(planId: string, itemKey: string, since: string): Promise<LedgerRow[]> {
    const items = (await this.itemRows(planId, itemKey)).filter((i) => i.answeredAt && i.answeredAt >= since);
    return AzureSendLedger.sentOnes(await this.cardsOf(items));
  }

  async markAnswered(planId: string, itemKey: string, at: string, by: string): Promise<LedgerRow[]> {
    const open = (await this.itemRows(planId, itemKey)).filter((i) => !i.answeredAt);
    const cards = AzureSendLedger.sentOnes(await this.cardsOf(open));
    for (const item of open) {
      const { etag } = item as TableEntityResult<ItemEntity>;
      try {
        await this.table.updateEntity<Partial<ItemEntity>>(
          { partitionKey: item.partitionKey, rowKey: item.rowKey, answeredAt: at, answeredBy: by },
          'Merge',
          { etag },
        );
      } catch (err) {
        // Answered by someone else in between (412), or the card was re-claimed without it (404): theirs stands.
        if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
      }
    }
    return cards;
  }

  private async cardsBetween(planId: string, from: string, to: string): Promise<CardEntity[]> {
    const filter = odata`PartitionKey eq ${rowKey(planId)} and RowKey ge ${`c|${from}|`} and RowKey lt ${`c|${to}}`}`;
    const out: CardEntity[] = [];
    for await (const e of this.table.listEntities<CardEntity>({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  async cardItemsBetween(planId: string, from: string, to: string): Promise<Array<{ card: LedgerRow; item: CardItemRow }>> {
    const cards = (await this.cardsBetween(planId, from, to)).sort(
      (a, b) => cmp(a.dateKey, b.dateKey) || cmp(a.personName, b.personName) || cmp(a.claimedAt, b.claimedAt) || cmp(a.id, b.id),
    );
    const withItems = await Promise.all(cards.map(async (c) => ({ card: rowOf(c), items: await this.itemsOf(c) })));
    return withItems.flatMap(({ card, items }) => items.map((item) => ({ card, item })));
  }

  async between(planId: string, from: string, to: string): Promise<LedgerRow[]> {
    return (await this.cardsBetween(planId, from, to))
      .map(rowOf)
      .sort((a, b) => cmp(a.dateKey, b.dateKey) || cmp(a.itemKey, b.itemKey) || cmp(a.personName, b.personName));
  }

  async count(): Promise<number> {
    let n = 0;
    const cards = this.table.listEntities({
      queryOptions: { filter: odata`PartitionKey ne ${IDS} and RowKey ge 'c|' and RowKey lt 'c}'`, select: ['RowKey'] },
    });
    for await (const page of cards.byPage()) n += page.length;
    return n;
  }
}
