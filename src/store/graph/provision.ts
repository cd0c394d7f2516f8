/**
 * Creates the app's lists and columns in a SharePoint site, idempotently: lists and columns that
 * exist are left as they are (a second run only reads), missing ones are created, and a column whose
 * type or index differs from the schema is reported, never silently changed.
 * Lists: https://learn.microsoft.com/en-us/graph/api/list-create
 * Columns: https://learn.microsoft.com/en-us/graph/api/list-post-columns
 * With the `Sites.Selected` application permission the app needs the `manage` role on the site for this.
 */
import type { GraphHttp } from '../../graph/graphHttp';
import { columnType, LISTS, type ColumnDefinition } from './schema';
import { listsOf, resolveSiteId } from './site';

export interface ProvisionedList {
  displayName: string;
  id: string;
  created: boolean;
  columnsAdded: string[];
  /** Columns present with another type or index setting than the schema's. */
  mismatched: string[];
}

export interface ProvisionReport {
  siteId: string;
  lists: ProvisionedList[];
  /** True when the run created nothing. */
  unchanged: boolean;
}

export async function provisionLists(http: GraphHttp, site: string): Promise<ProvisionReport> {
  const siteId = await resolveSiteId(http, site);
  const existing = await listsOf(http, siteId);
  const lists: ProvisionedList[] = [];
  for (const def of LISTS) {
    const found = existing.find((l) => l.displayName === def.displayName);
    if (!found) {
      const created = await http.request<{ id: string }>('POST', `/sites/${siteId}/lists`, {
        body: { displayName: def.displayName, description: def.description, columns: def.columns, list: { template: 'genericList' } },
      });
      lists.push({
        displayName: def.displayName,
        id: created.body.id,
        created: true,
        columnsAdded: def.columns.map((c) => c.name),
        mismatched: [],
      });
      continue;
    }
    const columns = await http.getAll<Record<string, unknown> & { name: string }>(`/sites/${siteId}/lists/${found.id}/columns`);
    const added: string[] = [];
    const mismatched: string[] = [];
    for (const column of def.columns) {
      const present = columns.find((c) => c.name === column.name);
      if (!present) {
        await http.request('POST', `/sites/${siteId}/lists/${found.id}/columns`, { body: column });
        added.push(column.name);
      } else if (!sameShape(present, column)) {
        mismatched.push(column.name);
      }
    }
    lists.push({ displayName: def.displayName, id: found.id, created: false, columnsAdded: added, mismatched });
  }
  return { siteId, lists, unchanged: lists.every((l) => !l.created && l.columnsAdded.length === 0) };
}

function sameShape(present: Record<string, unknown>, wanted: ColumnDefinition): boolean {
  return columnType(present) === columnType(wanted) && Boolean(present.indexed) === Boolean(wanted.indexed);
}
