/**
 * The plan as it stood at the end of a day, rebuilt from history: every item's status, last report
 * (note, figures, revised date, corrective action) and due dates as they were then. The dashboard,
 * the board pack and the public export read items through this, so "as at 30 September 2018" means
 * the same everywhere. Pure.
 *
 * - Reports made on or before the day (London) count; later ones do not.
 * - Before an item's first report its status is that report's `from` (the status the plan was
 *   imported with); with no history at all, the item's status as it is.
 * - Revised dates count from the report that made them; a co-ordinator's later edit of the dates is
 *   undone (the dates before that edit apply).
 */
import { londonDate } from './calendar';
import { isReport, type IsoDate, type MilestoneRevision, type Rag, type StatusUpdate } from './model';

/** The fields of an item the snapshot rebuilds (a StoredItem satisfies it). */
export interface SnapshotItem {
  key: string;
  status: Rag;
  milestones: IsoDate[];
  revisions?: MilestoneRevision[];
  lastUpdate?: {
    at: string;
    by?: string;
    note?: string;
    figures?: Record<number, number>;
    revisedDate?: IsoDate;
    correctiveAction?: string;
  };
}

function byItem(history: readonly StatusUpdate[]): Map<string, StatusUpdate[]> {
  const map = new Map<string, StatusUpdate[]>();
  for (const u of history) {
    const list = map.get(u.itemKey);
    if (list) list.push(u);
    else map.set(u.itemKey, [u]);
  }
  for (const list of map.values()) list.sort((a, b) => a.at.localeCompare(b.at));
  return map;
}

/** History up to the end of `date` (London), oldest first. */
export function historyAsAt(history: readonly StatusUpdate[], date: IsoDate): StatusUpdate[] {
  return history.filter((u) => londonDate(u.at) <= date).sort((a, b) => a.at.localeCompare(b.at));
}

type LastUpdate = NonNullable<SnapshotItem['lastUpdate']> & { by: string };

function lastUpdateOf(u: StatusUpdate): LastUpdate {
  const out: LastUpdate = { at: u.at, by: u.by };
  if (u.note) out.note = u.note;
  if (u.figures) out.figures = u.figures;
  if (u.revisedDate) out.revisedDate = u.revisedDate;
  if (u.correctiveAction) out.correctiveAction = u.correctiveAction;
  return out;
}

/** One item as it stood at the end of `date`, given its own history (oldest first). */
export function itemAsAt<T extends SnapshotItem>(item: T, updates: readonly StatusUpdate[], date: IsoDate): T {
  if (updates.length === 0 && !item.revisions?.some((r) => londonDate(r.at) > date)) return item;
  const upTo = updates.filter((u) => londonDate(u.at) <= date);
  const reports = upTo.filter(isReport);
  const last = reports[reports.length - 1];
  const out: T = { ...item, status: last ? last.to : (updates.find(isReport)?.from ?? item.status) };
  const snapshot = out as SnapshotItem;
  if (last) snapshot.lastUpdate = lastUpdateOf(last);
  else if (updates.some(isReport)) delete snapshot.lastUpdate;
  // A co-ordinator's edit of the dates after the day: the dates before it applied then.
  const laterEdit = updates.find((u) => !isReport(u) && londonDate(u.at) > date && u.milestonesBefore);
  if (laterEdit?.milestonesBefore) {
    snapshot.milestones = [...laterEdit.milestonesBefore];
    delete snapshot.revisions;
  } else if (item.revisions) {
    const revisions = item.revisions.filter((r) => londonDate(r.at) <= date);
    if (revisions.length > 0) snapshot.revisions = revisions;
    else delete snapshot.revisions;
  }
  return out;
}

/** Every item as it stood at the end of `date`. */
export function itemsAsAt<T extends SnapshotItem>(items: readonly T[], history: readonly StatusUpdate[], date: IsoDate): T[] {
  const grouped = byItem(history);
  return items.map((item) => itemAsAt(item, grouped.get(item.key) ?? [], date));
}

/** True when an item had a status report within [from, to] (London days). */
export function reportedBetween(updates: readonly StatusUpdate[], from: IsoDate, to: IsoDate): boolean {
  return updates.some((u) => isReport(u) && londonDate(u.at) >= from && londonDate(u.at) <= to);
}
