/**
 * The board pack for one quarter: what a Partnership or Prevent Board reads. Every figure is as at
 * the quarter's last day, rebuilt from history (asAt.ts), so it matches the dashboard "as at" that day.
 * Pure.
 *
 * - Summary by objective: RAG counts at the quarter end, and at the previous quarter end.
 * - Direction of travel per item: its status at this quarter end against the previous one (Red <
 *   Amber < Green < Complete): improved, same or worse; "new" when it had no status to compare with.
 *   Per objective: the sum of its items' steps (up is +1 a step, down −1): above 0 improved, below
 *   worse, 0 the same.
 * - Exception report: every Red and Amber item with its note, corrective action and revised date;
 *   every open item not reported within the quarter.
 * - Output progress against targets and the recommendations matrix, as at the quarter end.
 */
import { historyAsAt, itemAsAt, reportedBetween } from './asAt';
import { addDays } from './calendar';
import {
  countStatuses,
  outputProgress,
  recommendationsMatrix,
  type OutputProgress,
  type RagCounts,
  type RecommendationRow,
} from './dashboard';
import type { FilterableItem } from './filters';
import { effectiveMilestones } from './milestones';
import type { IsoDate, Objective, PlanInfo, Rag, Recommendation, StatusUpdate } from './model';
import { planQuarters, type ReportingPeriod } from './reportingPeriods';

export type Direction = 'improved' | 'same' | 'worse' | 'new';

export const DIRECTION_LABELS: Record<Direction, string> = {
  improved: 'Improved',
  same: 'Same',
  worse: 'Worse',
  new: 'No earlier status',
};

const RANK: Partial<Record<Rag, number>> = { red: 1, amber: 2, green: 3, complete: 4 };

export function directionOf(before: Rag, now: Rag): Direction {
  const a = RANK[before];
  const b = RANK[now];
  if (a === undefined || b === undefined) return 'new';
  return b > a ? 'improved' : b < a ? 'worse' : 'same';
}

/** The item fields the pack reads (a StoredItem satisfies it). */
export type PackItem = FilterableItem & {
  lastUpdate?: { at: string; by?: string; note?: string; revisedDate?: IsoDate; correctiveAction?: string };
};

export interface PackItemRow {
  key: string;
  title: string;
  objectives: number[];
  /** Lead roles, or the owner role of an item with none. */
  leads: string[];
  status: Rag;
  previous: Rag;
  direction: Direction;
  reportedThisQuarter: boolean;
  lastReportAt?: string;
  note?: string;
  correctiveAction?: string;
  revisedDate?: IsoDate;
  /** The item's due dates as they stood at the quarter end. */
  due: IsoDate[];
}

export interface ObjectiveSummary {
  objective: number;
  title: string;
  total: number;
  counts: RagCounts;
  previousCounts: RagCounts;
  direction: Direction;
  improved: number;
  worse: number;
}

export interface BoardPack {
  organisation: string;
  title: string;
  quarter: ReportingPeriod;
  /** The previous quarter, or the plan's start for the first one. */
  previous: { label: string; asAt: IsoDate };
  asAt: IsoDate;
  total: number;
  counts: RagCounts;
  byObjective: ObjectiveSummary[];
  items: PackItemRow[];
  exceptions: { offTrack: PackItemRow[]; notReported: PackItemRow[] };
  outputs: OutputProgress[];
  recommendations: RecommendationRow[];
}

function groupHistory(history: readonly StatusUpdate[]): Map<string, StatusUpdate[]> {
  const map = new Map<string, StatusUpdate[]>();
  for (const u of [...history].sort((a, b) => a.at.localeCompare(b.at))) map.set(u.itemKey, [...(map.get(u.itemKey) ?? []), u]);
  return map;
}

function step(d: PackItemRow): number {
  const a = RANK[d.previous];
  const b = RANK[d.status];
  return a === undefined || b === undefined ? 0 : b - a;
}

export function buildBoardPack(input: {
  plan: PlanInfo;
  objectives: readonly Objective[];
  recommendations: readonly Recommendation[];
  items: readonly PackItem[];
  history: readonly StatusUpdate[];
  quarter: ReportingPeriod;
  /** The owner role shown for items with no lead (the plan's "contract manager"). */
  ownerRole?: string;
}): BoardPack {
  const { quarter } = input;
  const quarters = planQuarters(input.plan);
  const index = quarters.findIndex((q) => q.end === quarter.end);
  const prior = index > 0 ? quarters[index - 1] : undefined;
  const previous = prior ? { label: prior.label, asAt: prior.end } : { label: 'the plan as imported', asAt: addDays(quarter.start, -1) };
  const grouped = groupHistory(input.history);
  const rows: PackItemRow[] = [];
  const now: PackItem[] = [];
  for (const item of input.items) {
    const updates = grouped.get(item.key) ?? [];
    const at = itemAsAt(item, updates, quarter.end);
    const before = itemAsAt(item, updates, previous.asAt);
    now.push(at);
    const row: PackItemRow = {
      key: item.key,
      title: item.title,
      objectives: item.objectives,
      leads: item.leads.length > 0 ? item.leads : item.owner ? [item.owner] : input.ownerRole ? [input.ownerRole] : [],
      status: at.status,
      previous: before.status,
      direction: directionOf(before.status, at.status),
      reportedThisQuarter: reportedBetween(updates, quarter.start, quarter.end),
      due: effectiveMilestones(at),
    };
    const u = at.lastUpdate;
    if (u) {
      row.lastReportAt = u.at;
      if (u.note) row.note = u.note;
      if (u.correctiveAction) row.correctiveAction = u.correctiveAction;
      if (u.revisedDate) row.revisedDate = u.revisedDate;
    }
    rows.push(row);
  }
  const byObjective = [...input.objectives]
    .sort((a, b) => a.number - b.number)
    .map((o): ObjectiveSummary => {
      const mine = rows.filter((r) => r.objectives.includes(o.number));
      const sum = mine.reduce((n, r) => n + step(r), 0);
      return {
        objective: o.number,
        title: o.title,
        total: mine.length,
        counts: countStatuses(mine),
        previousCounts: countStatuses(mine.map((r) => ({ status: r.previous }))),
        direction: mine.every((r) => r.direction === 'new') ? 'new' : sum > 0 ? 'improved' : sum < 0 ? 'worse' : 'same',
        improved: mine.filter((r) => r.direction === 'improved').length,
        worse: mine.filter((r) => r.direction === 'worse').length,
      };
    });
  const history = historyAsAt(input.history, quarter.end);
  return {
    organisation: input.plan.organisation,
    title: input.plan.title,
    quarter,
    previous,
    asAt: quarter.end,
    total: rows.length,
    counts: countStatuses(rows),
    byObjective,
    items: rows,
    exceptions: {
      offTrack: rows
        .filter((r) => r.status === 'red' || r.status === 'amber')
        .sort((a, b) => (a.status === b.status ? a.title.localeCompare(b.title) : a.status === 'red' ? -1 : 1)),
      // Items complete by the previous quarter end have nothing left to report.
      notReported: rows.filter((r) => !r.reportedThisQuarter && r.previous !== 'complete' && r.status !== 'complete'),
    },
    outputs: outputProgress(now, history),
    recommendations: recommendationsMatrix(input.recommendations, now),
  };
}
