/**
 * Items: list with filters, one item, a co-ordinator's edit, a status report (the recordStatus use
 * case, as on the bot's card), history, and "Send prompt now".
 */
import express from 'express';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { ItemPatch } from '../../store/planStore';
import { editItem, requireCoordinator } from '../../usecases/editItem';
import { reportingRules } from '../../usecases/planSettings';
import { recordStatus, type Refusal } from '../../usecases/recordStatus';
import { actorOfCaller, callerOf } from '../auth';
import { expectedVersion, itemOr404, param, planOr404, sendItem, type ApiDeps } from './apiDeps';
import { UnavailableError } from './errors';
import { sendAsciiJson } from './asciiJson';
import { listItems } from './itemQuery';
import { itemPatchSchema, itemsQuerySchema, statusChangeSchema } from './schemas';

/** A refusal of the use case as the error the API answers with. */
function refusalError(refusal: Refusal, current: unknown): Error {
  switch (refusal.kind) {
    case 'not-found':
      return new NotFoundError(refusal.message);
    case 'forbidden':
      return new ForbiddenError(refusal.message);
    case 'invalid':
      return new ValidationError(refusal.problems.map((p) => p.message).join(' '), refusal.problems[0]?.field, refusal.problems);
    case 'stale':
      return new ConflictError(
        refusal.why === 'changed'
          ? 'This item was changed in the plan since you opened it: nothing was recorded. Check it and report again.'
          : `Someone else reported on this item since you opened it${refusal.by ? ` (${refusal.by})` : ''}: nothing was recorded. Check the status now shown and report again if yours still stands.`,
        current,
      );
  }
}

export function itemRoutes(deps: ApiDeps): express.Router {
  const { store, logger, settings } = deps;
  const router = express.Router();

  router.get('/plans/:planId/items', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    sendAsciiJson(res, await listItems(deps, planId, itemsQuerySchema.parse(req.query)));
  });

  router.get('/plans/:planId/items/:key', async (req, res) => {
    sendItem(res, await itemOr404(store, param(req, 'planId'), param(req, 'key')));
  });

  router.patch('/plans/:planId/items/:key', async (req, res) => {
    const actor = actorOfCaller(callerOf(req));
    requireCoordinator(actor, deps.config.COORDINATOR_IDS, 'edit an item');
    const { version: bodyVersion, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const patch = itemPatchSchema.parse(fields) as ItemPatch;
    const version = expectedVersion(req, typeof bodyVersion === 'string' ? bodyVersion : undefined);
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    const updated = await editItem(
      { store, clock: deps.clock, coordinatorIds: deps.config.COORDINATOR_IDS },
      actor,
      planId,
      key,
      patch,
      version,
    );
    logger.info({ planId, key, fields: Object.keys(patch) }, 'item edited');
    sendItem(res, updated);
  });

  router.post('/plans/:planId/items/:key/status', async (req, res) => {
    const actor = actorOfCaller(callerOf(req));
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    const body = statusChangeSchema.parse(req.body ?? {});
    const basis = { version: expectedVersion(req, body.version) };
    const input = {
      rag: body.to,
      note: body.note,
      figures: body.figures ?? {},
      revisedDate: body.revisedDate,
      correctiveAction: body.correctiveAction,
    };
    const result = await recordStatus(
      { store, clock: deps.clock, logger, coordinatorIds: deps.config.COORDINATOR_IDS, ...reportingRules(settings, store) },
      actor,
      planId,
      key,
      input,
      basis,
    );
    if (result.outcome === 'refused') throw refusalError(result.refusal, result.item);
    sendItem(res, result.item);
  });

  router.get('/plans/:planId/items/:key/history', async (req, res) => {
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    await itemOr404(store, planId, key);
    res.json(await store.history(planId, key));
  });

  router.post('/plans/:planId/items/:key/prompt', async (req, res) => {
    const caller = callerOf(req);
    requireCoordinator(actorOfCaller(caller), deps.config.COORDINATOR_IDS, 'send a prompt');
    const planId = param(req, 'planId');
    const key = param(req, 'key');
    await itemOr404(store, planId, key);
    if (!deps.bot)
      throw new UnavailableError(
        'Prompts are sent by the Teams bot, which is not running on this server. Start the server with the bot configured and try again.',
      );
    res.status(202).json(await deps.bot.promptNow(planId, key, caller.email ?? caller.name));
  });

  return router;
}
