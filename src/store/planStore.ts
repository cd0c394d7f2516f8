/**
 * The PlanStore port: everything the app keeps. Two adapters implement it: `sqlite/` (embedded
 * default) and `graph/` (SharePoint lists through Microsoft Graph). One contract suite
 * (test/store/contract.ts) runs unchanged against both.
 */
import type {
  IsoDate,
  MilestoneRevision,
  Objective,
  Plan,
  PlanInfo,
  PlanItem,
  Rag,
  Recommendation,
  ReportChannel,
  StatusUpdate,
} from '../domain/model';

/** A plan as stored: the document's data plus its identity. */
export interface StoredPlan {
  /** Stable id, a slug of organisation, title and period ("tower-hamlets-prevent-delivery-plan-2018-19"). */
  id: string;
  plan: PlanInfo;
  objectives: Objective[];
  recommendations: Recommendation[];
}

/** An item as stored: the plan item plus its latest report and a version for optimistic concurrency. */
export interface StoredItem extends PlanItem {
  planId: string;
  /** Opaque version (SQLite row version, SharePoint eTag). Pass it back on update. */
  version: string;
  lastUpdate?: {
    at: string;
    by: string;
    note?: string;
    figures?: Record<number, number>;
    revisedDate?: IsoDate;
    correctiveAction?: string;
  };
}

export interface StatusChange {
  to: Rag;
  note?: string;
  figures?: Record<number, number>;
  revisedDate?: IsoDate;
  /** With a revised date: the milestone it moves (appended to the item's revisions) and its date before. */
  revision?: MilestoneRevision;
  revisedFrom?: IsoDate;
  /** With Red or Amber: what is being done about it. */
  correctiveAction?: string;
  /** Who reports it (display name). */
  by: string;
  /** Stable id of the reporter (Entra object id or e-mail), where known. */
  byId?: string;
  via?: ReportChannel;
  /** Instant, ISO 8601. */
  at: string;
}

/** Who made a co-ordinator's edit, for the history entry of a change to the milestones. */
export interface EditAudit {
  by: string;
  byId?: string;
  at: string;
  via?: ReportChannel;
}

/** Fields a co-ordinator may edit on an item. */
export type ItemPatch = Partial<
  Pick<
    PlanItem,
    | 'title'
    | 'description'
    | 'outcomes'
    | 'outputs'
    | 'timescale'
    | 'milestones'
    | 'start'
    | 'recurring'
    | 'leads'
    | 'provider'
    | 'objectives'
    | 'recommendations'
  >
>;

export interface ImportSummary {
  planId: string;
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportProgress {
  done: number;
  total: number;
}

/** A person who answers for a lead role. */
export interface Person {
  /** Entra object id in Teams; a local id in local mode. */
  id: string;
  name: string;
  email?: string;
  /** Marked away: not asked while away; the role's deputy is asked instead. */
  away?: boolean;
  /** The role's deputy: asked when its leads have not answered within a week, or are away. */
  deputy?: boolean;
}

export interface DirectoryEntry {
  role: string;
  people: Person[];
}

export interface PlanStore {
  /** Plans held, newest first. */
  listPlans(): Promise<StoredPlan[]>;
  getPlan(planId: string): Promise<StoredPlan | undefined>;
  /**
   * Writes a plan and its items. Idempotent by item key: unchanged items are not rewritten, changed
   * document fields are updated, RAG status and history already reported are kept.
   */
  importPlan(plan: Plan, options?: { onProgress?: (p: ImportProgress) => void }): Promise<ImportSummary>;
  listItems(planId: string): Promise<StoredItem[]>;
  getItem(planId: string, key: string): Promise<StoredItem | undefined>;
  /**
   * Records a status report and appends it to history in one step. Throws ConflictError (nothing
   * written) when `expectedVersion` is not the stored version.
   */
  updateStatus(planId: string, key: string, change: StatusChange, expectedVersion: string): Promise<StoredItem>;
  /**
   * Co-ordinator edit of document fields; same concurrency rule as updateStatus. A patch that sets the
   * milestones replaces the item's revisions (the edit is the plan from then on) and, with `audit`,
   * appends a plan-edit entry to history when the due dates change.
   */
  updateItem(planId: string, key: string, patch: ItemPatch, expectedVersion: string, audit?: EditAudit): Promise<StoredItem>;
  /** History of status changes, oldest first; one item's when `key` is given. */
  history(planId: string, key?: string): Promise<StatusUpdate[]>;
  listDirectory(planId: string): Promise<DirectoryEntry[]>;
  setPeople(planId: string, role: string, people: Person[]): Promise<void>;
  removeRole(planId: string, role: string): Promise<void>;
  close(): Promise<void>;
}
