/**
 * The reporting cycle's API: the plan's quarters (the "as at" quick picks), the board pack for a
 * quarter (JSON for the tab, .docx to circulate), the public version (co-ordinators), and what the bot
 * will send in a window (the Settings view's schedule, computed by the code that sends).
 */
import express from 'express';
import { z } from 'zod';
import { buildBoardPack } from '../../domain/boardPack';
import { isIsoDate, daysBetween } from '../../domain/calendar';
import { buildPublicPlan } from '../../domain/publicExport';
import { findQuarter, planQuarters, type ReportingPeriod } from '../../domain/reportingPeriods';
import { SCHEDULE_MAX_DAYS } from '../../domain/schedule';
import { ValidationError } from '../../errors';
import { boardPackDocx } from '../../reports/boardPackDocx';
import { WORD_CONTENT_TYPE } from '../../reports/docxParts';
import { publicFile } from '../../reports/publicExport';
import type { StoredPlan } from '../../store/planStore';
import { requireCoordinator } from '../../usecases/editItem';
import { ownerRoleOf } from '../../domain/recipients';
import { scheduleInput, scheduleJson, windowOf } from '../../usecases/schedule';
import { actorOfCaller, callerOf } from '../auth';
import { param, planOr404, type ApiDeps } from './apiDeps';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2018-09-30 (YYYY-MM-DD)')
  .refine(isIsoDate, 'Not a real date');

const packQuery = z.object({
  quarter: z.string({ message: 'Name the quarter: quarter=Q2 2018-19 (or its last day, 2018-09-30)' }).trim().min(1).max(40),
  format: z.enum(['json', 'docx'], { message: 'format is json or docx' }).default('json'),
});
const publicQuery = z.object({
  quarter: z.string({ message: 'Name the quarter: quarter=Q2 2018-19 (or its last day, 2018-09-30)' }).trim().min(1).max(40),
  format: z.enum(['md', 'docx'], { message: 'format is md or docx' }).default('md'),
});
const scheduleQuery = z.object({ from: isoDate, to: isoDate });

function quarterOr400(plan: StoredPlan, name: string): ReportingPeriod {
  const q = findQuarter(plan.plan, name);
  if (!q) {
    const known = planQuarters(plan.plan).map((x) => x.label);
    throw new ValidationError(`"${name}" is not a quarter of this plan: choose one of ${known.join(', ')}`, 'quarter');
  }
  return q;
}

export function reportRoutes(deps: ApiDeps): express.Router {
  const { store, settings } = deps;
  const router = express.Router();

  router.get('/plans/:planId/quarters', async (req, res) => {
    const plan = await planOr404(store, param(req, 'planId'));
    res.json(planQuarters(plan.plan));
  });

  router.get('/plans/:planId/board-pack', async (req, res) => {
    const planId = param(req, 'planId');
    const plan = await planOr404(store, planId);
    const q = packQuery.parse(req.query);
    const quarter = quarterOr400(plan, q.quarter);
    const [items, history, planSettings] = await Promise.all([
      store.listItems(planId),
      store.history(planId),
      settings.settingsFor(planId),
    ]);
    const pack = buildBoardPack({
      plan: plan.plan,
      objectives: plan.objectives,
      recommendations: plan.recommendations,
      items,
      history,
      quarter,
      ownerRole: ownerRoleOf(planSettings.ownerRole, items),
    });
    if (q.format === 'json') {
      res.json(pack);
      return;
    }
    const filename = `${planId}-board-pack-${quarter.label.replace(/\s+/g, '-').toLowerCase()}.docx`;
    res
      .status(200)
      .set('Content-Type', WORD_CONTENT_TYPE)
      .set('Content-Disposition', `attachment; filename="${filename}"`)
      .send(await boardPackDocx(pack));
  });

  router.get('/plans/:planId/public-export', async (req, res) => {
    requireCoordinator(actorOfCaller(callerOf(req)), deps.config.COORDINATOR_IDS, 'export the public version');
    const planId = param(req, 'planId');
    const plan = await planOr404(store, planId);
    const q = publicQuery.parse(req.query);
    const quarter = quarterOr400(plan, q.quarter);
    const [items, history, directory, planSettings] = await Promise.all([
      store.listItems(planId),
      store.history(planId),
      store.listDirectory(planId),
      settings.settingsFor(planId),
    ]);
    const content = buildPublicPlan({
      plan: plan.plan,
      objectives: plan.objectives,
      recommendations: plan.recommendations,
      items,
      history,
      directory,
      quarter,
      rules: { restricted: planSettings.publicRestricted, internalFigures: planSettings.internalFigures },
    });
    const file = await publicFile(planId, content, q.format);
    res
      .status(200)
      .set('Content-Type', file.contentType)
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  });

  router.get('/plans/:planId/schedule', async (req, res) => {
    const planId = param(req, 'planId');
    const plan = await planOr404(store, planId);
    const { from, to } = scheduleQuery.parse(req.query);
    if (to < from) throw new ValidationError(`The window ends (${to}) before it starts (${from})`, 'to');
    if (daysBetween(from, to) > SCHEDULE_MAX_DAYS) throw new ValidationError(`The window is longer than ${SCHEDULE_MAX_DAYS} days`, 'to');
    res.json(scheduleJson(planId, windowOf(await scheduleInput(store, settings, plan), from, to)));
  });

  return router;
}
