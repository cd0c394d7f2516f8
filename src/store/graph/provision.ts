/**
 * Creates the app's lists and columns in a SharePoint site, idempotently: lists and columns that
 * exist are left as they are (a second run only reads), missing ones are created, and then every
 * column is read back and checked (type, `indexed`, `enforceUniqueValues`): SharePoint accepts a
 * request for an index and may not build it, and a column made by hand may differ. What differs is
 * reported, never silently changed.
 * Lists: https://learn.microsoft.com/en-us/graph/api/list-create
 * Columns: https://learn.microsoft.com/en-us/graph/api/list-post-columns, read back with
 * https://learn.microsoft.com/en-us/graph/api/list-list-columns
 * With the `Sites.Selected` application permission the app needs the `manage` role on the site for this.
 */
import { AmbiguousWriteError, type GraphHttp } from '../../graph/graphHttp';
import { columnProblems, LISTS, type ColumnDefinition, type ListDefinition } from './schema';
import { listsOf, resolveSiteId } from './site';

export interface ColumnProblem {
  column: string;
  problem: string;
}

export interface ProvisionedList {
  displayName: string;
  id: string;
  created: boolean;
  columnsAdded: string[];
  /** Columns present with another type, index or uniqueness than the schema's. */
  mismatched: string[];
  /** What is wrong with each of them, in words. */
  problems: ColumnProblem[];
}

export interface ProvisionReport {
  siteId: string;
  lists: ProvisionedList[];
  /** True when the run created nothing. */
  unchanged: boolean;
  /** True when every column is as the app needs it. */
  ok: boolean;
}

type PresentColumn = Record<string, unknown> & { name: string };

export async function provisionLists(http: GraphHttp, site: string): Promise<ProvisionReport> {
  const siteId = await resolveSiteId(http, site);
  const existing = await listsOf(http, siteId);
  const lists: ProvisionedList[] = [];
  for (const def of LISTS) {
    const found = existing.find((l) => l.displayName === def.displayName);
    if (!found) {
      const id = await createList(http, siteId, def);
      const columns = await readColumns(http, siteId, id);
      lists.push(entry(def, id, true, def.columns, columns));
      continue;
    }
    let columns = await readColumns(http, siteId, found.id);
    const missing = def.columns.filter((c) => !columns.some((p) => p.name === c.name));
    for (const column of missing) {
      // A lost answer or a 504 may hide a column that was made: the read below tells, and 409 says it exists.
      await http.request('POST', `/sites/${siteId}/lists/${found.id}/columns`, { body: column, accept: [409] }).catch((error: unknown) => {
        if (!(error instanceof AmbiguousWriteError)) throw error;
      });
    }
    if (missing.length > 0) columns = await readColumns(http, siteId, found.id);
    lists.push(entry(def, found.id, false, missing, columns));
  }
  return {
    siteId,
    lists,
    unchanged: lists.every((l) => !l.created && l.columnsAdded.length === 0),
    ok: lists.every((l) => l.problems.length === 0),
  };
}

/** Creates a list with its columns; when the answer is lost (or a 504), the list is looked for by name before trying again. */
async function createList(http: GraphHttp, siteId: string, def: ListDefinition): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const created = await http.request<{ id: string }>('POST', `/sites/${siteId}/lists`, {
        body: { displayName: def.displayName, description: def.description, columns: def.columns, list: { template: 'genericList' } },
      });
      return created.body.id;
    } catch (error) {
      if (!(error instanceof AmbiguousWriteError) || attempt >= 2) throw error;
      const made = (await listsOf(http, siteId)).find((l) => l.displayName === def.displayName);
      if (made) return made.id;
    }
  }
}

/** Every column of a list as SharePoint reports it. */
export function readColumns(http: GraphHttp, siteId: string, listId: string): Promise<PresentColumn[]> {
  return http.getAll<PresentColumn>(`/sites/${siteId}/lists/${listId}/columns`);
}

/** Problems of the list's columns against its definition. */
export function checkColumns(def: ListDefinition, columns: PresentColumn[]): ColumnProblem[] {
  return def.columns.flatMap((wanted) =>
    columnProblems(
      columns.find((c) => c.name === wanted.name),
      wanted,
    ).map((problem) => ({ column: wanted.name, problem })),
  );
}

function entry(def: ListDefinition, id: string, created: boolean, added: ColumnDefinition[], columns: PresentColumn[]): ProvisionedList {
  const problems = checkColumns(def, columns);
  return {
    displayName: def.displayName,
    id,
    created,
    columnsAdded: added.map((c) => c.name),
    mismatched: [...new Set(problems.map((p) => p.column))],
    problems,
  };
}
