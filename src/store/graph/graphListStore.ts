/**
 * The PlanStore on SharePoint lists through Microsoft Graph (lists defined in ./schema).
 *
 * - Plans, items and the lead directory are served from a cache kept fresh with list delta
 *   (./listCache): answering a card reads nothing of its own once the plan is loaded.
 * - Writes: an item PATCH carries `If-Match: {eTag}`, so a stale version is refused by SharePoint
 *   (412, or 409 "Save Conflict") and becomes a ConflictError with the item as it is now; a status
 *   report's history row rides in the same `$batch`, after the PATCH (./itemWrite): one round trip.
 * - Import: ./planImport. Directory: ./directory. Rows with a unique key are created once whatever
 *   the answer (./keyedWrite). 403s name the missing permission (src/graph/graphErrors).
 * - History rows carry a client-made update id in a unique column: a retry never doubles a row, and
 *   a row lost between the status write and the history write is restored the next time history is read.
 */
import { randomUUID } from 'node:crypto';
import { planIdOf } from '../../domain/identity';
import type { Plan, StatusUpdate } from '../../domain/model';
import { ConflictError, NotFoundError } from '../../errors';
import type { GraphHttp } from '../../graph/graphHttp';
import { graphErrorOf } from '../../graph/graphErrors';
import type { Logger } from '../../logger';
import { checkStatusChange, milestoneEdit, patchDocument, revisionsAfter, type ItemDocument } from '../itemDocument';
import type {
  DirectoryEntry,
  EditAudit,
  ImportProgress,
  ImportSummary,
  ItemPatch,
  Person,
  PlanStore,
  StatusChange,
  StoredItem,
  StoredPlan,
} from '../planStore';
import { deleteRole, peopleColumn, writeRole } from './directory';
import {
  clearedFields,
  directoryEntryOf,
  documentFields,
  etagOf,
  historyRecord,
  isAppItem,
  itemRef,
  lastUpdateRecord,
  leadFields,
  parseLastUpdate,
  planFromFields,
  revisionsFields,
  roleRef,
  statusFields,
  statusUpdateOf,
  storedItemOf,
  updateFields,
  type GraphItem,
} from './graphFields';
import { ensureHistory, writeItem } from './itemWrite';
import { ListCache } from './listCache';
import { queryUrl, readAll, readById, readByKey, sameKey, type Located, type StoreContext } from './listReads';
import { importPlanInto } from './planImport';
import { resolveLists } from './site';

/**
 * The largest page of list items: 5,000, SharePoint's list view threshold ("Manage large lists and
 * libraries", https://support.microsoft.com/office/b8588dae-9387-48c2-9248-c24122f07c59). Graph's
 * listitem-list page documents `$top` and paging but states no maximum of its own; a larger `$top`
 * is reported to come back capped at 5,000, which is also what the emulator does. Graph's default page is 200.
 */
export const MAX_LIST_ITEMS_PAGE = 5000;

/** How long cached rows are trusted before a read waits for a delta check: changes made elsewhere show within this. */
export const DEFAULT_CACHE_MAX_AGE_MS = 30_000;
/** How often the cache checks for changes in the background while it holds plans. */
export const DEFAULT_CACHE_REFRESH_MS = 15_000;

export interface GraphStoreOptions {
  http: GraphHttp;
  /** `hostname:/sites/path` */
  site: string;
  /** Page size for reads; at most MAX_LIST_ITEMS_PAGE. */
  pageSize?: number;
  logger?: Logger;
  /** Update ids; injectable for tests. */
  newId?: () => string;
  /** Rounds of re-reading and re-writing after lost answers or concurrent edits during an import. */
  importRounds?: number;
  /** How long cached rows are trusted before a read waits for a delta check (0: check before every read). */
  cacheMaxAgeMs?: number;
  /** Background delta checks while plans are held, every this many milliseconds (0: none). */
  cacheRefreshMs?: number;
  /** Milliseconds now, for the cache's age; injectable for tests. */
  now?: () => number;
}

export class GraphPlanStore implements PlanStore {
  readonly http: GraphHttp;
  private located?: Promise<Located>;
  private readonly newId: () => string;
  private readonly ctx: StoreContext;
  private readonly cache: ListCache;
  /**
   * Each cached row's item, made once and frozen: the cache replaces a row when it changes, never
   * alters one, so while a row stands its item is the same object (parsed once, not on every list),
   * and the API's item bytes (server/api/asciiJson.ts) are written once too, as for the SQLite store.
   */
  private readonly itemsOfRows = new WeakMap<GraphItem, StoredItem>();

