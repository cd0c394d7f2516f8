/**
 * Export of a plan as CSV or XLSX in the importer's layout (src/import), so that an exported plan
 * re-imports to the same rows. Formula-like cells are neutralised by that layout (leading apostrophe).
 */
import type { PlanItem } from '../../domain/model';
import { planToCsv, planToXlsx } from '../../import/spreadsheet';
import type { StoredItem, StoredPlan } from '../../store/planStore';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** A stored item back to a plain plan item (no store fields). */
function planItemOf(item: StoredItem): PlanItem {
  const { planId: _p, version: _v, lastUpdate: _l, ...rest } = item;
  return rest;
}

export async function exportPlan(plan: StoredPlan, items: readonly StoredItem[], format: 'csv' | 'xlsx'): Promise<ExportFile> {
  const doc = { plan: plan.plan, objectives: plan.objectives, recommendations: plan.recommendations, items: items.map(planItemOf) };
  if (format === 'xlsx') {
    return {
      filename: `${plan.id}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: await planToXlsx(doc),
    };
  }
  return { filename: `${plan.id}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(planToCsv(doc), 'utf8') };
}
