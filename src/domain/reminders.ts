/**
 * Who to prompt when. Pure: given items, the lead directory, a calendar day and the offsets, returns
 * the prompts due that day. A prompt is one person × one item × one milestone × one reason × one day.
 *
 * Rules (documented in docs/bot.md):
 * - The "next milestone" of an item is its first effective milestone on or after the day.
 * - A prompt is due when the next milestone is exactly `offset` days away (28, 14, 7 by default)
 *   or due today (offset 0).
 * - An item is overdue when a milestone has passed and either it was the last one and the item is not
 *   Complete, or nobody reported on the item since that milestone's reminder window opened. Overdue
 *   items are prompted once a week, on the overdue weekday (Monday by default).
 * - A Red report with a revised date moves the milestone it was reported against to the revised date.
 * - Complete items and "Ongoing" items without dates are never prompted.
 * - Lead roles resolve to people through the directory (case, spacing and dashes do not matter); a role
 *   with no people is returned as unresolved so that it can be reported, never dropped.
 */
import { formatInTimeZone } from 'date-fns-tz';
import { fnv1a } from './identity';
import { roleKey } from './leads';
import type { IsoDate, PlanItem } from './model';

export const LONDON = 'Europe/London';
export const DEFAULT_OFFSETS: readonly number[] = [28, 14, 7, 0];

/** The item fields the reminder rules read (a StoredItem satisfies it). */
export type ReminderItem = Pick<PlanItem, 'key' | 'title' | 'objectives' | 'milestones' | 'leads' | 'status' | 'recurring'> & {
  lastUpdate?: { at: string; revisedDate?: IsoDate };
};

export interface DirectoryPerson {
  id: string;
  name: string;
  email?: string;
}

export interface DirectoryRole {
  role: string;
  people: DirectoryPerson[];
}

export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const WEEKDAYS: readonly WeekdayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface ReminderOptions {
  /** Days before a milestone on which to prompt; 0 means "due today". */
  offsets?: readonly number[];
  /** Weekday on which overdue items are prompted. */
  overdueWeekday?: WeekdayName;
}

export interface Prompt {
  /** Stable id of this prompt: the same inputs give the same id (used on the card and in the ledger). */
  id: string;
  planId: string;
  itemKey: string;
  itemTitle: string;
  milestone: IsoDate;
  /** "28 days", "14 days", "7 days", "due today" or "overdue (weekly)". */
  reason: string;
  /** Days from the day to the milestone (negative when overdue). */
  daysUntil: number;
  /** The lead roles through which this person was found. */
  roles: string[];
  person: DirectoryPerson;
  /** The calendar day the prompt belongs to (ledger key part). */
  dateKey: IsoDate;
}

export interface UnresolvedLead {
  planId: string;
  itemKey: string;
  itemTitle: string;
  role: string;
  milestone: IsoDate;
  reason: string;
}

export interface PromptPlan {
  date: IsoDate;
  prompts: Prompt[];
  /** Lead roles that were due a prompt but have nobody in the directory. */
  unresolved: UnresolvedLead[];
}

export const OVERDUE_REASON = 'overdue (weekly)';

