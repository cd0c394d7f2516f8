/** The shared delivery plan, read by the real importer (31 items). */
import fs from 'node:fs';
import type { Plan } from '../../src/domain/model';
import { parsePlanDocument } from '../../src/import/planDocument';
import { SHARED_PLAN } from '../support/paths';

export function sharedPlan(): Plan {
  return parsePlanDocument(fs.readFileSync(SHARED_PLAN, 'utf8'), SHARED_PLAN);
}
