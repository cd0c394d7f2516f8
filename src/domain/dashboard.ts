/**
 * The plan's "Performance Management Framework and dashboard": pure functions from items and
 * history to counts, a week-by-week RAG trend (ISO weeks in Europe/London), overdue and upcoming
 * milestones, output progress against targets and the recommendations matrix. Everything is "as at"
 * a day: items and history are rebuilt to how they stood at its end (asAt.ts), so a past quarter end
 * shows what the board saw then.
 */
import { historyAsAt, itemsAsAt } from './asAt';
import { addDays, londonDate } from './calendar';
import type { FilterableItem } from './filters';
import { dueState, effectiveMilestones } from './milestones';
import { RAG_VALUES, type IsoDate, type Objective, type Rag, type Recommendation, type StatusUpdate } from './model';

export type RagCounts = Record<Rag, number>;

export function emptyCounts(): RagCounts {
  return Object.fromEntries(RAG_VALUES.map((r) => [r, 0])) as RagCounts;
}

export function countStatuses(items: readonly { status: Rag }[]): RagCounts {
  const counts = emptyCounts();
  for (const item of items) counts[item.status]++;
  return counts;
}

/** ISO 8601 week of a calendar date: "2018-W27" and the Monday it starts on. */
export function isoWeek(date: IsoDate): { week: string; start: IsoDate } {
  const d = new Date(`${date}T00:00:00Z`);
  const dayOfWeek = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDays(date, -dayOfWeek);
  const thursday = new Date(`${addDays(monday, 3)}T00:00:00Z`);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const weekNo = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return { week: `${year}-W${String(weekNo).padStart(2, '0')}`, start: monday };
}

export interface TrendPoint {
  /** ISO week, "2018-W27". */
  week: string;
  /** Monday of the week. */
  weekStart: IsoDate;
  /** Statuses as they stood at the end of the week (or on `asOf` for the current week). */
  counts: RagCounts;
}

/**
 * Statuses week by week, replaying history: each item starts at its first reported `from` (or its
 * current status when it has no history) and takes each update's `to` in the week of the update
 * (London time). Weeks run from the plan's first day (`from`, when given) or the first update's week,
 * whichever is earlier, to `asOf`'s week: at most `maxWeeks`, the latest kept.
 */
export function ragTrend(
  items: readonly { key: string; status: Rag }[],
  history: readonly StatusUpdate[],
  asOf: IsoDate,
  maxWeeks = 104,
  from?: IsoDate,
): TrendPoint[] {
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const current = new Map<string, Rag>();
  const firstFrom = new Map<string, Rag>();
  for (const u of sorted) if (!firstFrom.has(u.itemKey)) firstFrom.set(u.itemKey, u.from);
  for (const item of items) current.set(item.key, firstFrom.get(item.key) ?? item.status);
  const endWeek = isoWeek(asOf);
  const first = sorted[0];
  let start = first ? isoWeek(londonDate(first.at)).start : endWeek.start;
  if (from && from <= asOf && isoWeek(from).start < start) start = isoWeek(from).start;
  const earliest = addDays(endWeek.start, -7 * (maxWeeks - 1));
  if (start < earliest) start = earliest;
  const points: TrendPoint[] = [];
  let i = 0;
  for (let weekStart = start; weekStart <= endWeek.start; weekStart = addDays(weekStart, 7)) {
    const weekEnd = addDays(weekStart, 6);
    const cutoff = weekEnd < asOf ? weekEnd : asOf;
    while (i < sorted.length) {
      const u = sorted[i] as StatusUpdate;
      if (londonDate(u.at) > cutoff) break;
      if (current.has(u.itemKey)) current.set(u.itemKey, u.to);
      i++;
    }
    points.push({ week: isoWeek(weekStart).week, weekStart, counts: countStatuses([...current.values()].map((status) => ({ status }))) });
  }
  return points;
}

export interface MilestoneRow {
  itemKey: string;
  title: string;
  leads: string[];
  status: Rag;
  due: IsoDate;
  /** Days from `asOf` to the due date (negative when overdue). */
  days: number;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Overdue items (earliest overdue first) and milestones due within `windowDays` of `asOf`. */
export function milestones(
  items: readonly FilterableItem[],
  asOf: IsoDate,
  upcomingDays = 30,
  reminderWindow = 28,
): { overdue: MilestoneRow[]; upcoming: MilestoneRow[] } {
  const overdue: MilestoneRow[] = [];
  const upcoming: MilestoneRow[] = [];
  const horizon = addDays(asOf, upcomingDays);
  for (const item of items) {
    const row = (due: IsoDate): MilestoneRow => ({
      itemKey: item.key,
      title: item.title,
      leads: item.leads,
      status: item.status,
      due,
      days: daysBetween(asOf, due),
    });
    const state = dueState(item, asOf, reminderWindow);
    if (state.overdue) overdue.push(row(state.overdue));
    if (item.status === 'complete') continue;
    for (const m of effectiveMilestones(item)) if (m >= asOf && m <= horizon) upcoming.push(row(m));
  }
  const byDue = (a: MilestoneRow, b: MilestoneRow): number => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.title.localeCompare(b.title));
  return { overdue: overdue.sort(byDue), upcoming: upcoming.sort(byDue) };
}

