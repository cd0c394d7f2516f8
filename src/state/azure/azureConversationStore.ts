/**
 * Conversation references in Azure Table storage (STATE_STORE=azure), shared by every instance. The
 * port is state/conversationStore.ts; the same contract suite runs against this and SQLite.
 *
 * One table: the references (`ref`, key) and two look-up indexes, by a person's ids (`who`, id|key)
 * and by conversation id (`conv`, conversation|key). Index rows are only hints: every hit is checked
 * against the reference itself, so an index row left behind by a changed id finds nothing.
 * Two small partitions beside them: `chan` (channel id → the team it belongs to) and `svc`, one row
 * always pointing at the most recently updated reference that named a tenant (latestService), kept
 * on every save; a stale pointer (an older write landing last) is corrected on the next save.
 * Changes to a reference are ETag-conditional and retried when another instance changed it first.
 * https://learn.microsoft.com/azure/storage/tables/table-storage-design-patterns#inter-partition-secondary-index-pattern
 */
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { ChannelLink, ConversationRef, ConversationStore, LatestService, NewConversationRef } from '../conversationStore';
import { bestPersonRef, isPersonRef } from '../personRefs';
import { rowKey } from './keys';
import { statusOf } from './storageErrors';

const REF = 'ref';
const WHO = 'who';
const CONV = 'conv';
const CHAN = 'chan';
const SVC = 'svc';
const LATEST = 'latest';

interface ServiceEntity {
  partitionKey: string;
  rowKey: string;
  key: string;
  updatedAt: string;
}

interface ChannelEntity {
  partitionKey: string;
  rowKey: string;
  channelId: string;
  teamId: string;
  tenantId?: string;
  updatedAt: string;
}

type RefEntity = ConversationRef & { partitionKey: string; rowKey: string };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const FIELDS = [
  'key',
  'kind',
  'userId',
  'aadObjectId',
  'upn',
  'name',
  'conversationId',
  'serviceUrl',
  'tenantId',
  'botId',
  'botName',
  'teamId',
  'installedAt',
  'updatedAt',
  'removedAt',
] as const;

function refOf(e: Partial<RefEntity>): ConversationRef {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (e[f] !== undefined && e[f] !== null && e[f] !== '') out[f] = e[f];
  return out as unknown as ConversationRef;
}

function entityOf(ref: ConversationRef): RefEntity {
  return { partitionKey: REF, rowKey: rowKey(ref.key), ...refOf(ref) };
}

export class AzureConversationStore implements ConversationStore {
  constructor(private readonly table: TableClient) {}

  private async read(key: string): Promise<TableEntityResult<RefEntity> | undefined> {
    try {
      return await this.table.getEntity<RefEntity>(REF, rowKey(key));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Writes `next(current)` conditionally on what was read; tries again when another instance wrote in between. */
  private async write(
    key: string,
    next: (current: ConversationRef | undefined) => ConversationRef | undefined,
  ): Promise<ConversationRef | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.read(key);
      const ref = next(current ? refOf(current) : undefined);
      if (!ref) return undefined;
      try {
        if (current) await this.table.updateEntity(entityOf(ref), 'Replace', { etag: current.etag });
        else await this.table.createEntity(entityOf(ref));
        await this.index(ref);
        return ref;
      } catch (err) {
        if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      }
    }
    throw new Error(`conversation reference ${key} kept changing under this instance`);
  }

  private async index(ref: ConversationRef): Promise<void> {
    const ids = [ref.aadObjectId, ref.userId, ref.upn].filter((i): i is string => !!i).map((i) => i.toLowerCase());
    await Promise.all([
      ...[...new Set(ids)].map((id) =>
        this.table.upsertEntity({ partitionKey: WHO, rowKey: `${rowKey(id)}|${rowKey(ref.key)}`, key: ref.key }, 'Replace'),
      ),
      this.table.upsertEntity({ partitionKey: CONV, rowKey: `${rowKey(ref.conversationId)}|${rowKey(ref.key)}`, key: ref.key }, 'Replace'),
    ]);
  }

