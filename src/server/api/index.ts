/**
 * The tab's JSON API under /api/. Every route needs a caller (SSO token in Teams, the development
 * identity in local mode). Reads are open to every caller; a lead may report status only on the
 * items their role leads; editing items, prompting, the directory, settings and export are for
 * co-ordinators. Updates carry the version the person saw (If-Match or `version`): a stale one gets
 * 409 with the current item, and nothing is written.
 */
import express from 'express';
import { authenticate } from '../auth';
import type { ApiDeps } from './apiDeps';
import { directoryRoutes } from './directoryRoutes';
import { errorHandler } from './errors';
import { importRouter } from './importRoute';
import { itemRoutes } from './itemRoutes';
import { meRoutes } from './me';
import { planRoutes } from './planRoutes';
import { reportRoutes } from './reportRoutes';
import { settingsRoutes } from './settingsRoutes';
import { startRoutes } from './start';

export type { ApiDeps, BotHooks } from './apiDeps';

export function createApiRouter(deps: ApiDeps): express.Router {
  const { config, logger } = deps;
  const router = express.Router();
  // Plan files come as raw bodies: ahead of the JSON-only API, with its own authentication.
  router.use('/plans/import', importRouter(deps));
  router.use(express.json({ limit: '256kb' }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(authenticate(config, deps.validator));
  // A body in another format would reach the routes as no body at all, and be refused for the wrong reason.
  router.use((req, res, next) => {
    // An empty body (POST …/prompt, Content-Length: 0) carries no format to refuse.
    const empty = req.get('content-length') === '0' || (!req.get('content-length') && !req.get('transfer-encoding'));
    if (!empty && req.is('application/json') === false) {
      res.status(415).json({
        error: 'invalid',
        message: `Send the body as JSON (Content-Type: application/json), not ${req.get('content-type') ?? 'without a content type'}`,
      });
      return;
    }
    next();
  });

  router.use(meRoutes(deps));
  router.use(startRoutes(deps));
  router.use(planRoutes(deps));
  router.use(itemRoutes(deps));
  router.use(directoryRoutes(deps));
  router.use(settingsRoutes(deps));
  router.use(reportRoutes(deps));

  router.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No API route ${req.method} /api${req.path}` });
  });
  router.use(errorHandler(logger));
  return router;
}
