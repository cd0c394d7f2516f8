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
import { DEFAULT_OFFSETS, daysBetween, isIsoDate, reminderWindow, weekdayOf, type WeekdayName } from './calendar';
import { fnv1a } from './identity';
import { roleKey } from './leads';
import { nextMilestone, overdueMilestone } from './milestones';
import type { IsoDate, MilestoneRevision, PlanItem } from './model';

/** The item fields the reminder rules read (a StoredItem satisfies it). */
export type ReminderItem = Pick<PlanItem, 'key' | 'title' | 'objectives' | 'milestones' | 'leads' | 'status' | 'recurring'> & {
  revisions?: readonly MilestoneRevision[];
  lastUpdate?: { at: string };
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
    const window = reminderWindow(offsets);
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
