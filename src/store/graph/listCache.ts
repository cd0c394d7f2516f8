/**
 * The plans, items and lead directory the app is working with, kept in memory and kept fresh cheaply,
 * so that answering a card needs no reads of its own:
 *  - a plan is loaded once with one request: a sequential `$batch` that first takes a delta token of
 *    each list (`items/delta?token=latest`) and then reads the plan's rows (dependsOn keeps the order,
 *    so no change can fall between the token and the read; https://learn.microsoft.com/en-us/graph/json-batching);
 *  - one `$batch` of the three lists' delta links brings every change since (created, changed,
 *    deleted; https://learn.microsoft.com/en-us/graph/api/listitem-delta): 1 resource unit per list
 *    instead of 2 per read. It runs in the background every `refreshEveryMs` while plans are held (3
 *    units each time: at 15 s, 12 of a small tenant's 1,200 units a minute), and before a read when
 *    the last one is older than `maxAgeMs` (the process was asleep, or the checks failed);
 *  - this store's own writes go into it as they are answered;
 *  - a delta token SharePoint no longer honours (410 Gone) empties the cache: plans load again.
 * Staleness is bounded by `maxAgeMs` for changes made elsewhere (another instance, a person editing
 * the list), and a write never relies on it: item writes carry If-Match, so a stale version is
 * refused by SharePoint (412) and the item read again.
 */
export interface CacheTiming {
  /** Cached rows older than this are checked with a delta before they are read. */
  maxAgeMs: number;
  /** Background delta check interval while plans are held; 0 for none. */
  refreshEveryMs: number;
  /** Milliseconds now, for the cache's age; injectable for tests. */
  now?: () => number;
}

import { ANSWER_LOST, type BatchStep } from '../../graph/graphHttp';
import { graphErrorOf } from '../../graph/graphErrors';
import { isAppItem, type GraphItem } from './graphFields';
import { itemsUrl, queryUrl, type ListKey, type StoreContext } from './listReads';

export interface PlanEntry {
  header?: GraphItem;
  /** App items by ItemKey. */
  items: Map<string, GraphItem>;
  /** Lead rows by list item id. */
  leads: Map<string, GraphItem>;
}

const CACHED: ListKey[] = ['items', 'leads', 'plans'];

interface DeltaPage {
  value: Array<GraphItem & { deleted?: unknown }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export class ListCache {
  private readonly plans = new Map<string, PlanEntry>();
  private readonly loading = new Map<string, Promise<PlanEntry>>();
  private deltaLinks: Partial<Record<ListKey, string>> = {};
  private checkedAt = -Infinity;
  private refreshing?: Promise<void>;
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ctx: StoreContext,
    private readonly timing: CacheTiming,
  ) {
    this.maxAgeMs = timing.maxAgeMs;
    this.now = timing.now ?? Date.now;
  }

  /** Brings the cached plans up to date now (what the background check does). */
  async check(): Promise<void> {
    if (this.plans.size > 0) await this.refresh();
  }

  /** Stops the background checks. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private startChecking(): void {
    if (this.timer || this.timing.refreshEveryMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.plans.size === 0 || this.now() - this.checkedAt < this.timing.refreshEveryMs / 2) return;
      this.refresh().catch((error: unknown) => this.ctx.logger?.warn({ err: error }, 'background check for SharePoint changes failed'));
    }, this.timing.refreshEveryMs);
    this.timer.unref();
  }

  /** The plan's cached rows, loaded or brought up to date first when needed. */
  async plan(planId: string): Promise<PlanEntry> {
    if (this.plans.has(planId) && this.now() - this.checkedAt >= this.maxAgeMs) await this.refresh();
    const cached = this.plans.get(planId);
    if (cached) return cached;
    let pending = this.loading.get(planId);
    if (!pending) {
      pending = this.load(planId).finally(() => this.loading.delete(planId));
      this.loading.set(planId, pending);
    }
    return pending;
  }

  /** Forgets a plan (after a bulk write such as an import): it loads again when next asked for. */
  forget(planId: string): void {
    this.plans.delete(planId);
  }

  putItem(planId: string, row: GraphItem): void {
    const entry = this.plans.get(planId);
    if (entry && isAppItem(row)) entry.items.set(String(row.fields.ItemKey), row);
  }

  putLead(planId: string, row: GraphItem): void {
    this.plans.get(planId)?.leads.set(String(row.id), row);
  }

  removeLead(planId: string, id: string): void {
    this.plans.get(planId)?.leads.delete(id);
  }

