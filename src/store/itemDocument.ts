/**
 * What both adapters share about an item: which fields come from the plan document (and so are
 * rewritten by a re-import) and a content hash of them, so that unchanged items are never rewritten.
 */
import { canonicalJson, contentHash } from '../domain/contentHash';
import { effectiveMilestones } from '../domain/milestones';
import { isRag, type MilestoneRevision, type Plan, type PlanItem, type Rag, type StatusUpdate } from '../domain/model';
import { planIdOf } from '../domain/identity';
import { ValidationError } from '../errors';
import type { EditAudit, ItemPatch, StatusChange, StoredItem, StoredPlan } from './planStore';

/**
 * The document part of an item: everything but its key and what reports change (its status and the
 * milestones revised by reports), which a re-import keeps.
 */
export type ItemDocument = Omit<PlanItem, 'key' | 'status' | 'revisions'>;

/** Splits an item into its document fields (undefined fields dropped). */
export function documentOf(item: PlanItem): ItemDocument {
  const { key: _key, status: _status, revisions: _revisions, ...doc } = item;
  return dropUndefined(doc);
}

/**
 * The hash that says whether a document changed: its content without the source line, which tells
 * where the item stood in the file it came from (a CSV export and the plan document put the same
 * item on different lines), not what it says. So re-importing an export changes no versions.
 */
export function documentHash(doc: ItemDocument): string {
  const { line: _line, ...content } = doc;
  return contentHash(content);
}

/** Applies a co-ordinator patch to a document. */
export function patchDocument(doc: ItemDocument, patch: ItemPatch): ItemDocument {
  return dropUndefined({ ...doc, ...patch });
}

/** A copy of `value` without its undefined fields (stored JSON and equality checks stay tidy). */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export { canonicalJson, contentHash } from '../domain/contentHash';

/** The stored identity and header of a plan. */
export function storedPlanOf(plan: Plan): StoredPlan {
  return { id: planIdOf(plan.plan), plan: plan.plan, objectives: plan.objectives, recommendations: plan.recommendations };
}

/** Refuses an import that would be ambiguous: items without a key, or two items with the same key. */
export function checkImportable(plan: Plan): void {
  const seen = new Set<string>();
  for (const item of plan.items) {
    if (!item.key) throw new ValidationError(`Item "${item.title}" has no key`, 'key');
    if (seen.has(item.key)) throw new ValidationError(`Two items share the key ${item.key}`, 'key');
    seen.add(item.key);
    if (!isRag(item.status)) throw new ValidationError(`Item ${item.key} has an unknown status`, 'status');
  }
}

/** Refuses a status change that is not one. */
export function checkStatusChange(change: StatusChange): void {
  if (!isRag(change.to)) throw new ValidationError(`Unknown status "${String(change.to)}"`, 'to');
  if (!change.by) throw new ValidationError('A status change needs a reporter', 'by');
  if (Number.isNaN(Date.parse(change.at))) throw new ValidationError(`"${change.at}" is not an instant`, 'at');
  if (change.revisedDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(change.revisedDate)) {
    throw new ValidationError(`"${change.revisedDate}" is not a date (YYYY-MM-DD)`, 'revisedDate');
  }
  if (
    (change.revisedDate === undefined) !== (change.revision === undefined) ||
    (change.revision && change.revision.to !== change.revisedDate)
  ) {
    throw new ValidationError('A revised date is recorded with the milestone it moves (and only then)', 'revisedDate');
  }
}

/** The history entry of a status report from `from`. */
export function reportEntry(key: string, from: Rag, change: StatusChange): StatusUpdate {
  return dropUndefined({
    itemKey: key,
    at: change.at,
    by: change.by,
    from,
    to: change.to,
    note: change.note,
    figures: change.figures,
    revisedDate: change.revisedDate,
    revisedFrom: change.revisedFrom,
    correctiveAction: change.correctiveAction,
    via: change.via,
    byId: change.byId,
  });
}

/** The item's revisions after a report: the report's revision appended. */
export function revisionsAfter(before: readonly MilestoneRevision[] | undefined, change: StatusChange): MilestoneRevision[] | undefined {
  if (!change.revision) return before ? [...before] : undefined;
  return [...(before ?? []), change.revision];
}

/**
 * What an edit does to the dates: a patch that sets the milestones drops the revisions; the history
 * entry (with `audit`) is there only when the dates the item falls due on change.
 */
export function milestoneEdit(
  item: Pick<StoredItem, 'key' | 'status' | 'milestones' | 'revisions'>,
  patch: ItemPatch,
  audit: EditAudit | undefined,
): { dropRevisions: boolean; entry?: StatusUpdate } {
  if (!patch.milestones) return { dropRevisions: false };
  const before = effectiveMilestones(item);
  const after = effectiveMilestones({ milestones: patch.milestones });
  const dropRevisions = (item.revisions?.length ?? 0) > 0;
  if (!audit || canonicalJson(before) === canonicalJson(after)) return { dropRevisions };
  const entry: StatusUpdate = dropUndefined({
    itemKey: item.key,
    at: audit.at,
    by: audit.by,
    byId: audit.byId,
    via: audit.via,
    from: item.status,
    to: item.status,
    kind: 'plan-edit' as const,
    milestonesBefore: before,
    milestonesAfter: after,
  });
  return { dropRevisions, entry };
}

/** What an item shows of its latest report (undefined fields dropped). */
export function lastUpdateOf(
  report: Pick<StatusChange, 'at' | 'by' | 'note' | 'figures' | 'revisedDate' | 'correctiveAction'>,
): NonNullable<StoredItem['lastUpdate']> {
  return dropUndefined({
    at: report.at,
    by: report.by,
    note: report.note,
    figures: report.figures,
    revisedDate: report.revisedDate,
    correctiveAction: report.correctiveAction,
  });
}