  constructor(private readonly options: GraphStoreOptions) {
    this.http = options.http;
    this.newId = options.newId ?? randomUUID;
    this.ctx = {
      http: options.http,
      site: options.site,
      pageSize: Math.min(options.pageSize ?? MAX_LIST_ITEMS_PAGE, MAX_LIST_ITEMS_PAGE),
      ...(options.logger ? { logger: options.logger } : {}),
      locate: () => this.locate(),
    };
    this.cache = new ListCache(this.ctx, {
      maxAgeMs: options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS,
      refreshEveryMs: options.cacheRefreshMs ?? DEFAULT_CACHE_REFRESH_MS,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  // ------------------------------------------------------------ plans

  async listPlans(): Promise<StoredPlan[]> {
    const rows = await readAll(this.ctx, 'plans');
    return rows.sort((a, b) => Number(b.id) - Number(a.id)).map((r) => planFromFields(r.fields));
  }

  async getPlan(planId: string): Promise<StoredPlan | undefined> {
    const header = (await this.cache.plan(planId)).header;
    return header && planFromFields(header.fields);
  }

  async importPlan(plan: Plan, options?: { onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary> {
    try {
      return await importPlanInto(this.ctx, plan, {
        ...options,
        ...(this.options.importRounds ? { rounds: this.options.importRounds } : {}),
      });
    } finally {
      // Many rows changed: the plan loads again (one request) when next asked for.
      this.cache.forget(planIdOf(plan.plan));
    }
  }

  // ------------------------------------------------------------ items

  async listItems(planId: string): Promise<StoredItem[]> {
    const rows = [...(await this.cache.plan(planId)).items.values()];
    return rows
      .sort(
        (a, b) => Number(a.fields.Position) - Number(b.fields.Position) || String(a.fields.ItemKey).localeCompare(String(b.fields.ItemKey)),
      )
      .map((r) => this.itemOfRow(r));
  }

  private itemOfRow(row: GraphItem): StoredItem {
    let item = this.itemsOfRows.get(row);
    if (!item) {
      item = Object.freeze(storedItemOf(row.fields, etagOf(row)));
      this.itemsOfRows.set(row, item);
    }
    return item;
  }

  async getItem(planId: string, key: string): Promise<StoredItem | undefined> {
    const row = await this.itemRow(planId, key);
    return row && storedItemOf(row.fields, etagOf(row));
  }

  async updateStatus(planId: string, key: string, change: StatusChange, expectedVersion: string): Promise<StoredItem> {
    checkStatusChange(change);
    const row = await this.checkedItem(planId, key, expectedVersion);
    const current = storedItemOf(row.fields, etagOf(row));
    const record = lastUpdateRecord(this.newId(), current.status, change);
    // Both rows are built (and checked) before either is written.
    const fields = {
      ...statusFields(record),
      ...(change.revision ? revisionsFields(revisionsAfter(current.revisions, change) ?? null) : {}),
    };
    const history = updateFields(planId, key, record);
    const written = await this.write(planId, key, row, fields, history, (now) => parseLastUpdate(now.fields)?.updateId === record.updateId);
    return storedItemOf(written.fields, etagOf(written));
  }

  async updateItem(planId: string, key: string, patch: ItemPatch, expectedVersion: string, audit?: EditAudit): Promise<StoredItem> {
    const row = await this.checkedItem(planId, key, expectedVersion);
    const before = JSON.parse(String(row.fields.DocJson)) as ItemDocument;
    const doc = patchDocument(before, patch);
    const docFields = documentFields(planId, key, doc);
    const edit = milestoneEdit(storedItemOf(row.fields, etagOf(row)), patch, audit);
    const history = edit.entry ? updateFields(planId, key, historyRecord(this.newId(), edit.entry)) : undefined;
    const fields = { ...clearedFields(row.fields, docFields), ...docFields, ...(edit.dropRevisions ? revisionsFields(null) : {}) };
    const written = await this.write(planId, key, row, fields, history, (now) => now.fields.DocHash === docFields.DocHash);
    return storedItemOf(written.fields, etagOf(written));
  }

  private async write(
    planId: string,
    key: string,
    row: GraphItem,
    fields: Record<string, unknown>,
    history: Record<string, unknown> | undefined,
    applied: (now: GraphItem) => boolean,
  ): Promise<GraphItem> {
    try {
      const onWritten = (written: GraphItem) => this.cache.putItem(planId, written);
      return await writeItem(this.ctx, { planId, key, row, fields, ...(history ? { history } : {}), applied, onWritten });
    } catch (error) {
      if (error instanceof ConflictError) {
        const fresh = await readById(this.ctx, 'items', row.id);
        if (fresh) this.cache.putItem(planId, fresh);
      }
      throw error;
    }
  }

  /** The item at the version the caller saw; a version the cache does not know is checked with SharePoint. */
  private async checkedItem(planId: string, key: string, expectedVersion: string): Promise<GraphItem> {
    let row = await this.itemRow(planId, key);
    if (row && etagOf(row) !== expectedVersion) {
      row = await readById(this.ctx, 'items', row.id);
      if (row) this.cache.putItem(planId, row);
    }
    if (!row) throw new NotFoundError(`No item ${key} in plan ${planId}`);
    if (etagOf(row) !== expectedVersion)
      throw new ConflictError(`Item ${key} was changed by someone else`, storedItemOf(row.fields, etagOf(row)));
    return row;
  }

  /** From the cache; an item it does not know is looked for in SharePoint before it is said not to exist. */
  private async itemRow(planId: string, key: string): Promise<GraphItem | undefined> {
    const cached = (await this.cache.plan(planId)).items.get(key);
    if (cached) return cached;
    const found = await readByKey(this.ctx, 'items', 'ItemRef', itemRef(planId, key));
    if (!found || !isAppItem(found) || found.fields.PlanId !== planId) return undefined;
    this.cache.putItem(planId, found);
    return found;
  }

  // ------------------------------------------------------------ history

  async history(planId: string, key?: string): Promise<StatusUpdate[]> {
    const located = await this.locate();
    const steps = [
      key === undefined
        ? { id: 'updates', method: 'GET' as const, url: queryUrl(this.ctx, located, 'updates', 'PlanId', planId) }
        : { id: 'updates', method: 'GET' as const, url: queryUrl(this.ctx, located, 'updates', 'ItemRef', itemRef(planId, key)) },
      key === undefined
        ? { id: 'items', method: 'GET' as const, url: queryUrl(this.ctx, located, 'items', 'PlanId', planId) }
        : { id: 'items', method: 'GET' as const, url: queryUrl(this.ctx, located, 'items', 'ItemRef', itemRef(planId, key)) },
    ];
    // Both reads in one round trip.
    const answers = await this.http.batch<{ value: GraphItem[]; '@odata.nextLink'?: string }>(steps, { idempotent: true });
    const [rows, items] = await Promise.all(
      answers.map(async (answer, i) => {
        if (answer.status !== 200) throw graphErrorOf(answer.status, answer.body, 'GET', steps[i]!.url);
        const next = answer.body['@odata.nextLink'];
        return next ? answer.body.value.concat(await this.http.getAll<GraphItem>(this.http.relative(next))) : answer.body.value;
      }),
    );
    const updates = rows!
      .filter((r) => key === undefined || sameKey(r.fields.ItemRef, itemRef(planId, key)))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => statusUpdateOf(r.fields));
    const written = new Set(updates.map((u) => u.updateId));
    // Repair: a report whose history row was lost between the two writes is written now.
    for (const item of items!.filter(isAppItem).filter((i) => i.fields.PlanId === planId)) {
      const last = parseLastUpdate(item.fields);
      if (!last || written.has(last.updateId)) continue;
      const itemKey = String(item.fields.ItemKey);
      if (key !== undefined && itemKey !== key) continue;
      this.options.logger?.warn({ planId, key: itemKey }, 'restoring a history row that was not written');
      await ensureHistory(this.ctx, updateFields(planId, itemKey, last));
      updates.push({ ...last, itemKey });
    }
    return updates.map(({ updateId: _id, ...u }) => u as StatusUpdate);
  }

  // ------------------------------------------------------------ directory

  async listDirectory(planId: string): Promise<DirectoryEntry[]> {
    const rows = [...(await this.cache.plan(planId)).leads.values()];
    return rows.map((r) => directoryEntryOf(r.fields)).sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  }

  async setPeople(planId: string, role: string, people: Person[]): Promise<void> {
    if (!(await this.getPlan(planId))) throw new NotFoundError(`No plan ${planId}`);
    const fields = { ...leadFields(planId, { role, people }), ...(await peopleColumn(this.ctx, people)) };
    // A role the cache does not know is created by its unique RoleRef; a clash finds the row instead.
    const row = await writeRole(this.ctx, await this.cachedRole(planId, role), fields);
    this.cache.putLead(planId, row);
  }

  async removeRole(planId: string, role: string): Promise<void> {
    const row = (await this.cachedRole(planId, role)) ?? (await readByKey(this.ctx, 'leads', 'RoleRef', roleRef(planId, role)));
    if (!row) return;
    await deleteRole(this.ctx, row);
    this.cache.removeLead(planId, String(row.id));
  }

  /** A role's row as cached (RoleRef compared as SharePoint compares text, without case). */
  private async cachedRole(planId: string, role: string): Promise<GraphItem | undefined> {
    const ref = roleRef(planId, role);
    return [...(await this.cache.plan(planId)).leads.values()].find((r) => sameKey(r.fields.RoleRef, ref));
  }

  /** Brings cached plans, items and directory up to date now, as the background check does. */
  async checkForChanges(): Promise<void> {
    await this.cache.check();
  }

  async close(): Promise<void> {
    // HTTP connections are pooled by fetch; the background checks stop.
    this.cache.close();
  }

  private locate(): Promise<Located> {
    if (!this.located) {
      this.located = resolveLists(this.http, this.options.site);
      this.located.catch(() => {
        this.located = undefined;
      });
    }
    return this.located;
  }
}
