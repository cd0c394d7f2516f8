/**
 * The PlanStore on SharePoint lists through Microsoft Graph (lists defined in ./schema).
 *
 * - Reads: `expand=fields`, `$filter` on one indexed column, `$top` = the largest page SharePoint
 *   serves for list items (5,000, its list view threshold; Graph's default page is 200), then
 *   `@odata.nextLink` until the last page. https://learn.microsoft.com/en-us/graph/api/listitem-list,
 *   https://learn.microsoft.com/en-us/graph/paging
 * - Writes: PATCH `/items/{id}/fields` with `If-Match: {eTag}`; Graph answers 412 when the item
 *   changed, which becomes a ConflictError carrying the current item; nothing is written.
 *   https://learn.microsoft.com/en-us/graph/api/listitem-update
 * - Import: one read of the plan, then only the items that are new or whose document changed
 *   (content hash), in JSON batches of 20. https://learn.microsoft.com/en-us/graph/json-batching
 * - History: written after the successful If-Match PATCH, keyed by a client-made update id in a
 *   unique column, so a retried write can never double a row; a row lost to a crash between the two
 *   writes is restored from the item's last report the next time history is read.
 */
import { randomUUID } from 'node:crypto';
import type { Plan, StatusUpdate } from '../../domain/model';
import { ConflictError, NotFoundError } from '../../errors';
import type { Logger } from '../../logger';
import {
  checkImportable,
  checkStatusChange,
  documentHash,
  documentOf,
  milestoneEdit,
  patchDocument,
  revisionsAfter,
  storedPlanOf,
  type ItemDocument,
} from '../itemDocument';
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
  newItemFields,
  odataString,
  parseLastUpdate,
  planFields,
  revisionsFields,
  roleRef,
  statusFields,
  statusUpdateOf,
  storedItemOf,
  planFromFields,
  updateFields,
  type Fields,
  type GraphItem,
} from './graphFields';
import { ANSWER_LOST, GraphRequestError, type BatchStep, type GraphHttp } from '../../graph/graphHttp';
import type { ListIds } from './schema';
import { resolveLists } from './site';

/** SharePoint's hidden list of a site's users, addressed by title; person columns hold its item ids. */
const USER_INFORMATION_LIST = 'User Information List';

/**
 * The largest page of list items: 5,000, SharePoint's list view threshold ("Manage large lists and
 * libraries", https://support.microsoft.com/office/b8588dae-9387-48c2-9248-c24122f07c59). Graph's
 * listitem-list page documents `$top` and paging but states no maximum of its own; a larger `$top`
 * is reported to come back capped at 5,000, which is also what the emulator does. Graph's default page is 200.
 */
export const MAX_LIST_ITEMS_PAGE = 5000;

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
}

interface Located {
  siteId: string;
  lists: ListIds;
}

/** What an import still has to write for one item. */
interface PendingWrite {
  key: string;
  intent: 'create' | 'update' | 'move';
  step: BatchStep;
}

export class GraphPlanStore implements PlanStore {
  readonly http: GraphHttp;
  private located?: Promise<Located>;
  private readonly pageSize: number;
  private readonly newId: () => string;

  constructor(private readonly options: GraphStoreOptions) {
    this.http = options.http;
    this.pageSize = Math.min(options.pageSize ?? MAX_LIST_ITEMS_PAGE, MAX_LIST_ITEMS_PAGE);
    this.newId = options.newId ?? randomUUID;
  }

  // ------------------------------------------------------------ plans

  async listPlans(): Promise<StoredPlan[]> {
    const rows = await this.readAll('plans');
    return rows.sort((a, b) => Number(b.id) - Number(a.id)).map((r) => planFromFields(r.fields));
  }

  async getPlan(planId: string): Promise<StoredPlan | undefined> {
    const row = (await this.readAll('plans', 'PlanId', planId))[0];
    return row && planFromFields(row.fields);
  }