  private async load(planId: string): Promise<PlanEntry> {
    const located = await this.ctx.locate();
    const generation = this.generation;
    // Fresh delta links first (or tokens, the first time), then the plan's rows: one sequential batch.
    if (Object.keys(this.deltaLinks).length === CACHED.length && this.now() - this.checkedAt >= this.maxAgeMs) await this.refresh();
    const steps: BatchStep[] = [];
    const needToken = CACHED.filter((list) => !this.deltaLinks[list]);
    for (const list of needToken)
      steps.push({ id: `token-${list}`, method: 'GET', url: `${itemsUrl(located, list)}/delta?$expand=fields&token=latest` });
    steps.push({ id: 'plans', method: 'GET', url: queryUrl(this.ctx, located, 'plans', 'PlanId', planId) });
    steps.push({ id: 'items', method: 'GET', url: queryUrl(this.ctx, located, 'items', 'PlanId', planId) });
    steps.push({ id: 'leads', method: 'GET', url: queryUrl(this.ctx, located, 'leads', 'PlanId', planId) });
    if (needToken.length > 0) steps.forEach((s, i) => i > 0 && (s.dependsOn = [steps[i - 1]!.id]));
    const startedAt = this.now();
    const answers = await this.ctx.http.batch<{ value: GraphItem[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>(steps, {
      idempotent: true,
    });
    const rows: Partial<Record<ListKey, GraphItem[]>> = {};
    const links: Partial<Record<ListKey, string>> = {};
    for (const [i, answer] of answers.entries()) {
      const step = steps[i]!;
      if (answer.status !== 200)
        throw graphErrorOf(answer.status === ANSWER_LOST ? 504 : answer.status, answer.body, step.method, step.url);
      if (step.id.startsWith('token-')) {
        links[step.id.slice('token-'.length) as ListKey] = String(answer.body['@odata.deltaLink']);
        continue;
      }
      let value = answer.body.value;
      const next = answer.body['@odata.nextLink'];
      if (next) value = value.concat(await this.ctx.http.getAll<GraphItem>(this.ctx.http.relative(next)));
      rows[step.id as ListKey] = value;
    }
    const entry: PlanEntry = {
      header: rows.plans?.[0],
      items: new Map((rows.items ?? []).filter(isAppItem).map((r) => [String(r.fields.ItemKey), r])),
      leads: new Map((rows.leads ?? []).map((r) => [String(r.id), r])),
    };
    if (generation !== this.generation) return entry; // emptied meanwhile (410): not kept
    Object.assign(this.deltaLinks, links);
    if (needToken.length === CACHED.length) this.checkedAt = startedAt;
    this.plans.set(planId, entry);
    this.startChecking();
    return entry;
  }

  /** Applies every change since the last look, once for all callers waiting at the same time. */
  private refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.fetchChanges().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async fetchChanges(): Promise<void> {
    const lists = CACHED.filter((l) => this.deltaLinks[l]);
    if (lists.length === 0) return;
    const startedAt = this.now();
    const steps: BatchStep[] = lists.map((list) => ({ id: list, method: 'GET', url: this.ctx.http.relative(this.deltaLinks[list]!) }));
    const answers = await this.ctx.http.batch<DeltaPage>(steps, { idempotent: true });
    for (const [i, answer] of answers.entries()) {
      const list = lists[i]!;
      if (answer.status === 410) {
        this.ctx.logger?.info({ list }, 'SharePoint no longer honours the delta token: reloading plans');
        this.clear();
        return;
      }
      if (answer.status !== 200) throw graphErrorOf(answer.status === ANSWER_LOST ? 504 : answer.status, answer.body, 'GET', steps[i]!.url);
      let page = answer.body;
      const changes = [...page.value];
      while (page['@odata.nextLink']) {
        page = (await this.ctx.http.get<DeltaPage>(this.ctx.http.relative(page['@odata.nextLink']))).body;
        changes.push(...page.value);
      }
      this.apply(list, changes);
      if (page['@odata.deltaLink']) this.deltaLinks[list] = page['@odata.deltaLink'];
    }
    this.checkedAt = startedAt;
  }

  private apply(list: ListKey, changes: Array<GraphItem & { deleted?: unknown }>): void {
    for (const change of changes) {
      for (const [planId, entry] of this.plans) {
        if (change.deleted) {
          this.removeRow(entry, list, String(change.id));
          continue;
        }
        if (change.fields?.PlanId !== planId) continue;
        if (list === 'plans') entry.header = change;
        else if (list === 'leads') entry.leads.set(String(change.id), change);
        else if (isAppItem(change)) entry.items.set(String(change.fields.ItemKey), change);
      }
    }
  }

  private removeRow(entry: PlanEntry, list: ListKey, id: string): void {
    if (list === 'plans' && entry.header?.id === id) entry.header = undefined;
    if (list === 'leads') entry.leads.delete(id);
    if (list === 'items') for (const [key, row] of entry.items) if (String(row.id) === id) entry.items.delete(key);
  }

  private clear(): void {
    this.generation++;
    this.plans.clear();
    this.deltaLinks = {};
    this.checkedAt = -Infinity;
  }
}
