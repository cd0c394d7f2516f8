/**
 * A co-ordinator's edit of an item's plan content (title, outcomes, milestones…): only co-ordinators;
 * objectives and recommendations must be the plan's; the version the person saw must still be current.
 * An edit of the milestones replaces the dates revised by reports and shows in the item's history.
 */
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { ItemPatch, PlanStore, StoredItem } from '../store/planStore';
import type { Clock } from '../domain/clock';
import { isCoordinator, type Actor } from './actor';

export interface EditDeps {
  store: PlanStore;
  clock: Clock;
  coordinatorIds: readonly string[];
}

export function requireCoordinator(actor: Actor, coordinatorIds: readonly string[], what: string): void {
  if (!isCoordinator(actor, coordinatorIds)) {
    throw new ForbiddenError(`Only a plan co-ordinator can ${what}. Ask a co-ordinator, or to be added to COORDINATOR_IDS.`);
  }
}

export async function editItem(
  deps: EditDeps,
  actor: Actor,
  planId: string,
  key: string,
  patch: ItemPatch,
  expectedVersion: string,
): Promise<StoredItem> {
  requireCoordinator(actor, deps.coordinatorIds, 'edit an item');
  const [plan, item] = await Promise.all([deps.store.getPlan(planId), deps.store.getItem(planId, key)]);
  if (!plan) throw new NotFoundError(`There is no plan "${planId}". Choose a plan from the list (GET /api/plans).`);
  if (!item)
    throw new NotFoundError(`There is no item "${key}" in plan "${planId}": it may have been removed by a re-import. Reload the plan.`);
  const known = new Set(plan.objectives.map((o) => o.number));
  for (const n of patch.objectives ?? []) if (!known.has(n)) throw new ValidationError(`The plan has no objective ${n}`, 'objectives');
  const recs = new Set(plan.recommendations.map((r) => r.number));
  for (const n of patch.recommendations ?? [])
    if (!recs.has(n)) throw new ValidationError(`The plan has no recommendation ${n}`, 'recommendations');
  return deps.store.updateItem(planId, key, patch, expectedVersion, {
    by: actor.name,
    at: deps.clock.now().toISOString(),
    via: actor.via,
    ...(actor.id ? { byId: actor.id } : {}),
  });
}
