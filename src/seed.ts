/** Seeds an empty embedded store from a plan document, so a fresh machine shows a real plan. */
import fs from 'node:fs';
import type { Logger } from './logger';
import { readPlanFile } from './import/readPlanFile';
import type { PlanStore } from './store/planStore';

export async function seedIfEmpty(store: PlanStore, file: string | undefined, logger: Logger): Promise<void> {
  if (!file) return;
  if ((await store.listPlans()).length > 0) return;
  if (!fs.existsSync(file)) {
    logger.warn({ file }, 'seed plan not found; starting with an empty store (import one with `dplan import <file>`)');
    return;
  }
  const parsed = await readPlanFile(file);
  const summary = await store.importPlan(parsed);
  logger.info(
    { file, planId: summary.planId, items: summary.created, warnings: parsed.warnings.length },
    'seeded the empty store from the plan document',
  );
}
