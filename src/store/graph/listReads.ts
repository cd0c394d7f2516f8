/**
 * Reading the app's lists: `expand=fields`, `$filter` on one indexed column, `$top` = the largest page
 * SharePoint serves for list items, then `@odata.nextLink` to the end
 * (https://learn.microsoft.com/en-us/graph/api/listitem-list, https://learn.microsoft.com/en-us/graph/paging);
 * one item by its id (a single-item query: 1 resource unit instead of 2,
 * https://learn.microsoft.com/en-us/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online).
 */
import type { GraphHttp } from '../../graph/graphHttp';
import type { Logger } from '../../logger';
import { odataString, type GraphItem } from './graphFields';
import type { ListIds } from './schema';

export interface Located {
  siteId: string;
  lists: ListIds;
}

export type ListKey = keyof ListIds;

/** What every part of the Graph store shares. */
export interface StoreContext {
  http: GraphHttp;
  /** `hostname:/sites/path` */
  site: string;
  pageSize: number;
  logger?: Logger;
  locate(): Promise<Located>;
}

export function itemsUrl(located: Located, list: ListKey): string {
  return `/sites/${located.siteId}/lists/${located.lists[list]}/items`;
}

export function queryUrl(ctx: StoreContext, located: Located, list: ListKey, column?: string, value?: string): string {
  const filter = column && value !== undefined ? `&$filter=${encodeURIComponent(`fields/${column} eq `)}${odataString(value)}` : '';
  return `${itemsUrl(located, list)}?expand=fields&$top=${ctx.pageSize}${filter}`;
}

/** Every row of a list, or those whose indexed `column` equals `value` (SharePoint ignores case), page by page. */
export async function readAll(ctx: StoreContext, list: ListKey, column?: string, value?: string): Promise<GraphItem[]> {
  const located = await ctx.locate();
  return ctx.http.getAll<GraphItem>(queryUrl(ctx, located, list, column, value));
}

/** The row whose unique key column holds `key` (compared as SharePoint does, without case). */
export async function readByKey(ctx: StoreContext, list: ListKey, column: string, key: string): Promise<GraphItem | undefined> {
  const rows = await readAll(ctx, list, column, key);
  return rows.find((r) => sameKey(r.fields[column], key)) ?? rows[0];
}

/** One row by its list item id; undefined when it is gone. */
export async function readById(ctx: StoreContext, list: ListKey, id: string): Promise<GraphItem | undefined> {
  const located = await ctx.locate();
  const answer = await ctx.http.get<GraphItem>(`${itemsUrl(located, list)}/${id}?expand=fields`, { accept: [404] });
  return answer.status === 404 ? undefined : answer.body;
}

const TEXT = new Intl.Collator('en', { sensitivity: 'accent' });

/** Keys as SharePoint compares text: without case. */
export function sameKey(stored: unknown, key: string): boolean {
  return typeof stored === 'string' && TEXT.compare(stored, key) === 0;
}