export interface OutputProgress {
  itemKey: string;
  itemTitle: string;
  index: number;
  text: string;
  target: number;
  unit?: string;
  atLeast?: boolean;
  /** Latest figure reported against this output, if any. */
  reported?: number;
  reportedAt?: string;
  /** reported / target as a whole percentage (may exceed 100). */
  percent?: number;
}

/** Every output with a numeric target, with the latest figure reported against it. */
export function outputProgress(items: readonly FilterableItem[], history: readonly StatusUpdate[]): OutputProgress[] {
  const latest = new Map<string, { value: number; at: string }>();
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const u of sorted) {
    for (const [index, value] of Object.entries(u.figures ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value)) latest.set(`${u.itemKey}#${index}`, { value, at: u.at });
    }
  }
  const rows: OutputProgress[] = [];
  for (const item of items) {
    item.outputs.forEach((output, index) => {
      if (output.target === undefined) return;
      const row: OutputProgress = { itemKey: item.key, itemTitle: item.title, index, text: output.text, target: output.target };
      if (output.unit) row.unit = output.unit;
      if (output.atLeast) row.atLeast = true;
      const fig = latest.get(`${item.key}#${index}`);
      if (fig) {
        row.reported = fig.value;
        row.reportedAt = fig.at;
        row.percent = output.target > 0 ? Math.round((fig.value / output.target) * 100) : undefined;
        if (row.percent === undefined) delete row.percent;
      }
      rows.push(row);
    });
  }
  return rows;
}

export interface RecommendationRow {
  number: number;
  text: string;
  source?: string;
  actions: Array<{ key: string; title: string; status: Rag; kind: FilterableItem['kind'] }>;
  counts: RagCounts;
}

/** Each recommendation with the items that answer it and their statuses. */
export function recommendationsMatrix(recommendations: readonly Recommendation[], items: readonly FilterableItem[]): RecommendationRow[] {
  return [...recommendations]
    .sort((a, b) => a.number - b.number)
    .map((rec) => {
      const answering = items.filter((i) => i.recommendations.includes(rec.number));
      const row: RecommendationRow = {
        number: rec.number,
        text: rec.text,
        actions: answering.map((i) => ({ key: i.key, title: i.title, status: i.status, kind: i.kind })),
        counts: countStatuses(answering),
      };
      if (rec.source) row.source = rec.source;
      return row;
    });
}

export interface Dashboard {
  asOf: IsoDate;
  /** The last day of the plan's period, when known: after it, nothing is "overdue", the plan has ended. */
  periodEnd?: IsoDate;
  /** True when `asOf` is after the plan's period. */
  periodEnded?: boolean;
  total: number;
  counts: RagCounts;
  byObjective: Array<{ objective: number; title: string; total: number; counts: RagCounts }>;
  trend: TrendPoint[];
  overdue: MilestoneRow[];
  upcoming: MilestoneRow[];
  outputs: OutputProgress[];
  recommendations: RecommendationRow[];
}

export function buildDashboard(input: {
  objectives: readonly Objective[];
  recommendations: readonly Recommendation[];
  items: readonly FilterableItem[];
  history: readonly StatusUpdate[];
  asOf: IsoDate;
  upcomingDays?: number;
  /** The plan's reminder window (largest reminder offset), for what counts as overdue. */
  windowDays?: number;
  /** The plan's last day: after it the plan has ended (`periodEnded`). */
  periodEnd?: IsoDate;
  /** The plan's first day: the trend runs from its week. */
  periodStart?: IsoDate;
}): Dashboard {
  const { asOf } = input;
  const history = historyAsAt(input.history, asOf);
  const items = itemsAsAt(input.items, input.history, asOf);
  const { overdue, upcoming } = milestones(items, asOf, input.upcomingDays ?? 30, input.windowDays);
  return {
    asOf,
    ...(input.periodEnd ? { periodEnd: input.periodEnd, periodEnded: asOf > input.periodEnd } : {}),
    total: items.length,
    counts: countStatuses(items),
    byObjective: [...input.objectives]
      .sort((a, b) => a.number - b.number)
      .map((o) => {
        const inObjective = items.filter((i) => i.objectives.includes(o.number));
        return { objective: o.number, title: o.title, total: inObjective.length, counts: countStatuses(inObjective) };
      }),
    trend: ragTrend(items, history, asOf, 104, input.periodStart),
    overdue,
    upcoming,
    outputs: outputProgress(items, history),
    recommendations: recommendationsMatrix(input.recommendations, items),
  };
}
