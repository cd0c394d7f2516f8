/**
 * Why an item is asked for its status on a day, if it is: the one rule behind the daily prompt run,
 * `dplan schedule` and the Settings view's schedule (schedule.ts groups the asks into requests and
 * cards). Pure. Rules (documented in docs/bot.md):
 *
 * - Complete items are never asked.
 * - **Milestone reminders**: on each reminder offset before the item's next (effective) milestone
 *   (28, 14, 7 days and on the day by default). A reminder before the day is skipped when the item
 *   was reported within that milestone's reminder window (a report 28 days out answers the 14- and
 *   7-day reminders); the due-day reminder still asks whether it is complete, unless the item was
 *   reported that day.
 * - **Overdue**: once a milestone has passed (the overdue rule of milestones.ts), the item is asked on
 *   the overdue weekday (the digest day) each week until someone reports on it; a report after the
 *   milestone (any status; a Red with a revised date moves the milestone) stops it until the next
 *   check-in or the revised date. Not after the plan's period has ended.
 * - **Check-ins**: every open item (actions, projects, Ongoing items) is asked once per reporting
 *   period (quarterly on the UK financial year by default; monthly; or none), `leadDays` before the
 *   period ends, unless it was reported within the period.
 * - One reason per item per day, the most specific: milestone, then overdue, then check-in.
 */
import { addDays, DEFAULT_OFFSETS, daysBetween, londonDate, reminderWindow, weekdayOf, type WeekdayName } from './calendar';
import { fnv1a } from './identity';
import { nextMilestone, overdueMilestone } from './milestones';
import type { IsoDate, MilestoneRevision, PlanInfo, PlanItem } from './model';
import {
  checkInDay,
  DEFAULT_CADENCE,
  DEFAULT_LEAD_DAYS,
  periodContaining,
  type ReportingCadence,
  type ReportingPeriod,
} from './reportingPeriods';

export { resolveLeads, type DirectoryPerson, type DirectoryRole } from './recipients';

/** The item fields the reminder rules read (a StoredItem satisfies it). */
export type ReminderItem = Pick<PlanItem, 'key' | 'title' | 'objectives' | 'milestones' | 'leads' | 'status' | 'recurring'> &
  Partial<Pick<PlanItem, 'owner'>> & {
    revisions?: readonly MilestoneRevision[];
    lastUpdate?: { at: string };
  };

export const REQUEST_REASONS = ['check-in', 'milestone', 'overdue'] as const;
export type RequestReason = (typeof REQUEST_REASONS)[number];

export interface ReminderRules {
  /** Days before a milestone on which to remind; 0 means "due today". */
  offsets: readonly number[];
  /** Weekday on which overdue items are asked. */
  overdueWeekday: WeekdayName;
  cadence: ReportingCadence;
  /** Days before a reporting period ends on which its check-in is asked. */
  leadDays: number;
  /** Days a lead has to answer before the role's deputy is asked. */
  deputyAfterDays: number;
  /** The role answering for items that name no lead and no owner (the "contract manager"). */
  ownerRole?: string;
}

export const DEFAULT_DEPUTY_AFTER_DAYS = 7;

export const DEFAULT_RULES: ReminderRules = {
  offsets: DEFAULT_OFFSETS,
  overdueWeekday: 'mon',
  cadence: DEFAULT_CADENCE,
  leadDays: DEFAULT_LEAD_DAYS,
  deputyAfterDays: DEFAULT_DEPUTY_AFTER_DAYS,
};

/** Why an item is asked on a day. */
export interface Ask {
  reason: RequestReason;
  /** The milestone a reminder or an overdue request is about. */
  milestone?: IsoDate;
  /** Days from the day to that milestone (negative when overdue). */
  daysUntil?: number;
  /** The reporting period a check-in is for. */
  period?: ReportingPeriod;
}

/** The London day of the item's last report, if any. */
export function reportedOn(item: Pick<ReminderItem, 'lastUpdate'>): IsoDate | undefined {
  return item.lastUpdate ? londonDate(item.lastUpdate.at) : undefined;
}

function milestoneAsk(item: ReminderItem, date: IsoDate, offsets: readonly number[], reported: IsoDate | undefined): Ask | undefined {
  const next = nextMilestone(item, date);
  if (!next) return undefined;
  const days = daysBetween(date, next);
  if (!offsets.includes(days)) return undefined;
  if (days === 0) {
    if (reported === date) return undefined;
  } else if (reported && reported >= addDays(next, -reminderWindow(offsets))) return undefined;
  return { reason: 'milestone', milestone: next, daysUntil: days };
}

function overdueAsk(item: ReminderItem, date: IsoDate, plan: Pick<PlanInfo, 'periodEnd'>, rules: ReminderRules, reported?: IsoDate) {
  if (weekdayOf(date) !== rules.overdueWeekday || date > plan.periodEnd) return undefined;
  const missed = overdueMilestone(item, date, reminderWindow(rules.offsets));
  // A report on or after the day it fell due answers it until the next check-in (or the revised date).
  if (!missed || (reported && reported >= missed)) return undefined;
  return { reason: 'overdue' as const, milestone: missed, daysUntil: daysBetween(date, missed) };
}

function checkInAsk(item: ReminderItem, date: IsoDate, plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>, rules: ReminderRules) {
  const period = periodContaining(plan, rules.cadence, date);
  if (!period || checkInDay(period, rules.leadDays) !== date) return undefined;
  const reported = reportedOn(item);
  if (reported && reported >= period.start) return undefined;
  return { reason: 'check-in' as const, period };
}

/** Why `item` is asked on `date`, if it is (the most specific reason). */
export function askFor(
  item: ReminderItem,
  date: IsoDate,
  plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>,
  rules: ReminderRules = DEFAULT_RULES,
): Ask | undefined {
  if (item.status === 'complete') return undefined;
  const offsets = [...rules.offsets].sort((a, b) => a - b);
  const reported = reportedOn(item);
  return (
    milestoneAsk(item, date, offsets, reported) ??
    overdueAsk(item, date, plan, { ...rules, offsets }, reported) ??
    checkInAsk(item, date, plan, rules)
  );
}

/** "28 days", "1 day", "due today". */
export function reasonForOffset(offset: number): string {
  if (offset === 0) return 'due today';
  return offset === 1 ? '1 day' : `${offset} days`;
}

/** A 16-hex-digit id from a send's identity: the same inputs give the same id (ledger and cards). */
export function promptIdOf(parts: {
  planId: string;
  itemKey: string;
  milestone: string;
  reason: string;
  personId: string;
  dateKey: string;
}): string {
  const text = [parts.planId, parts.itemKey, parts.milestone, parts.reason, parts.personId.toLowerCase(), parts.dateKey].join('|');
  return fnv1a(text) + fnv1a(`${text.length}:${[...text].reverse().join('')}`);
}