  async save(ref: NewConversationRef, at: string): Promise<void> {
    const saved = await this.write(ref.key, (before) => {
      const merged: ConversationRef = {
        ...(before ?? {}),
        ...Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined && v !== null)),
        key: ref.key,
        kind: ref.kind,
        conversationId: ref.conversationId,
        serviceUrl: ref.serviceUrl,
        installedAt: before && !before.removedAt ? before.installedAt : at,
        updatedAt: at,
      };
      delete merged.removedAt;
      return merged;
    });
    if (saved?.tenantId) await this.pointLatestAt(saved);
  }

  /** Moves the `svc` pointer to `ref` unless it already points at a later one (ETag-conditional). */
  private async pointLatestAt(ref: ConversationRef): Promise<void> {
    const entity: ServiceEntity = { partitionKey: SVC, rowKey: LATEST, key: ref.key, updatedAt: ref.updatedAt };
    for (let attempt = 0; attempt < 5; attempt++) {
      let current: TableEntityResult<ServiceEntity> | undefined;
      try {
        current = await this.table.getEntity<ServiceEntity>(SVC, LATEST);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      if (current && current.key !== ref.key && current.updatedAt > ref.updatedAt) return;
      try {
        if (current) await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
        else await this.table.createEntity(entity);
        return;
      } catch (err) {
        if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      }
    }
  }

  async latestService(): Promise<LatestService | undefined> {
    let pointer: ServiceEntity;
    try {
      pointer = await this.table.getEntity<ServiceEntity>(SVC, LATEST);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
    const ref = await this.get(pointer.key);
    if (!ref?.tenantId) return undefined;
    return {
      serviceUrl: ref.serviceUrl,
      tenantId: ref.tenantId,
      ...(ref.botId ? { botId: ref.botId } : {}),
      ...(ref.botName ? { botName: ref.botName } : {}),
    };
  }

  async linkChannel(link: ChannelLink, at: string): Promise<void> {
    // Merge keeps a tenant already known when this link names none.
    await this.table.upsertEntity<ChannelEntity>(
      {
        partitionKey: CHAN,
        rowKey: rowKey(link.channelId),
        channelId: link.channelId,
        teamId: link.teamId,
        ...(link.tenantId ? { tenantId: link.tenantId } : {}),
        updatedAt: at,
      },
      'Merge',
    );
  }

  async channelLink(channelId: string): Promise<ChannelLink | undefined> {
    try {
      const e = await this.table.getEntity<ChannelEntity>(CHAN, rowKey(channelId));
      return { channelId: e.channelId, teamId: e.teamId, ...(e.tenantId ? { tenantId: e.tenantId } : {}) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async setUpn(key: string, upn: string): Promise<void> {
    await this.write(key, (before) => before && { ...before, upn });
  }

  async markRemoved(key: string, at: string): Promise<boolean> {
    const removed = await this.write(key, (before) => before && { ...before, removedAt: at, updatedAt: at });
    if (removed?.tenantId) await this.pointLatestAt(removed);
    return !!removed;
  }

  async get(key: string): Promise<ConversationRef | undefined> {
    const e = await this.read(key);
    return e ? refOf(e) : undefined;
  }

  /** References an index points at for `value` (but `except`, read already), checked against the references themselves. */
  private async viaIndex(partition: string, value: string, except?: string): Promise<ConversationRef[]> {
    const prefix = `${rowKey(value)}|`;
    const keys = new Set<string>();
    const filter = odata`PartitionKey eq ${partition} and RowKey ge ${prefix} and RowKey lt ${`${rowKey(value)}}`}`;
    for await (const e of this.table.listEntities<{ key: string }>({ queryOptions: { filter } })) if (e.key !== except) keys.add(e.key);
    const refs = await Promise.all([...keys].map((k) => this.get(k)));
    return refs.filter((r): r is ConversationRef => !!r);
  }

  async findPerson(id: string): Promise<ConversationRef | undefined> {
    const lower = id.toLowerCase();
    const own = `user:${lower}`;
    // The person's own key is read beside the index query, not again for its index row.
    const [byKey, indexed] = await Promise.all([this.get(own), this.viaIndex(WHO, lower, own)]);
    return bestPersonRef([...(byKey ? [byKey] : []), ...indexed].filter((r) => isPersonRef(r, id)));
  }

  async findPersonByConversation(conversationId: string): Promise<ConversationRef | undefined> {
    const refs = (await this.viaIndex(CONV, conversationId)).filter((r) => r.conversationId === conversationId);
    return refs.sort((a, b) => cmp(b.updatedAt, a.updatedAt))[0];
  }

  private async list(filter: string): Promise<ConversationRef[]> {
    const out: ConversationRef[] = [];
    for await (const e of this.table.listEntities<RefEntity>({ queryOptions: { filter } })) out.push(refOf(e));
    return out;
  }

  async channels(): Promise<ConversationRef[]> {
    const refs = await this.list(odata`PartitionKey eq ${REF} and kind eq 'channel'`);
    return refs.filter((r) => !r.removedAt).sort((a, b) => cmp(b.updatedAt, a.updatedAt));
  }

  async all(): Promise<ConversationRef[]> {
    return (await this.list(odata`PartitionKey eq ${REF}`)).sort((a, b) => cmp(a.key, b.key));
  }
}