/** "28 days", "1 day", "due today". */
export function reasonForOffset(offset: number): string {
  if (offset === 0) return 'due today';
  return offset === 1 ? '1 day' : `${offset} days`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
export function dayNumber(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar day in London at an instant. */
export function londonDate(at: Date | string): IsoDate {
  return formatInTimeZone(typeof at === 'string' ? new Date(at) : at, LONDON, 'yyyy-MM-dd');
}

export function weekdayOf(date: IsoDate): WeekdayName {
  return WEEKDAYS[((dayNumber(date) % 7) + 7 + 4) % 7] as WeekdayName; // 1970-01-01 was a Thursday
}

/** "Sunday 30 September 2018". */
export function formatLongDate(date: IsoDate): string {
  const d = new Date(dayNumber(date) * 86_400_000);
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(d)
    .replace(',', '');
}

/** "Monday 20 August 2018 at 09:05" in London time. */
export function formatInstant(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return `${formatLongDate(londonDate(d))} at ${formatInTimeZone(d, LONDON, 'HH:mm')}`;
}

/**
 * Milestones after applying a revised date: a Red report with a revised date moves the milestone that
 * was next when it was reported (the first one on or after the report day) to the revised date.
 */
export function effectiveMilestones(item: ReminderItem): IsoDate[] {
  const milestones = [...item.milestones].filter(isIsoDate).sort();
  const revised = item.lastUpdate?.revisedDate;
  if (!revised || !isIsoDate(revised)) return milestones;
  const reportedOn = londonDate(item.lastUpdate!.at);
  const i = milestones.findIndex((m) => m >= reportedOn);
  if (i >= 0) milestones.splice(i, 1);
  milestones.push(revised);
  return [...new Set(milestones)].sort();
}

/** The first effective milestone on or after `date`. */
export function nextMilestone(item: ReminderItem, date: IsoDate): IsoDate | undefined {
  return effectiveMilestones(item).find((m) => m >= date);
}

/**
 * The milestone an item is overdue against on `date`, if any: the last milestone has passed and the
 * item is not Complete, or an earlier milestone has passed with no report since its reminder window
 * (`windowDays` before it) opened.
 */
export function overdueMilestone(item: ReminderItem, date: IsoDate, windowDays = 28): IsoDate | undefined {
  if (item.status === 'complete') return undefined;
  const milestones = effectiveMilestones(item);
  const passed = milestones.filter((m) => m < date);
  if (passed.length === 0) return undefined;
  const last = milestones[milestones.length - 1] as IsoDate;
  if (last < date) return last;
  const reportedOn = item.lastUpdate ? londonDate(item.lastUpdate.at) : undefined;
  for (let i = passed.length - 1; i >= 0; i--) {
    const m = passed[i] as IsoDate;
    if (!reportedOn || reportedOn < addDays(m, -windowDays)) return m;
  }
  return undefined;
}

function roleIndex(directory: readonly DirectoryRole[]): Map<string, DirectoryPerson[]> {
  const index = new Map<string, DirectoryPerson[]>();
  for (const entry of directory) {
    const key = roleKey(entry.role);
    index.set(key, [...(index.get(key) ?? []), ...entry.people]);
  }
  return index;
}

/** People answering for an item's lead roles, each once, with the roles through which they were found. */
export function resolveLeads(
  leads: readonly string[],
  directory: readonly DirectoryRole[] | Map<string, DirectoryPerson[]>,
): { people: Array<{ person: DirectoryPerson; roles: string[] }>; unresolved: string[] } {
  const index = directory instanceof Map ? directory : roleIndex(directory);
  const byId = new Map<string, { person: DirectoryPerson; roles: string[] }>();
  const unresolved: string[] = [];
  for (const role of leads) {
    const people = index.get(roleKey(role)) ?? [];
    if (people.length === 0) unresolved.push(role);
    for (const person of people) {
      const key = person.id.toLowerCase();
      const found = byId.get(key);
      if (found) {
        if (!found.roles.includes(role)) found.roles.push(role);
      } else byId.set(key, { person, roles: [role] });
    }
  }
  return { people: [...byId.values()], unresolved };
}

/** A 16-hex-digit id from the prompt's identity. */
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

/** Why an item is due a prompt on `date`, if it is. */
export function promptReasonFor(
  item: ReminderItem,
  date: IsoDate,
  options: ReminderOptions = {},
): { milestone: IsoDate; reason: string; daysUntil: number } | undefined {
  if (item.status === 'complete') return undefined;
  const offsets = [...(options.offsets ?? DEFAULT_OFFSETS)].sort((a, b) => a - b);
  const next = nextMilestone(item, date);
  if (next) {
    const days = daysBetween(date, next);
    if (offsets.includes(days)) return { milestone: next, reason: reasonForOffset(days), daysUntil: days };
  }
  if (weekdayOf(date) === (options.overdueWeekday ?? 'mon')) {
    const window = Math.max(0, ...offsets);
    const overdue = overdueMilestone(item, date, window);
    if (overdue) return { milestone: overdue, reason: OVERDUE_REASON, daysUntil: daysBetween(date, overdue) };
  }
  return undefined;
}

/** Every prompt due on `date` for one plan. */
export function computePrompts(input: {
  planId: string;
  items: readonly ReminderItem[];
  directory: readonly DirectoryRole[];
  date: IsoDate;
  options?: ReminderOptions;
}): PromptPlan {
  const { planId, items, date } = input;
  if (!isIsoDate(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const index = roleIndex(input.directory);
  const prompts: Prompt[] = [];
  const unresolved: UnresolvedLead[] = [];
  for (const item of items) {
    const due = promptReasonFor(item, date, input.options);
    if (!due) continue;
    const leads = resolveLeads(item.leads, index);
    for (const role of leads.unresolved) {
      unresolved.push({ planId, itemKey: item.key, itemTitle: item.title, role, milestone: due.milestone, reason: due.reason });
    }
    if (item.leads.length === 0) {
      unresolved.push({
        planId,
        itemKey: item.key,
        itemTitle: item.title,
        role: '(no lead named in the plan)',
        milestone: due.milestone,
        reason: due.reason,
      });
    }
    for (const { person, roles } of leads.people) {
      prompts.push({
        id: promptIdOf({ planId, itemKey: item.key, milestone: due.milestone, reason: due.reason, personId: person.id, dateKey: date }),
        planId,
        itemKey: item.key,
        itemTitle: item.title,
        milestone: due.milestone,
        reason: due.reason,
        daysUntil: due.daysUntil,
        roles,
        person,
        dateKey: date,
      });
    }
  }
  return { date, prompts, unresolved };
}
