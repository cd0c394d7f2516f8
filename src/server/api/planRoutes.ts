/** Plans: the list, one plan, its whole history, the dashboard and the export. */
import express from 'express';
import { buildDashboard } from '../../domain/dashboard';
import type { PlanStore, StoredPlan } from '../../store/planStore';
import { requireCoordinator } from '../../usecases/editItem';
import { actorOfCaller, callerOf } from '../auth';
import { param, planOr404, today, type ApiDeps } from './apiDeps';
import { exportPlan } from './export';
import { listItems } from './itemQuery';
import { dashboardQuerySchema, exportQuerySchema } from './schemas';

/** The plans held, newest first, each with its number of items. */
export async function planSummaries(store: PlanStore): Promise<Array<StoredPlan & { itemCount: number }>> {
  const plans = await store.listPlans();
  return Promise.all(plans.map(async (p) => ({ ...p, itemCount: (await store.listItems(p.id)).length })));
}

export function planRoutes(deps: ApiDeps): express.Router {
  const { store } = deps;
  const router = express.Router();

  router.get('/plans', async (_req, res) => {
    res.json(await planSummaries(store));
  });

  router.get('/plans/:planId', async (req, res) => {
    res.json(await planOr404(store, param(req, 'planId')));
  });

  router.get('/plans/:planId/history', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    res.json(await store.history(planId));
  });

  router.get('/plans/:planId/dashboard', async (req, res) => {
    const planId = param(req, 'planId');
    const plan = await planOr404(store, planId);
    const q = dashboardQuerySchema.parse(req.query);
    const [items, history, windowDays] = await Promise.all([
      store.listItems(planId),
      store.history(planId),
      deps.settings.windowDays(planId),
    ]);
    res.json(
      buildDashboard({
        objectives: plan.objectives,
        recommendations: plan.recommendations,
        items,
        history,
        asOf: q.asOf ?? today(deps),
        windowDays,
        periodStart: plan.plan.periodStart,
        periodEnd: plan.plan.periodEnd,
        ...(q.upcomingDays ? { upcomingDays: q.upcomingDays } : {}),
      }),
    );
  });

  router.get('/plans/:planId/export', async (req, res) => {
    requireCoordinator(actorOfCaller(callerOf(req)), deps.config.COORDINATOR_IDS, 'export the plan');
    const planId = param(req, 'planId');
    const plan = await planOr404(store, planId);
    const { format, ...query } = exportQuerySchema.parse(req.query);
    const [items, history] = await Promise.all([listItems(deps, planId, query), store.history(planId)]);
    const file = await exportPlan(plan, items, format, history);
    res
      .status(200)
      .set('Content-Type', file.contentType)
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  });

  return router;
}
