/**
 * An item's due dates as they stand: the planned milestones, each moved by its latest revision (a
 * Red report's revised date), and where the item is against them on a day (next, overdue). The one
 * rule for "overdue" that the bot, the digest, the dashboard and the tab all use. Pure.
 *
 * - The effective milestones are the planned ones, each replaced by the date of its latest revision;
 *   a revision of an item with no milestones adds a due date. A co-ordinator's edit of the milestones
 *   replaces the revisions (the store drops them), so the edit is what applies from then on.
 * - The next milestone is the first effective milestone on or after the day.
 * - An item is overdue when it is not Complete and either its last effective milestone has passed, or
 *   an earlier one has passed with no report since that milestone's reminder window opened
 *   (`windowDays` before it: the largest reminder offset).
 * - A revised date moves the milestone the report was about: the overdue one, else the next one, else
 *   the last one.
 */
import { addDays, isIsoDate, londonDate } from './calendar';
import type { IsoDate, MilestoneRevision, PlanItem } from './model';

/** What the milestone rules read of an item (a StoredItem satisfies it). */
export type MilestoneItem = Pick<PlanItem, 'milestones' | 'status'> & {
  revisions?: readonly MilestoneRevision[];
  lastUpdate?: { at: string };
};

export interface DueDate {
  /** The milestone as planned, or for a due date added by a revision, the date it first named. */
  milestone: IsoDate;
  /** When it falls due now. */
  due: IsoDate;
  /** True for a due date a revision added to an item with no milestones. */
  added?: true;
}

/** Each planned milestone with the date it falls due now, in order of that date. */
export function dueDates(item: Pick<MilestoneItem, 'milestones' | 'revisions'>): DueDate[] {
  const latest = new Map<string, IsoDate>();
  for (const r of item.revisions ?? []) if (isIsoDate(r.to)) latest.set(r.milestone, r.to);
  const planned = [...new Set(item.milestones.filter(isIsoDate))];
  const dates: DueDate[] = planned.map((m) => ({ milestone: m, due: latest.get(m) ?? m }));
  // A revision of something that is not a planned milestone (an item with no dates) adds a due date.
  for (const [milestone, to] of latest) if (!planned.includes(milestone)) dates.push({ milestone, due: to, added: true });
  return dates.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** The dates the item falls due on now, in order, each once. */
export function effectiveMilestones(item: Pick<MilestoneItem, 'milestones' | 'revisions'>): IsoDate[] {
  return [...new Set(dueDates(item).map((d) => d.due))];
}

/** The first effective milestone on or after `date`. */
export function nextMilestone(item: Pick<MilestoneItem, 'milestones' | 'revisions'>, date: IsoDate): IsoDate | undefined {
  return effectiveMilestones(item).find((m) => m >= date);
}

/** The effective milestone the item is overdue against on `date`, if any (see the rule above). */
export function overdueMilestone(item: MilestoneItem, date: IsoDate, windowDays = 28): IsoDate | undefined {
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

export interface DueState {
  /** The next effective milestone on or after the day, if any. */
  next?: IsoDate;
  /** The milestone the item is overdue against, if it is. */
  overdue?: IsoDate;
}

/** Where an item stands against its milestones on `date`. */
export function dueState(item: MilestoneItem, date: IsoDate, windowDays = 28): DueState {
  const state: DueState = {};
  const next = nextMilestone(item, date);
  if (next) state.next = next;
  const overdue = overdueMilestone(item, date, windowDays);
  if (overdue) state.overdue = overdue;
  return state;
}

/**
 * The milestone a report on `date` is about, which a revised date moves: the overdue one, else the
 * next one, else the last one; undefined when the item has no dates at all.
 */
export function milestoneInQuestion(item: MilestoneItem, date: IsoDate, windowDays = 28): DueDate | undefined {
  const dates = dueDates(item);
  const due = overdueMilestone(item, date, windowDays) ?? nextMilestone(item, date) ?? dates[dates.length - 1]?.due;
  return due === undefined ? undefined : dates.find((d) => d.due === due);
}

/** The revision a revised date makes on `date`: which milestone moves, and from when. */
export function revisionFor(
  item: MilestoneItem,
  revisedDate: IsoDate,
  report: { at: string; by: string },
  windowDays = 28,
): { revision: MilestoneRevision; from?: IsoDate } {
  const about = milestoneInQuestion(item, londonDate(report.at), windowDays);
  // An item with no dates gets a due date: the revision names the date it adds.
  const milestone = about?.milestone ?? revisedDate;
  return { revision: { milestone, to: revisedDate, at: report.at, by: report.by }, ...(about ? { from: about.due } : {}) };
}
