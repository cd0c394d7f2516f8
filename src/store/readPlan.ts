/** A stored plan back as a domain Plan (for export and reports). */
import { NotFoundError } from '../errors';
import type { Plan, PlanItem } from '../domain/model';
import type { PlanStore, StoredItem, StoredPlan } from './planStore';

/** The plan `planId`, or the only / newest plan when none is named. */
export async function resolvePlan(store: PlanStore, planId?: string): Promise<StoredPlan> {
  if (planId) {
    const plan = await store.getPlan(planId);
    if (!plan) {
      const ids = (await store.listPlans()).map((p) => p.id);
      throw new NotFoundError(
        `no plan "${planId}" in the store${ids.length ? `; plans held: ${ids.join(', ')}` : ' (it holds no plans: run `dplan import <file>` first)'}`,
      );
    }
    return plan;
  }
  const plans = await store.listPlans();
  if (plans.length === 0) throw new NotFoundError('the store holds no plans: run `dplan import <file>` first');
  return plans[0]!;
}

export function itemOf(stored: StoredItem): PlanItem {
  const { planId: _planId, version: _version, lastUpdate: _lastUpdate, ...item } = stored;
  return item;
}

export async function readPlan(store: PlanStore, planId?: string): Promise<Plan & { id: string }> {
  const stored = await resolvePlan(store, planId);
  const items = (await store.listItems(stored.id)).map(itemOf);
  return { id: stored.id, plan: stored.plan, objectives: stored.objectives, recommendations: stored.recommendations, items };
}
