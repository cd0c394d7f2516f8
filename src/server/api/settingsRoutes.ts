/** A plan's settings (reminder days, the digest's day, hour and channel), as the bot and the scheduler use them. */
import express from 'express';
import { z } from 'zod';
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

  /**
   * The tab was set up in a channel (its set-up page reads the channel and team from the Teams
   * context): the digest goes there, and the bot learns which team the channel belongs to, so it can
   * start a thread in it even when it is not the team's General channel.
   */
  router.put('/plans/:planId/channel', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(actorOfCaller(caller), deps.config.COORDINATOR_IDS, "choose the plan's channel");
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    const link = channelLinkSchema.parse(req.body ?? {});
    deps.bot?.linkChannel?.(link);
    res.json(await settings.useDigestChannel(planId, link.channelId, caller.email ?? caller.name, deps.clock.now().toISOString()));
  });

  return router;
}

/** Teams channel and team ids ("19:…@thread.tacv2", older "…@thread.skype"), as the Teams context gives them. */
const teamsThreadId = (what: string) =>
  z
    .string({ message: `${what} is required` })
    .trim()
    .max(200, `${what} is too long`)
    .regex(/^19:[^\s/]+@thread\.(tacv2|skype)$/, `${what} must be a Teams id such as 19:…@thread.tacv2`);

const channelLinkSchema = z
  .object({
    channelId: teamsThreadId('The channel id'),
    teamId: teamsThreadId('The team id'),
    tenantId: z.string().trim().max(100).optional(),
  })
  .strict();
