/**
 * Creating a row that carries a unique key (UpdateId, RoleRef, ItemRef) exactly once, whatever
 * SharePoint answers. A clash on a unique column may come back as 409 or as SharePoint's 500
 * (SPDuplicateValuesFoundException; Graph documents neither,
 * https://learn.microsoft.com/en-us/previous-versions/office/sharepoint-server/ee575579(v=office.15)),
 * a 504 may follow a write that was applied, and a dropped connection says nothing: after any of
 * these the row is read back by its key before the write is tried again or reported.
 */
import { AmbiguousWriteError, type GraphResponse } from '../../graph/graphHttp';
import { graphErrorOf } from '../../graph/graphErrors';
import type { Fields, GraphItem } from './graphFields';
import { itemsUrl, readByKey, type ListKey, type StoreContext } from './listReads';

/**
 * Sends of one write before giving up (a keyed create here, an item write in itemWrite.ts). Each failed send is read back first, so a resend never applies
 * a write twice; three was too few where one request in five fails (one write in a few hundred met
 * three failures in a row in the 20 % fault run).
 */
export const WRITE_ATTEMPTS = 6;

/** Answers after which a create may or may not have happened, or happened before. */
export function outcomeUnknown(status: number): boolean {
  return status === 0 || status === 409 || status >= 500;
}

/**
 * POSTs `fields` unless a row with `fields[keyColumn]` exists. Returns the row and whether this call
 * created it (false: it was there already, written by an earlier attempt or by someone else).
 */
export async function createOnce(
  ctx: StoreContext,
  list: ListKey,
  keyColumn: string,
  fields: Fields,
): Promise<{ row: GraphItem; created: boolean }> {
  const key = String(fields[keyColumn]);
  const located = await ctx.locate();
  let last: GraphResponse<GraphItem> | undefined;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    try {
      last = await ctx.http.request<GraphItem>('POST', itemsUrl(located, list), { body: { fields }, accept: [409, 500, 502, 504] });
      if (last.status === 201 || last.status === 200) return { row: last.body, created: true };
    } catch (error) {
      if (!(error instanceof AmbiguousWriteError)) throw error;
      last = undefined;
    }
    const found = await readByKey(ctx, list, keyColumn, key);
    if (found) return { row: found, created: false };
    ctx.logger?.warn({ list, status: last?.status ?? 'lost', attempt }, 'a create had no definite outcome and left no row; trying again');
  }
  if (last) throw graphErrorOf(last.status, last.body, 'POST', itemsUrl(located, list));
  throw new Error(`Could not write a ${list} row: Graph gave no answer ${WRITE_ATTEMPTS} times`);
}
