/**
 * POST /api/plans/import?filename=plan.docx[&dryRun=true]: a co-ordinator uploads a plan file from
 * the tab (.md, .docx, .csv or .xlsx) as the raw request body. The same reader as `dplan import`
 * reads it (readPlanData: limits, encoding, ZIP guard, structure by meaning); a dry run answers
 * what would be imported (counts, what would change, warnings with their lines) and writes
 * nothing; the real import writes through `store.importPlan`, which keeps reported statuses. A
 * file that cannot be read is answered 400 with `file:line: message` and nothing is written.
 *
 * Mounted ahead of the JSON API (which parses JSON bodies only) with its own authentication.
 */
import express from 'express';
import type { ParsedPlan } from '../../domain/model';
import { planIdOf } from '../../domain/identity';
import { ForbiddenError, PlanFormatError, ValidationError } from '../../errors';
import { LIMITS, megabytes } from '../../import/limits';
import { PLAN_FILE_KINDS, readPlanData } from '../../import/readPlanFile';
import { documentHash, documentOf } from '../../store/itemDocument';
import { itemOf } from '../../store/readPlan';
import { isCoordinator } from '../../usecases/actor';
import { actorOfCaller, authenticate, callerOf } from '../auth';
import type { ApiDeps } from './apiDeps';
import { errorHandler } from './errors';

/** What the tab shows of a plan file before and after it is imported. */
export interface ImportPreview {
  dryRun: boolean;
  file: string;
  planId: string;
  plan: ParsedPlan['plan'];
  objectives: number;
  recommendations: number;
  items: number;
  actions: number;
  projects: number;
  /** Items that would be (or were) created, updated or left as they are. */
  created: number;
  updated: number;
  unchanged: number;
  warnings: ParsedPlan['warnings'];
}

function fileNameOf(req: express.Request): string {
  const raw = typeof req.query.filename === 'string' ? req.query.filename : '';
  // Only the base name: it names the file in messages and its extension says the kind.
  const name = raw.split(/[\\/]/).pop()!.trim();
  if (name === '' || name.length > 200)
    throw new ValidationError(`Say which file this is: ?filename=plan.docx (one of ${PLAN_FILE_KINDS.join(', ')})`, 'filename');
  return name;
}

export function importRouter(deps: ApiDeps): express.Router {
  const { store, config, logger } = deps;
  const router = express.Router();
  router.use(authenticate(config, deps.validator));
  router.use((req, _res, next) => {
    if (!isCoordinator(actorOfCaller(callerOf(req)), config.COORDINATOR_IDS))
      next(new ForbiddenError('Only a plan co-ordinator can import a plan. Ask a co-ordinator, or to be added to COORDINATOR_IDS.'));
    else next();
  });
  router.post('/', express.raw({ type: () => true, limit: LIMITS.maxFileBytes }), async (req, res) => {
    const caller = callerOf(req);
    const file = fileNameOf(req);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0) throw new ValidationError('Send the plan file as the request body', 'body');
    const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
    const parsed = await readPlanData(body, file);
    const planId = planIdOf(parsed.plan);
    const preview: ImportPreview = {
      dryRun,
      file,
      planId,
      plan: parsed.plan,
      objectives: parsed.objectives.length,
      recommendations: parsed.recommendations.length,
      items: parsed.items.length,
      actions: parsed.items.filter((i) => i.kind === 'action').length,
      projects: parsed.items.filter((i) => i.kind === 'project').length,
      created: 0,
      updated: 0,
      unchanged: 0,
      warnings: parsed.warnings,
    };
    if (dryRun) {
      const stored = new Map((await store.listItems(planId)).map((i) => [i.key, documentHash(documentOf(itemOf(i)))]));
      for (const item of parsed.items) {
        const before = stored.get(item.key);
        if (before === undefined) preview.created++;
        else if (before === documentHash(documentOf(item))) preview.unchanged++;
        else preview.updated++;
      }
      res.json(preview);
      return;
    }
    const result = await store.importPlan(parsed);
    logger.info(
      {
        planId,
        by: caller.id,
        file,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        warnings: parsed.warnings.length,
      },
      'plan imported from the tab',
    );
    res.json({ ...preview, created: result.created, updated: result.updated, unchanged: result.unchanged });
  });
  router.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const e = err as { type?: string };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({
        error: 'invalid',
        message: `The file is larger than ${megabytes(LIMITS.maxFileBytes)}; plans larger than that are not read (split the plan, or remove pictures and tracked changes)`,
      });
      return;
    }
    if (err instanceof PlanFormatError) {
      res.status(400).json({ error: err.code, message: err.message, file: err.file, ...(err.line > 0 ? { line: err.line } : {}) });
      return;
    }
    next(err);
  });
  router.use(errorHandler(logger));
  return router;
}
