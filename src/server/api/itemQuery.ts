/** The items list's filters and order, shared by GET …/items and the export (which exports what is on screen). */
import { filterItems, sortItems } from '../../domain/filters';
import type { Rag } from '../../domain/model';
import type { StoredItem } from '../../store/planStore';
import { today, type ApiDeps } from './apiDeps';
import type { ItemsQuery } from './schemas';

export async function listItems(deps: Pick<ApiDeps, 'store' | 'settings' | 'clock'>, planId: string, q: ItemsQuery): Promise<StoredItem[]> {
  const asOf = q.asOf ?? today(deps);
  const windowDays = await deps.settings.windowDays(planId);
  const filter = {
    ...(q.objective !== undefined ? { objective: q.objective } : {}),
    ...(q.lead ? { lead: q.lead } : {}),
    ...(q.status ? { statuses: q.status as Rag[] } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.due ? { due: q.due } : {}),
    ...(q.q ? { text: q.q } : {}),
    windowDays,
  };
  return sortItems(filterItems(await deps.store.listItems(planId), filter, asOf), q.sort, q.dir, asOf, windowDays);
}
