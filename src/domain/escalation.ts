/**
 * Escalation: items overdue for two weeks or more, or Red for two weeks or more, are listed to the
 * co-ordinator. Pure: items, their history and the day in; the list out, worst first.
 */
import type { IsoDate, StatusUpdate } from './model';
import { addDays, daysBetween, londonDate } from './calendar';
import { overdueMilestone } from './milestones';
import type { ReminderItem } from './reminders';

export const ESCALATION_DAYS = 14;

export interface Escalation {
  itemKey: string;
  title: string;
  leads: string[];
  why: 'overdue' | 'red';
  /** The milestone missed (overdue) or the day the item turned Red. */
  since: IsoDate;
  days: number;
  milestone?: IsoDate;
}

/** The London day an item turned Red and has stayed Red since, from its history (oldest first). */
export function redSince(itemKey: string, history: readonly StatusUpdate[]): IsoDate | undefined {
  let since: string | undefined;
  const updates = history.filter((h) => h.itemKey === itemKey).sort((a, b) => a.at.localeCompare(b.at));
  for (const u of updates) {
    if (u.to === 'red') since ??= u.at;
    else since = undefined;
  }
  return since ? londonDate(since) : undefined;
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
    if (missed && daysBetween(missed, input.date) >= threshold) {
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
      const since = redSince(item.key, input.history) ?? (item.lastUpdate ? londonDate(item.lastUpdate.at) : undefined);
      if (since && since <= addDays(input.date, -threshold)) {
        out.push({ itemKey: item.key, title: item.title, leads: item.leads, why: 'red', since, days: daysBetween(since, input.date) });
      }
    }
  }
  return out.sort((a, b) => b.days - a.days || a.title.localeCompare(b.title));
}
