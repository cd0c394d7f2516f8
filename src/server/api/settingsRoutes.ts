/** A plan's settings (reminder days, the digest's day, hour and channel), as the bot and the scheduler use them. */
import express from 'express';
import { planSettingsSchema } from '../../usecases/planSettings';
import { requireCoordinator } from '../../usecases/editItem';
import { actorOfCaller, callerOf } from '../auth';
import { param, planOr404, type ApiDeps } from './apiDeps';

export function settingsRoutes(deps: ApiDeps): express.Router {
  const { store, settings } = deps;
  const router = express.Router();

  router.get('/plans/:planId/settings', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    res.json(await settings.settingsFor(planId));
  });

  router.put('/plans/:planId/settings', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(actorOfCaller(caller), deps.config.COORDINATOR_IDS, 'change settings');
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    const { updatedAt: _at, updatedBy: _by, source: _source, ...body } = { ...(req.body ?? {}) } as Record<string, unknown>;
    const parsed = planSettingsSchema.parse(body);
    res.json(await settings.save(planId, parsed, caller.email ?? caller.name, deps.clock.now().toISOString()));
  });

  return router;
}
