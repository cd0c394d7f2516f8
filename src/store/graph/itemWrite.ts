/**
 * Writing an item and, with it, its history row in one round trip: a `$batch` of the item PATCH with
 * `If-Match` and the history POST with `dependsOn` the PATCH, so the history row is written only if
 * the item write succeeded (a failed dependency answers 424; https://learn.microsoft.com/en-us/graph/json-batching).
 *
 * Every answer SharePoint may give is decided by what is stored, never assumed:
 *  - 412 (the eTag moved) or 409 "Save Conflict" (SharePoint refused a concurrent save;
 *    https://learn.microsoft.com/en-us/graph/api/listitem-update): the item is read again. If it
 *    carries this very write (an earlier attempt's answer was lost) the write stands; otherwise it
 *    is a ConflictError carrying the item as it is now. A 409 on an unchanged item is tried once more;
 *  - a lost answer or a 504 (applied or not): the item is read again and decides the same way; an
 *    item still at the version written against gets the batch again;
 *  - the history row, when its answer is not a plain 201 (a unique-value clash as 409 or 500, a 504, a
 *    throttle past the retry bound), is read back by its update id and written only if absent. A
 *    crash between the two leaves a report without its row; history() restores it (graphListStore).
 */
import { ANSWER_LOST, type BatchStep } from '../../graph/graphHttp';
import { graphErrorOf } from '../../graph/graphErrors';
import { ConflictError, NotFoundError } from '../../errors';
import { etagOf, storedItemOf, type Fields, type GraphItem } from './graphFields';
import { createOnce, WRITE_ATTEMPTS } from './keyedWrite';
import { itemsUrl, readById, type StoreContext } from './listReads';

export interface ItemWrite {
  planId: string;
  key: string;
  /** The item as the writer saw it: its id and eTag guard the write. */
  row: GraphItem;
  fields: Fields;
  /** The history row written with it, keyed by its UpdateId. */
  history?: Fields;
  /** True when `now` already carries this write (the answer to an earlier attempt was lost). */
  applied: (now: GraphItem) => boolean;
  /** Told the item as written as soon as it is known, before the history row is made sure of. */
  onWritten?: (row: GraphItem) => void;
}

/** Writes the item (and its history row); returns the item as stored after the write. */
export async function writeItem(ctx: StoreContext, write: ItemWrite): Promise<GraphItem> {
  const located = await ctx.locate();
  const itemUrl = `${itemsUrl(located, 'items')}/${write.row.id}/fields`;
  const expected = etagOf(write.row);
  let saveConflicts = 0;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const steps: BatchStep[] = [{ id: 'item', method: 'PATCH', url: itemUrl, headers: { 'If-Match': expected }, body: write.fields }];
    if (write.history) {
      steps.push({
        id: 'history',
        method: 'POST',
        url: itemsUrl(located, 'updates'),
        body: { fields: write.history },
        dependsOn: ['item'],
      });
    }
    const [item, history] = await ctx.http.batch<Fields>(steps);
    const status = item!.status;
    const ok = status >= 200 && status < 300;
    if (ok && typeof item!.body?.['@odata.etag'] === 'string') {
      const fields = item!.body;
      const row = { id: write.row.id, eTag: String(fields['@odata.etag']), fields };
      write.onWritten?.(row);
      if (write.history && !(history && history.status >= 200 && history.status < 300)) await ensureHistory(ctx, write.history);
      return row;
    }
    const unknown = ok || status === ANSWER_LOST || status >= 500;
    if (!unknown && status !== 412 && status !== 409) throw graphErrorOf(status, item!.body, 'PATCH', itemUrl);
    // 412, 409, a lost answer, a 5xx, or a success without the new eTag: what is stored now decides.
    const now = await readById(ctx, 'items', write.row.id);
    if (!now) throw new NotFoundError(`No item ${write.key} in plan ${write.planId}`);
    if (write.applied(now)) {
      write.onWritten?.(now);
      if (write.history) await ensureHistory(ctx, write.history);
      return now;
    }
    const conflict = () => new ConflictError(`Item ${write.key} was changed by someone else`, storedItemOf(now.fields, etagOf(now)));
    if (etagOf(now) !== expected || status === 412) throw conflict();
    if (status === 409 && ++saveConflicts > 1) throw conflict();
    ctx.logger?.warn({ planId: write.planId, key: write.key, status, attempt }, 'item write not applied; sending it again');
  }
  throw new Error(`Item ${write.key} could not be written: SharePoint gave no definite answer ${WRITE_ATTEMPTS} times`);
}

/** The history row, written if it is not there already (read back by its unique UpdateId). */
export async function ensureHistory(ctx: StoreContext, fields: Fields): Promise<void> {
  await createOnce(ctx, 'updates', 'UpdateId', fields);
}
