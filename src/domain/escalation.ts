/**
 * Escalation: items overdue with nobody reporting for two weeks or more, and items Red in two
 * consecutive reports or for two weeks or more, are listed to the co-ordinator. An overdue item whose
 * lead answered after the milestone (Green, or Red with a revised date) is not silent: it is not
 * escalated for being overdue. Pure: items, their history and the day in; the list out, worst first.
 */
import { isReport, type IsoDate, type StatusUpdate } from './model';
import { addDays, daysBetween, londonDate } from './calendar';
import { overdueMilestone } from './milestones';
import type { ReminderItem } from './reminders';

export const ESCALATION_DAYS = 14;

export interface Escalation {
  itemKey: string;
  title: string;
  leads: string[];
  why: 'overdue' | 'red';
  /** Consecutive Red reports (for `red`). */
  reds?: number;
  /** The milestone missed (overdue) or the day the item turned Red. */
  since: IsoDate;
  days: number;
  milestone?: IsoDate;
}

/** The trailing run of Red reports of an item: the London day it began and how many reports it holds. */
export function redRun(itemKey: string, history: readonly StatusUpdate[]): { since: IsoDate; reports: number } | undefined {
  let since: string | undefined;
  let reports = 0;
  const updates = history.filter((h) => h.itemKey === itemKey && isReport(h)).sort((a, b) => a.at.localeCompare(b.at));
  for (const u of updates) {
    if (u.to === 'red') {
      since ??= u.at;
      reports++;
    } else {
      since = undefined;
      reports = 0;
    }
  }
  return since ? { since: londonDate(since), reports } : undefined;
}

/** The London day an item turned Red and has stayed Red since, from its history (oldest first). */
export function redSince(itemKey: string, history: readonly StatusUpdate[]): IsoDate | undefined {
  return redRun(itemKey, history)?.since;
}

export function computeEscalations(input: {
  items: readonly ReminderItem[];
  history: readonly StatusUpdate[];
  date: IsoDate;
  thresholdDays?: number;
  /** Reminder window used by the overdue rule (the largest prompt offset). */
  windowDays?: number;
}): Escalation[] {
  const threshold = input.thresholdDays ?? ESCALATION_DAYS;
  const out: Escalation[] = [];
  for (const item of input.items) {
    if (item.status === 'complete') continue;
    const missed = overdueMilestone(item, input.date, input.windowDays ?? 28);
    const reported = item.lastUpdate ? londonDate(item.lastUpdate.at) : undefined;
    const silent = missed && !(reported && reported >= missed);
    if (missed && silent && daysBetween(missed, input.date) >= threshold) {
      out.push({
        itemKey: item.key,
        title: item.title,
        leads: item.leads,
        why: 'overdue',
        since: missed,
        days: daysBetween(missed, input.date),
        milestone: missed,
      });
      continue;
    }
    if (item.status === 'red') {
      const run = redRun(item.key, input.history);
      const since = run?.since ?? reported;
      const reds = run?.reports ?? 1;
      if (since && (reds >= 2 || since <= addDays(input.date, -threshold))) {
        out.push({
          itemKey: item.key,
          title: item.title,
          leads: item.leads,
          why: 'red',
          reds,
          since,
          days: daysBetween(since, input.date),
        });
      }
    }
  }
  return out.sort((a, b) => b.days - a.days || a.title.localeCompare(b.title));
}