  async importPlan(plan: Plan, options?: { onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary> {
    checkImportable(plan);
    const { siteId, lists } = await this.locate();
    const stored = storedPlanOf(plan);
    const planId = stored.id;
    const total = plan.items.length;

    // One round trip for the plan's header and the first page of its items.
    const [headerAnswer, itemsAnswer] = await this.http.batch<{ value: GraphItem[]; '@odata.nextLink'?: string }>(
      [
        { id: 'plan', method: 'GET', url: this.queryUrl(siteId, lists.plans, 'PlanId', planId) },
        { id: 'items', method: 'GET', url: this.queryUrl(siteId, lists.items, 'PlanId', planId) },
      ],
      { idempotent: true },
    );
    for (const answer of [headerAnswer, itemsAnswer]) {
      if (!answer || answer.status !== 200) throw batchError(answer?.status ?? 0, answer?.body, 'GET', 'plan read');
    }
    const header = headerAnswer!.body.value[0];
    let existing = itemsAnswer!.body.value;
    const next = itemsAnswer!.body['@odata.nextLink'];
    if (next) existing = existing.concat(await this.http.getAll<GraphItem>(this.http.relative(next)));

    const summary: ImportSummary = { planId, created: 0, updated: 0, unchanged: 0 };
    const byKey = new Map(existing.filter(isAppItem).map((i) => [String(i.fields.ItemKey), i]));
    const writes: PendingWrite[] = [];
    plan.items.forEach((item, position) => {
      const write = this.importWrite(siteId, lists.items, planId, item, position, byKey.get(item.key));
      if (!write) summary.unchanged++;
      else {
        if (write.intent === 'create') summary.created++;
        else if (write.intent === 'update') summary.updated++;
        else summary.unchanged++;
        writes.push(write);
      }
    });

    const headerFields = planFields(stored);
    const headerWrite = (row: GraphItem | undefined): BatchStep[] => {
      const url = `/sites/${siteId}/lists/${lists.plans}/items`;
      if (!row) return [{ id: 'plan', method: 'POST', url, body: { fields: headerFields } }];
      if (row.fields.PlanJson !== headerFields.PlanJson || row.fields.Title !== headerFields.Title) {
        return [{ id: 'plan', method: 'PATCH', url: `${url}/${row.id}/fields`, body: headerFields }];
      }
      return [];
    };

    let done = summary.unchanged - writes.filter((w) => w.intent === 'move').length;
    const rounds = this.options.importRounds ?? 5;
    let pending = writes;
    let pendingHeader = headerWrite(header);
    for (let round = 0; pending.length > 0 || pendingHeader.length > 0; round++) {
      if (round >= rounds) throw new Error(`Import of ${planId} did not settle after ${rounds} rounds; ${pending.length} items left`);
      const unsure = new Set<string>();
      let headerUnsure = false;
      const steps: Array<{ write?: PendingWrite; step: BatchStep }> = [
        ...pendingHeader.map((step) => ({ step })),
        ...pending.map((write) => ({ write, step: write.step })),
      ];
      const doneBefore = done;
      const answers = await this.http.batch(
        steps.map((c) => c.step),
        { onAnswered: (answered) => options?.onProgress?.({ done: Math.min(total, doneBefore + answered), total }) },
      );
      answers.forEach((answer, i) => {
        const c = steps[i]!;
        if (answer.status >= 200 && answer.status < 300) {
          if (c.write) done++;
        } else if (answer.status === ANSWER_LOST || answer.status === 409 || answer.status === 412) {
          // The answer was lost, the item was created by an earlier attempt whose answer was lost,
          // or it changed meanwhile: look again before writing.
          if (c.write) unsure.add(c.write.key);
          else headerUnsure = true;
        } else {
          throw batchError(answer.status, answer.body, c.step.method, c.step.url);
        }
      });
      pending = [];
      pendingHeader = [];
      if (unsure.size > 0) {
        const now = new Map((await this.readAll('items', 'PlanId', planId)).filter(isAppItem).map((i) => [String(i.fields.ItemKey), i]));
        plan.items.forEach((item, position) => {
          if (!unsure.has(item.key)) return;
          const write = this.importWrite(siteId, lists.items, planId, item, position, now.get(item.key));
          if (write) pending.push(write);
          else done++;
        });
      }
      if (headerUnsure) pendingHeader = headerWrite((await this.readAll('plans', 'PlanId', planId))[0]);
    }
    options?.onProgress?.({ done: total, total });
    return summary;
  }

  /** The write that brings one stored item in line with the document, or undefined when none is needed. */
  private importWrite(
    siteId: string,
    listId: string,
    planId: string,
    item: Plan['items'][number],
    position: number,
    current: GraphItem | undefined,
  ): PendingWrite | undefined {
    const itemsUrl = `/sites/${siteId}/lists/${listId}/items`;
    if (!current) {
      return {
        key: item.key,
        intent: 'create',
        step: { id: item.key, method: 'POST', url: itemsUrl, body: { fields: newItemFields(planId, item, position) } },
      };
    }
    const doc = documentOf(item);
    const headers = { 'If-Match': etagOf(current) };
    const url = `${itemsUrl}/${current.id}/fields`;
    if (current.fields.DocHash !== documentHash(doc)) {
      const fields = documentFields(planId, item.key, doc, position);
      return {
        key: item.key,
        intent: 'update',
        step: { id: item.key, method: 'PATCH', url, headers, body: { ...clearedFields(current.fields, fields), ...fields } },
      };
    }
    if (Number(current.fields.Position) !== position) {
      return { key: item.key, intent: 'move', step: { id: item.key, method: 'PATCH', url, headers, body: { Position: position } } };
    }
    return undefined;
  }

  // ------------------------------------------------------------ items

  async listItems(planId: string): Promise<StoredItem[]> {
    const rows = (await this.readAll('items', 'PlanId', planId)).filter(isAppItem);
    return rows
      .sort(
        (a, b) => Number(a.fields.Position) - Number(b.fields.Position) || String(a.fields.ItemKey).localeCompare(String(b.fields.ItemKey)),
      )
      .map((r) => storedItemOf(r.fields, etagOf(r)));
  }

  async getItem(planId: string, key: string): Promise<StoredItem | undefined> {
    const row = await this.findItem(planId, key);
    return row && storedItemOf(row.fields, etagOf(row));
  }

  async updateStatus(planId: string, key: string, change: StatusChange, expectedVersion: string): Promise<StoredItem> {
    checkStatusChange(change);
    const row = await this.checkedItem(planId, key, expectedVersion);
    const current = storedItemOf(row.fields, etagOf(row));
    const record = lastUpdateRecord(this.newId(), current.status, change);
    // Both rows are built (and checked) before either is written.
    const itemFields = {
      ...statusFields(record),
      ...(change.revision ? revisionsFields(revisionsAfter(current.revisions, change) ?? null) : {}),
    };
    const historyFields = updateFields(planId, key, record);
    const fields = await this.patchItem(planId, key, row, itemFields, (now) => parseLastUpdate(now.fields)?.updateId === record.updateId);
    await this.writeHistory(historyFields);
    return storedItemOf(fields, String(fields['@odata.etag']));
  }

  async updateItem(planId: string, key: string, patch: ItemPatch, expectedVersion: string, audit?: EditAudit): Promise<StoredItem> {
    const row = await this.checkedItem(planId, key, expectedVersion);
    const before = JSON.parse(String(row.fields.DocJson)) as ItemDocument;
    const doc = patchDocument(before, patch);
    const docFields = documentFields(planId, key, doc);
    const edit = milestoneEdit(storedItemOf(row.fields, etagOf(row)), patch, audit);
    const history = edit.entry ? updateFields(planId, key, historyRecord(this.newId(), edit.entry)) : undefined;
    const fields = await this.patchItem(
      planId,
      key,
      row,
      { ...clearedFields(row.fields, docFields), ...docFields, ...(edit.dropRevisions ? revisionsFields(null) : {}) },
      (now) => now.fields.DocHash === docFields.DocHash,
    );
    if (history) await this.writeHistory(history);
    return storedItemOf(fields, String(fields['@odata.etag']));
  }

  /**
   * PATCH with If-Match. A 412 means someone else wrote first (ConflictError with what is stored
   * now) unless `applied` shows that the write that got the 412 was our own retried request.
   */
  private async patchItem(
    planId: string,
    key: string,
    row: GraphItem,
    fields: Fields,
    applied: (now: GraphItem) => boolean,
  ): Promise<Fields> {
    const { siteId, lists } = await this.locate();
    const response = await this.http.request<Fields>('PATCH', `/sites/${siteId}/lists/${lists.items}/items/${row.id}/fields`, {
      headers: { 'If-Match': etagOf(row) },
      body: fields,
      idempotent: true,
      accept: [412],
    });
    if (response.status !== 412 && typeof response.body?.['@odata.etag'] === 'string') return response.body;
    // 412, or an answer without the new eTag: what is stored now decides.
    const now = await this.findItem(planId, key);
    if (!now) throw new NotFoundError(`No item ${key} in plan ${planId}`);
    if (response.status !== 412 || applied(now)) return { ...now.fields, '@odata.etag': etagOf(now) };
    throw new ConflictError(`Item ${key} was changed by someone else`, storedItemOf(now.fields, etagOf(now)));
  }

  private async checkedItem(planId: string, key: string, expectedVersion: string): Promise<GraphItem> {
    const row = await this.findItem(planId, key);
    if (!row) throw new NotFoundError(`No item ${key} in plan ${planId}`);
    if (etagOf(row) !== expectedVersion)
      throw new ConflictError(`Item ${key} was changed by someone else`, storedItemOf(row.fields, etagOf(row)));
    return row;
  }

  private async findItem(planId: string, key: string): Promise<GraphItem | undefined> {
    return (await this.readAll('items', 'ItemRef', itemRef(planId, key))).find(isAppItem);
  }

  // ------------------------------------------------------------ history

  /** Idempotent by update id: the unique UpdateId column refuses a second row (409), which means "already written". */
  private async writeHistory(fields: Fields): Promise<void> {
    const { siteId, lists } = await this.locate();
    await this.http.request('POST', `/sites/${siteId}/lists/${lists.updates}/items`, {
      body: { fields },
      idempotent: true,
      accept: [409],
    });
  }

  async history(planId: string, key?: string): Promise<StatusUpdate[]> {
    const [rows, items] = await Promise.all([
      key === undefined ? this.readAll('updates', 'PlanId', planId) : this.readAll('updates', 'ItemRef', itemRef(planId, key)),
      key === undefined ? this.readAll('items', 'PlanId', planId) : this.findItem(planId, key).then((i) => (i ? [i] : [])),
    ]);
    const updates = rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => statusUpdateOf(r.fields));
    const written = new Set(updates.map((u) => u.updateId));
    // Repair: a report whose history row was lost between the two writes is written now.
    for (const item of items) {
      const last = parseLastUpdate(item.fields);
      if (!last || written.has(last.updateId)) continue;
      const itemKey = String(item.fields.ItemKey);
      this.options.logger?.warn({ planId, key: itemKey }, 'restoring a history row that was not written');
      await this.writeHistory(updateFields(planId, itemKey, last));
      updates.push({ ...last, itemKey });
    }
    return updates.map(({ updateId: _id, ...u }) => u as StatusUpdate);
  }

  // ------------------------------------------------------------ directory

  async listDirectory(planId: string): Promise<DirectoryEntry[]> {
    const rows = await this.readAll('leads', 'PlanId', planId);
    return rows.map((r) => directoryEntryOf(r.fields)).sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  }

  async setPeople(planId: string, role: string, people: Person[]): Promise<void> {
    if (!(await this.getPlan(planId))) throw new NotFoundError(`No plan ${planId}`);
    const { siteId, lists } = await this.locate();
    const fields = {
      ...leadFields(planId, { role, people }),
      'PeopleLookupId@odata.type': 'Collection(Edm.String)',
      PeopleLookupId: await this.userLookupIds(siteId, people),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = (await this.readAll('leads', 'RoleRef', roleRef(planId, role)))[0];
      if (row) {
        await this.http.request('PATCH', `/sites/${siteId}/lists/${lists.leads}/items/${row.id}/fields`, {
          body: fields,
          idempotent: true,
        });
        return;
      }
      const created = await this.http.request('POST', `/sites/${siteId}/lists/${lists.leads}/items`, {
        body: { fields },
        idempotent: true,
        accept: [409],
      });
      if (created.status !== 409) return;
      // Another writer (or our own lost attempt) created the role first: update it instead.
    }
    throw new Error(`Could not record the people for role ${role}`);
  }

  /**
   * Lookup ids of people in the site's User Information List, by email, for the People column.
   * Someone not yet known to the site has none (SharePoint adds people when they first use it);
   * they are still in the directory (PeopleJson), only not in the person column.
   */
  private async userLookupIds(siteId: string, people: Person[]): Promise<string[]> {
    const withEmail = people.filter((p): p is Person & { email: string } => Boolean(p.email));
    if (withEmail.length === 0) return [];
    const answers = await this.http.batch<{ value: GraphItem[] }>(
      withEmail.map((p, i) => ({
        id: String(i),
        method: 'GET' as const,
        url: `/sites/${siteId}/lists/${encodeURIComponent(USER_INFORMATION_LIST)}/items?expand=fields&$top=1&$filter=${encodeURIComponent('fields/EMail eq ')}${odataString(p.email)}`,
        // EMail is not indexed in that list; it is small, so the warning does not apply.
        headers: { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' },
      })),
      { idempotent: true },
    );
    const ids: string[] = [];
    answers.forEach((answer, i) => {
      const found = answer.status === 200 ? answer.body.value[0] : undefined;
      if (found) ids.push(String(found.id));
      else
        this.options.logger?.info(
          { person: withEmail[i]!.id, status: answer.status },
          'person not yet known to the site; left out of the People column',
        );
    });
    return ids;
  }

  async removeRole(planId: string, role: string): Promise<void> {
    const { siteId, lists } = await this.locate();
    const row = (await this.readAll('leads', 'RoleRef', roleRef(planId, role)))[0];
    if (!row) return;
    await this.http.request('DELETE', `/sites/${siteId}/lists/${lists.leads}/items/${row.id}`, { idempotent: true, accept: [404] });
  }

  async close(): Promise<void> {
    // Nothing held open: HTTP connections are pooled by fetch.
  }

  // ------------------------------------------------------------ reading

  private locate(): Promise<Located> {
    if (!this.located) {
      this.located = resolveLists(this.http, this.options.site);
      this.located.catch(() => {
        this.located = undefined;
      });
    }
    return this.located;
  }

  private queryUrl(siteId: string, listId: string, column?: string, value?: string): string {
    const filter = column && value !== undefined ? `&$filter=${encodeURIComponent(`fields/${column} eq `)}${odataString(value)}` : '';
    return `/sites/${siteId}/lists/${listId}/items?expand=fields&$top=${this.pageSize}${filter}`;
  }

  /** Every row of a list, or those whose indexed `column` equals `value`, page by page. */
  private async readAll(list: keyof ListIds, column?: string, value?: string): Promise<GraphItem[]> {
    const { siteId, lists } = await this.locate();
    return this.http.getAll<GraphItem>(this.queryUrl(siteId, lists[list], column, value));
  }
}

function batchError(status: number, body: unknown, method: string, url: string): GraphRequestError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new GraphRequestError(status, error?.code ?? 'unknown', error?.message ?? 'request in batch failed', method, url);
}
