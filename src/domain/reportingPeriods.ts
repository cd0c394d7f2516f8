/**
 * Reporting periods: the rhythm a board reports on. Quarters of the UK financial year (Q1 is April to
 * June, Q4 January to March) or calendar months, clipped to the plan's period; the day a check-in is
 * asked (some days before a period ends); and the quarter ends a co-ordinator picks "as at" dates from.
 * Pure.
 */
import { addDays, isIsoDate } from './calendar';
import type { IsoDate, PlanInfo } from './model';

export const REPORTING_CADENCES = ['quarterly', 'monthly', 'none'] as const;
export type ReportingCadence = (typeof REPORTING_CADENCES)[number];

export const DEFAULT_CADENCE: ReportingCadence = 'quarterly';
/** Days before a period ends on which its check-in is asked. */
export const DEFAULT_LEAD_DAYS = 14;

export interface ReportingPeriod {
  /** First day (clipped to the plan's period). */
  start: IsoDate;
  /** Last day (clipped to the plan's period). */
  end: IsoDate;
  /** "Q2 2018-19", "September 2018". */
  label: string;
  /** "July to September 2018". */
  span: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function ymd(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function lastDayOfMonth(year: number, month: number): IsoDate {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The UK financial year a date falls in, as its starting calendar year (2018 for 2018-19). */
export function financialYearOf(date: IsoDate): number {
  const [y, m] = ymd(date);
  return m >= 4 ? y : y - 1;
}

/** "2018-19". */
export function financialYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** The financial-year quarter a date falls in (unclipped). */
export function quarterOf(date: IsoDate): ReportingPeriod {
  const [y, m] = ymd(date);
  const fy = financialYearOf(date);
  const q = m >= 4 ? Math.floor((m - 4) / 3) + 1 : 4;
  const firstMonth = q === 4 ? 1 : 4 + (q - 1) * 3;
  const year = q === 4 ? fy + 1 : fy;
  void y;
  return {
    start: iso(year, firstMonth, 1),
    end: lastDayOfMonth(year, firstMonth + 2),
    label: `Q${q} ${financialYearLabel(fy)}`,
    span: `${MONTHS[firstMonth - 1]} to ${MONTHS[firstMonth + 1]} ${year}`,
  };
}

/** The calendar month a date falls in. */
export function monthOf(date: IsoDate): ReportingPeriod {
  const [y, m] = ymd(date);
  const label = `${MONTHS[m - 1]} ${y}`;
  return { start: iso(y, m, 1), end: lastDayOfMonth(y, m), label, span: label };
}

function clip(period: ReportingPeriod, plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>): ReportingPeriod | undefined {
  const start = period.start < plan.periodStart ? plan.periodStart : period.start;
  const end = period.end > plan.periodEnd ? plan.periodEnd : period.end;
  return start <= end ? { ...period, start, end } : undefined;
}

/** The reporting periods of a plan, in order (none for cadence "none"). */
export function planPeriods(plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>, cadence: ReportingCadence): ReportingPeriod[] {
  if (cadence === 'none' || !isIsoDate(plan.periodStart) || !isIsoDate(plan.periodEnd) || plan.periodEnd < plan.periodStart) return [];
  const of = cadence === 'monthly' ? monthOf : quarterOf;
  const out: ReportingPeriod[] = [];
  // A plan longer than 10 years is not a delivery plan: stop there rather than loop for ever.
  for (let day = plan.periodStart; day <= plan.periodEnd && out.length < 120;) {
    const period = of(day);
    const clipped = clip(period, plan);
    if (clipped) out.push(clipped);
    day = addDays(period.end, 1);
  }
  return out;
}

/** The plan's reporting period holding `date`, if any. */
export function periodContaining(
  plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>,
  cadence: ReportingCadence,
  date: IsoDate,
): ReportingPeriod | undefined {
  if (cadence === 'none' || date < plan.periodStart || date > plan.periodEnd) return undefined;
  return clip(cadence === 'monthly' ? monthOf(date) : quarterOf(date), plan);
}

/** The day a period's check-in is asked: `leadDays` before it ends, but not before it starts. */
export function checkInDay(period: ReportingPeriod, leadDays: number): IsoDate {
  const day = addDays(period.end, -Math.max(0, leadDays));
  return day < period.start ? period.start : day;
}

/** The financial-year quarters of a plan (whatever its cadence): the board's quarter ends. */
export function planQuarters(plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>): ReportingPeriod[] {
  return planPeriods(plan, 'quarterly');
}

/** The quarter of the plan named by its label ("Q2 2018-19") or its end date, if any. */
export function findQuarter(plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>, name: string): ReportingPeriod | undefined {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return planQuarters(plan).find((q) => q.label.toLowerCase() === wanted || q.end === wanted);
}
