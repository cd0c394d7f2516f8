/** Who the caller is for a plan (GET /api/me, and the tab's opening request GET /api/start). */
import express from 'express';
import { isCoordinator, rolesOf } from '../../usecases/actor';
import { actorOfCaller, callerOf, type Caller } from '../auth';
import { today, type ApiDeps } from './apiDeps';

export interface MeView {
  id: string;
  name: string;
  email: string | null;
  localMode: boolean;
  coordinator: boolean;
  /** The roles the caller answers for in the plan. */
  roles: string[];
  /** The server's calendar date (Europe/London): the tab's "today" for due dates. */
  today: string;
  /** The plan's reminder window (largest reminder offset): how far back a report answers a passed milestone. */
  windowDays?: number;
  /** Entity id the setup page gives the channel tab, the one the bot's deep links name. */
  tabEntityId: string;
}

export async function meOf(
  deps: Pick<ApiDeps, 'store' | 'config' | 'clock' | 'settings'>,
  caller: Caller,
  planId?: string,
): Promise<MeView> {
  const actor = actorOfCaller(caller);
  const windowDays = planId ? await deps.settings.windowDays(planId) : undefined;
  return {
    id: caller.id,
    name: caller.name,
    email: caller.email ?? null,
    localMode: caller.local,
    coordinator: isCoordinator(actor, deps.config.COORDINATOR_IDS),
    roles: planId ? rolesOf(actor, await deps.store.listDirectory(planId)) : [],
    today: today(deps),
    ...(windowDays !== undefined ? { windowDays } : {}),
    tabEntityId: deps.config.TAB_ENTITY_ID,
  };
}

export function meRoutes(deps: ApiDeps): express.Router {
  const router = express.Router();
  router.get('/me', async (req, res) => {
    const planId = typeof req.query.plan === 'string' ? req.query.plan : undefined;
    res.json(await meOf(deps, callerOf(req), planId));
  });
  return router;
}
