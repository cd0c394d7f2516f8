/**
 * What the tab opens with, in one request (GET /api/start): the plan the tab shows, who the caller is
 * in it, and its items. Only that plan's items are read: the other plans' counts (GET /api/plans,
 * for the configuration page) would cost a full read of each plan's list on the Graph store. A plain
 * browser asks for it while the tab's code is still loading (src/tab/index.html), so the first rows
 * do not wait for three requests in a row.
 *
 * Which plan: the one the tab was configured with (`plan`, the channel tab's ?plan=), else the newest;
 * the personal tab (`mode=personal`) takes the newest plan in which the caller leads something.
 */
import express from 'express';
import { NotFoundError } from '../../errors';
import { callerOf } from '../auth';
import type { ApiDeps } from './apiDeps';
import { sendAsciiJson } from './asciiJson';
import { listItems } from './itemQuery';
import { meOf } from './me';
import { itemsQuerySchema, startQuerySchema } from './schemas';

export function startRoutes(deps: ApiDeps): express.Router {
  const router = express.Router();
  router.get('/start', async (req, res) => {
    const { plan: wanted, mode } = startQuerySchema.parse(req.query);
    const caller = callerOf(req);
    const plans = await deps.store.listPlans();
    let chosen = wanted ? plans.find((p) => p.id === wanted) : plans[0];
    let me = chosen && (await meOf(deps, caller, chosen.id));
    if (!wanted && mode === 'personal') {
      for (const p of plans) {
        const who = p.id === chosen?.id && me ? me : await meOf(deps, caller, p.id);
        if (who.roles.length) {
          chosen = p;
          me = who;
          break;
        }
      }
    }
    if (!chosen || !me)
      throw new NotFoundError(
        wanted
          ? `The plan "${wanted}" is not on this server. Reconfigure the tab to choose another plan.`
          : 'There is no plan on this server yet. A co-ordinator can import one with `dplan import <file>`.',
      );
    const items = await listItems(deps, chosen.id, itemsQuerySchema.parse({}));
    sendAsciiJson(res, { plan: chosen, me, items });
  });
  return router;
}
