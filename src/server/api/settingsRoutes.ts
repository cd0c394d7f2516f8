/**
 * A plan's settings (reminder days, the digest's day, hour and channel, the reporting cycle), as the
 * bot and the scheduler use them; and the team's channels to choose the digest's channel from.
 */
import express from 'express';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { graphHttpForUser } from '../../graph/graphConnection';
import { planSettingsSchema } from '../../usecases/planSettings';
import { requireCoordinator } from '../../usecases/editItem';
import { actorOfCaller, callerOf } from '../auth';
import { param, planOr404, type ApiDeps } from './apiDeps';
import { listTeamChannels } from './teamChannels';

/** A Microsoft 365 group id (a team's id in Graph). */
const channelsQuerySchema = z.object({
  team: z
    .string({ message: "Give the team's id (team=<group id> from the Teams context)" })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "The team's id is a group id (a GUID)"),
});

/**
 * The settings' problems, each under the field the tab shows it beside (`reminderOffsets`, not
 * `reminderOffsets.0`), in the schema's own plain words; a line of a list says which line.
 */
export function settingsProblems(error: z.ZodError): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  for (const issue of error.issues) {
    const [field, index] = issue.path;
    const line = typeof index === 'number' && field === 'internalFigures' ? `Line ${index + 1}: ` : '';
    const entry = { field: typeof field === 'string' ? field : 'settings', message: `${line}${issue.message}` };
    if (!problems.some((p) => p.field === entry.field && p.message === entry.message)) problems.push(entry);
  }
  return problems;
}

export function settingsRoutes(deps: ApiDeps): express.Router {
  const { store, settings, config, logger } = deps;
  const router = express.Router();
  const graphForUser = deps.graphForUser ?? ((token: string) => graphHttpForUser(config, logger, token));

  router.get('/plans/:planId/settings', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    res.json(await settings.settingsFor(planId));
  });

  router.put('/plans/:planId/settings', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(actorOfCaller(caller), config.COORDINATOR_IDS, 'change settings');
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    const { updatedAt: _at, updatedBy: _by, source: _source, ...body } = { ...(req.body ?? {}) } as Record<string, unknown>;
    const parsed = planSettingsSchema.safeParse(body);
    if (!parsed.success) {
      const problems = settingsProblems(parsed.error);
      throw new ValidationError(`The settings were not saved: ${problems.map((p) => p.message).join('; ')}`, problems[0]?.field, problems);
    }
    res.json(await settings.save(planId, parsed.data, caller.email ?? caller.name, deps.clock.now().toISOString()));
  });

  /**
   * The team's channels (in Teams, on behalf of the caller); in local mode there is no team, so the
   * answer says so and the tab offers the typed id instead.
   */
  router.get('/plans/:planId/channels', async (req, res) => {
    const caller = callerOf(req);
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    if (!caller.token || !config.CLIENT_SECRET) {
      res.json({ available: false, channels: [], message: 'Outside Teams there is no team to list channels from: type the channel id.' });
      return;
    }
    const { team } = channelsQuerySchema.parse(req.query);
    res.json({ available: true, channels: await listTeamChannels(graphForUser(caller.token), team) });
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
    await deps.bot?.linkChannel?.(link);
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
