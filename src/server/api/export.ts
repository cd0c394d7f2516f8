/**
 * Export of a plan as CSV or XLSX in the importer's layout (src/import), so that an exported plan
 * re-imports to the same rows. Formula-like cells are neutralised by that layout (leading apostrophe).
 * The export holds the items the person has on screen (the same filters and order as the items list)
 * and, for each, when and by whom it was last reported and the latest note given.
 */
import type { PlanItem, StatusUpdate } from '../../domain/model';
import { planToCsv, planToXlsx, type ItemReport } from '../../import/spreadsheet';
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

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a London date and time a spreadsheet sorts as text: "2018-09-05 11:00". */
export function londonDateTime(instant: string): string {
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Each item's last report and the latest note given on it (a later report without a note keeps the earlier note). */
export function itemReports(items: readonly StoredItem[], history: readonly StatusUpdate[]): Map<string, ItemReport> {
  const notes = new Map<string, { at: string; note: string }>();
  for (const h of history) {
    if (h.kind === 'plan-edit' || !h.note) continue;
    const seen = notes.get(h.itemKey);
    if (!seen || h.at >= seen.at) notes.set(h.itemKey, { at: h.at, note: h.note });
  }
  const reports = new Map<string, ItemReport>();
  for (const item of items) {
    const report: ItemReport = {};
    if (item.lastUpdate) {
      report.at = londonDateTime(item.lastUpdate.at);
      report.by = item.lastUpdate.by;
    }
    const note = notes.get(item.key)?.note ?? item.lastUpdate?.note;
    if (note) report.note = note;
    reports.set(item.key, report);
  }
  return reports;
}

export async function exportPlan(
  plan: StoredPlan,
  items: readonly StoredItem[],
  format: 'csv' | 'xlsx',
  history: readonly StatusUpdate[] = [],
): Promise<ExportFile> {
  const doc = { plan: plan.plan, objectives: plan.objectives, recommendations: plan.recommendations, items: items.map(planItemOf) };
  const byKey = itemReports(items, history);
  const reports = (item: PlanItem): ItemReport | undefined => byKey.get(item.key);
  if (format === 'xlsx') {
    return {
      filename: `${plan.id}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: await planToXlsx(doc, reports),
    };
  }
  return { filename: `${plan.id}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(planToCsv(doc, reports), 'utf8') };
}
