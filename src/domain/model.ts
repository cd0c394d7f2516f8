/**
 * The delivery plan as the product understands it. Pure data: no I/O, no Graph, Teams or React.
 * Dates are calendar dates as ISO strings (YYYY-MM-DD); instants are ISO 8601 strings with offset.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** RAG status of an item. `not-reported` is the empty RAG column of a fresh plan. */
export const RAG_VALUES = ['not-reported', 'red', 'amber', 'green', 'complete'] as const;
export type Rag = (typeof RAG_VALUES)[number];

/** The values a lead may report (everything but `not-reported`). */
export const REPORTABLE_RAG = ['red', 'amber', 'green', 'complete'] as const;
export type ReportableRag = (typeof REPORTABLE_RAG)[number];

export const RAG_LABELS: Record<Rag, string> = {
  'not-reported': 'Not reported',
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  complete: 'Complete',
};

export interface PlanInfo {
  title: string;
  organisation: string;
  /** First day of the plan's period. */
  periodStart: IsoDate;
  /** Last day of the plan's period. */
  periodEnd: IsoDate;
}

export interface Objective {
  number: number;
  title: string;
}

export interface Recommendation {
  number: number;
  text: string;
  /** Where it came from, e.g. "Peer Review 2018". */
  source?: string;
}

/** An output line of an item, with its numeric target where the text states one. */
export interface Output {
  text: string;
  /** "25 x 2 hour training sessions" → 25; "95% of staff…" → 95; "500+ reached" → 500. */
  target?: number;
  /** "sessions", "%", "reached", … */
  unit?: string;
  /** True for "500+": the target is a floor, not an exact figure. */
  atLeast?: boolean;
}

export type ItemKind = 'action' | 'project';

export const CADENCES = ['monthly', 'quarterly', 'annually'] as const;
export type Cadence = (typeof CADENCES)[number];

/**
 * A planned milestone moved to a new date: a Red report's revised date. The latest revision of a
 * milestone applies until a later report revises it again or a co-ordinator edits the milestones.
 */
export interface MilestoneRevision {
  /** The milestone as planned (one of the item's `milestones`). */
  milestone: IsoDate;
  /** The date it now falls due. */
  to: IsoDate;
  /** Instant of the report that moved it, ISO 8601. */
  at: string;
  /** Who moved it (display name or user principal name). */
  by: string;
}

export interface PlanItem {
  /** Stable key: the same row imported twice gets the same key. */
  key: string;
  kind: ItemKind;
  objectives: number[];
  title: string;
  /** True when the source row had no title and one was derived from its outcomes. */
  titleDerived?: boolean;
  /** Free text beyond the title (projects' description column when it is not the title). */
  description?: string;
  outcomes: string[];
  outputs: Output[];
  /** The timescale exactly as the plan states it. */
  timescale: string;
  /** Due dates, in order. */
  milestones: IsoDate[];
  /** Start of a ranged timescale ("July 2018 – March 2019" → 2018-07-01). */
  start?: IsoDate;
  /** "Ongoing": no due date, reviewed on a cycle. */
  recurring?: boolean;
  /** How often a recurring item comes round, when the plan says ("Quarterly", "Monthly", "Annually"). */
  cadence?: Cadence;
  /** Lead roles, canonical spelling. */
  leads: string[];
  /**
   * Who answers for an item that names no lead role (commissioned projects): a directory role. When
   * absent on such an item, the plan's default owner role applies (the co-ordinator by default).
   */
  owner?: string;
  provider?: string;
  /** Recommendation numbers the item answers ("(Peer Review Rec 1 & 4)" → [1, 4]). */
  recommendations: number[];
  status: Rag;
  /**
   * Milestones moved by revised dates, oldest first. Kept like `status`: a re-import of the plan
   * document does not undo them; a co-ordinator's edit of the milestones replaces them.
   */
  revisions?: MilestoneRevision[];
  /** Line of the source document the item came from (1-based), when imported from a file. */
  line?: number;
}

export interface Plan {
  plan: PlanInfo;
  objectives: Objective[];
  recommendations: Recommendation[];
  items: PlanItem[];
}

export interface ImportWarning {
  line: number;
  message: string;
}

export interface ParsedPlan extends Plan {
  warnings: ImportWarning[];
}

/** How a report reached the plan. */
export const REPORT_CHANNELS = ['teams', 'tab', 'email', 'cli'] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

/**
 * One entry of an item's history (append-only): a status report, or a co-ordinator's change to the
 * item's milestones (`kind: 'plan-edit'`, status unchanged), so that every move of a due date shows.
 */
export interface StatusUpdate {
  itemKey: string;
  /** Instant of the report, ISO 8601. */
  at: string;
  /** Who reported: a display name or user principal name. */
  by: string;
  from: Rag;
  to: Rag;
  note?: string;
  /** Figures reported against outputs, by output index. */
  figures?: Record<number, number>;
  /** Revised due date offered with a Red status: it moves a milestone (see `revisions`). */
  revisedDate?: IsoDate;
  /** The date that milestone fell due on before the revised date moved it. */
  revisedFrom?: IsoDate;
  /** With Red or Amber: what is being done to bring the item back on track (the board's exception report). */
  correctiveAction?: string;
  /** Absent for a status report. */
  kind?: 'plan-edit';
  /** A plan edit: the due dates before and after it. */
  milestonesBefore?: IsoDate[];
  milestonesAfter?: IsoDate[];
  /** How the report came: a Teams card, the tab, an e-mailed link, the command line. */
  via?: ReportChannel;
  /** Stable id of who reported (Entra object id or e-mail address), where known. */
  byId?: string;
}

/** True for a status report (not a co-ordinator's edit of the dates). */
export function isReport(update: Pick<StatusUpdate, 'kind'>): boolean {
  return update.kind === undefined;
}

export function isRag(value: unknown): value is Rag {
  return typeof value === 'string' && (RAG_VALUES as readonly string[]).includes(value);
}

/** Parses a RAG cell or answer ("Red", "amber", "G", "Completed", ""), or undefined if it is not one. */
export function parseRag(text: string): Rag | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'not reported' || t === 'not-reported' || t === 'n/a') return 'not-reported';
  if (t === 'r' || t === 'red') return 'red';
  if (t === 'a' || t === 'amber') return 'amber';
  if (t === 'g' || t === 'green') return 'green';
  if (t === 'c' || t === 'complete' || t === 'completed' || t === 'done' || t === 'blue') return 'complete';
  return undefined;
}
