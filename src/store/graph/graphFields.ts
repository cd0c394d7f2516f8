/** Between the store's records and SharePoint list fields (the fieldValueSet of a listItem). */
import type { MilestoneRevision, PlanItem, Rag, StatusUpdate } from '../../domain/model';
import type { DirectoryEntry, StatusChange, StoredItem, StoredPlan } from '../planStore';
import { documentHash, documentOf, dropUndefined, lastUpdateOf, reportEntry, type ItemDocument } from '../itemDocument';
import { fnv1a } from '../../domain/identity';
import { ValidationError } from '../../errors';
import { ragFromLabel, ragLabel } from './schema';

export type Fields = Record<string, unknown>;

/** A list item as Graph returns it with `expand=fields`. */
export interface GraphItem {
  id: string;
  eTag?: string;
  '@odata.etag'?: string;
  fields: Fields;
}

const TEXT_MAX = 255;
/** SharePoint's limit for a "multiple lines of text" column. */
export const NOTE_MAX = 63_999;

/** Refuses, before anything is written, a record too large for its SharePoint column. */
function withinLimits(fields: Fields, what: string): Fields {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.length > NOTE_MAX) {
      throw new ValidationError(
        `${what} is too large for SharePoint: ${name} would hold ${value.length.toLocaleString('en-GB')} characters, at most ${NOTE_MAX.toLocaleString('en-GB')}`,
        name,
      );
    }
  }
  return fields;
}

export function clip(text: string): string {
  return text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX - 1)}…`;
}

/** A calendar date as SharePoint stores a date-only column. */
function dateField(date: string | undefined): string | undefined {
  return date ? `${date}T00:00:00Z` : undefined;
}

/** An OData string literal, URL-encoded for a query string. */
export function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

export function itemRef(planId: string, key: string): string {
  return `${planId}/${key}`;
}

export function roleRef(planId: string, role: string): string {
  const ref = `${planId}/${role}`;
  return ref.length <= TEXT_MAX ? ref : `${planId}/#${fnv1a(role)}`;
}

export function etagOf(item: GraphItem): string {
  return item.eTag ?? item['@odata.etag'] ?? String(item.fields['@odata.etag']);
}

/** The document columns of an item (written on create and on a changed re-import or edit). */
export function documentFields(planId: string, key: string, doc: ItemDocument, position?: number): Fields {
  const target = doc.outputs.find((o) => o.target !== undefined)?.target;
  const fields = dropUndefined({
    Title: clip(doc.title || key),
    PlanId: planId,
    ItemRef: itemRef(planId, key),
    ItemKey: key,
    Kind: doc.kind,
    Due: dateField(doc.milestones[0]),
    Start: dateField(doc.start),
    Milestones: doc.milestones.join('; '),
    Target: target,
    Leads: clip(doc.leads.join('; ')),
    Objectives: clip(doc.objectives.join(', ')),
    Timescale: clip(doc.timescale),
    Position: position,
    DocJson: JSON.stringify(doc),
    DocHash: documentHash(doc),
  });
  return withinLimits(fields, `Item ${key}`);
}

/** Columns that a document change must clear when the new document no longer has them. */
export function clearedFields(before: Fields, after: Fields): Fields {
  const out: Fields = {};
  for (const name of ['Due', 'Start', 'Target']) if (before[name] !== undefined && after[name] === undefined) out[name] = null;
  return out;
}

export function newItemFields(planId: string, item: PlanItem, position: number): Fields {
  return {
    ...documentFields(planId, item.key, documentOf(item), position),
    Status: ragLabel(item.status),
    ...(item.revisions?.length ? revisionsFields(item.revisions) : {}),
  };
}

/** The item's milestone revisions (state, like its status): null clears them. */
export function revisionsFields(revisions: readonly MilestoneRevision[] | null): Fields {
  return withinLimits({ RevisionsJson: revisions && revisions.length > 0 ? JSON.stringify(revisions) : null }, 'The revised dates');
}

/** A history entry as the app writes it: the entry and the id that makes its write idempotent. */
type HistoryRecord = Omit<StatusUpdate, 'itemKey'> & { updateId: string };

export function lastUpdateRecord(updateId: string, from: Rag, change: StatusChange): HistoryRecord {
  const { itemKey: _key, ...entry } = reportEntry('', from, change);
  return { updateId, ...entry };
}

export function historyRecord(updateId: string, entry: StatusUpdate): HistoryRecord {
  const { itemKey: _key, ...rest } = entry;
  return { updateId, ...rest };
}

export function statusFields(record: HistoryRecord): Fields {
  return withinLimits(
    {
      Status: ragLabel(record.to),
      LastUpdateJson: JSON.stringify(record),
      LastReportedAt: record.at,
      LastReportedBy: clip(record.by),
      LastUpdateId: record.updateId,
    },
    'The report',
  );
}

export function parseLastUpdate(fields: Fields): HistoryRecord | undefined {
  return typeof fields.LastUpdateJson === 'string' && fields.LastUpdateJson
    ? (JSON.parse(fields.LastUpdateJson) as HistoryRecord)
    : undefined;
}

/** True for rows the app wrote (a row someone added by hand in SharePoint has no DocJson and is ignored). */
export function isAppItem(item: GraphItem): boolean {
  return typeof item.fields.DocJson === 'string' && typeof item.fields.ItemKey === 'string';
}

export function storedItemOf(fields: Fields, version: string): StoredItem {
  const doc = JSON.parse(String(fields.DocJson)) as ItemDocument;
  const item: StoredItem = {
    ...doc,
    key: String(fields.ItemKey),
    status: ragFromLabel(fields.Status),
    planId: String(fields.PlanId),
    version,
  };
  const last = parseLastUpdate(fields);
  if (last) {
    item.lastUpdate = lastUpdateOf(last);
  }
  if (typeof fields.RevisionsJson === 'string' && fields.RevisionsJson) {
    const revisions = JSON.parse(fields.RevisionsJson) as MilestoneRevision[];
    if (revisions.length > 0) item.revisions = revisions;
  }
  return item;
}

/** The history row of a status change: typed columns for people, the exact record for the app. */
export function updateFields(planId: string, key: string, record: HistoryRecord): Fields {
  const fields = dropUndefined({
    Title: clip(key),
    PlanId: planId,
    ItemRef: itemRef(planId, key),
    UpdateId: record.updateId,
    At: record.at,
    By: clip(record.by),
    FromStatus: ragLabel(record.from),
    ToStatus: ragLabel(record.to),
    Note: record.note,
    FiguresJson: record.figures ? JSON.stringify(record.figures) : undefined,
    RevisedDate: dateField(record.revisedDate),
    RecordJson: JSON.stringify({ ...record, itemKey: key }),
  });
  return withinLimits(fields, 'The report');
}

export function statusUpdateOf(fields: Fields): StatusUpdate & { updateId: string } {
  const record = JSON.parse(String(fields.RecordJson)) as HistoryRecord & { itemKey: string };
  return dropUndefined({ ...record });
}

export function planFields(plan: StoredPlan): Fields {
  return withinLimits(
    {
      Title: clip(plan.plan.title),
      PlanId: plan.id,
      Organisation: clip(plan.plan.organisation),
      PeriodStart: dateField(plan.plan.periodStart),
      PeriodEnd: dateField(plan.plan.periodEnd),
      PlanJson: JSON.stringify({ plan: plan.plan, objectives: plan.objectives, recommendations: plan.recommendations }),
    },
    `Plan ${plan.id}`,
  );
}

export function planFromFields(fields: Fields): StoredPlan {
  const json = JSON.parse(String(fields.PlanJson)) as Omit<StoredPlan, 'id'>;
  return { id: String(fields.PlanId), plan: json.plan, objectives: json.objectives, recommendations: json.recommendations };
}

export function leadFields(planId: string, entry: DirectoryEntry): Fields {
  return withinLimits(
    { Title: clip(entry.role), PlanId: planId, RoleRef: roleRef(planId, entry.role), PeopleJson: JSON.stringify(entry) },
    `Role ${entry.role}`,
  );
}

export function directoryEntryOf(fields: Fields): DirectoryEntry {
  return JSON.parse(String(fields.PeopleJson)) as DirectoryEntry;
}
