/**
 * The public version of a plan (for publication: FOI, transparency): the plan and each item's status
 * as at a quarter end, leaving out what is not for the public. Pure.
 *
 * Left out always: notes, corrective actions, who reported and when, the directory (people's names
 * and e-mail addresses). Left out when the co-ordinator says: figures marked internal (per output, or
 * every figure of an item) and any field marked restricted (description, outcomes, outputs, leads,
 * provider, timescale, figures, status). As a safety net, any name or e-mail address of a person the
 * plan knows (the directory, reporters) and any e-mail address at all is replaced by "[REDACTED]" in
 * whatever is published. "[REDACTED]" already in the source stays as it is.
 */
import { historyAsAt, itemsAsAt } from './asAt';
import { outputProgress } from './dashboard';
import type { FilterableItem } from './filters';
import type { IsoDate, Objective, PlanInfo, Rag, Recommendation, StatusUpdate } from './model';
import type { ReportingPeriod } from './reportingPeriods';
import type { DirectoryRole } from './recipients';
import { figureText, targetWords } from './words';

export const RESTRICTABLE_FIELDS = ['description', 'outcomes', 'outputs', 'leads', 'provider', 'timescale', 'figures', 'status'] as const;
export type RestrictableField = (typeof RESTRICTABLE_FIELDS)[number];

export const RESTRICTABLE_LABELS: Record<RestrictableField, string> = {
  description: 'Description',
  outcomes: 'Outcomes',
  outputs: 'Outputs',
  leads: 'Lead roles',
  provider: 'Project provider',
  timescale: 'Timescale',
  figures: 'Figures reported against targets',
  status: 'RAG status',
};

export const REDACTED = '[REDACTED]';

export interface PublicExportRules {
  /** Fields left out of every item. */
  restricted: readonly RestrictableField[];
  /** Figures not published: "<itemKey>#<output number from 1>", or "<itemKey>" for all of an item's. */
  internalFigures: readonly string[];
}

export interface PublicOutput {
  text: string;
  target?: string;
  /** The latest figure reported by the quarter end, unless internal. */
  reported?: string;
}

export interface PublicItem {
  kind: 'action' | 'project';
  objectives: number[];
  title: string;
  description?: string;
  outcomes?: string[];
  outputs?: PublicOutput[];
  timescale?: string;
  leads?: string[];
  provider?: string;
  status?: Rag;
}

export interface PublicPlan {
  organisation: string;
  title: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  quarter: string;
  asAt: IsoDate;
  objectives: Objective[];
  recommendations: Recommendation[];
  items: PublicItem[];
  /** What was left out, in words, for the document's note. */
  leftOut: string[];
}

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function that replaces the given names and every e-mail address with [REDACTED]. */
export function scrubber(names: readonly string[]): (text: string) => string {
  const words = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 3 && n !== REDACTED))].sort((a, b) => b.length - a.length);
  const pattern =
    words.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu') : undefined;
  return (text) => {
    let out = text.replace(EMAIL, REDACTED);
    if (pattern) out = out.replace(pattern, REDACTED);
    return out;
  };
}

/** Names and e-mail addresses of everyone the plan knows: the directory and everyone who reported. */
export function knownPeople(directory: readonly DirectoryRole[], history: readonly StatusUpdate[]): string[] {
  const out: string[] = [];
  for (const role of directory) for (const p of role.people) out.push(p.name, ...(p.email ? [p.email] : []));
  for (const u of history) out.push(u.by, ...(u.byId && u.byId.includes('@') ? [u.byId] : []));
  return out;
}

export function buildPublicPlan(input: {
  plan: PlanInfo;
  objectives: readonly Objective[];
  recommendations: readonly Recommendation[];
  items: readonly FilterableItem[];
  history: readonly StatusUpdate[];
  directory: readonly DirectoryRole[];
  quarter: ReportingPeriod;
  rules: PublicExportRules;
}): PublicPlan {
  const { quarter, rules } = input;
  const restricted = new Set(rules.restricted);
  const internal = new Set(rules.internalFigures.map((s) => s.trim().toLowerCase()));
  const scrub = scrubber(knownPeople(input.directory, input.history));
  const asAt = itemsAsAt(input.items, input.history, quarter.end);
  const figures = new Map(outputProgress(asAt, historyAsAt(input.history, quarter.end)).map((o) => [`${o.itemKey}#${o.index}`, o]));
  const items = asAt.map((item): PublicItem => {
    const out: PublicItem = { kind: item.kind, objectives: [...item.objectives], title: scrub(item.title) };
    if (!restricted.has('description') && item.description) out.description = scrub(item.description);
    if (!restricted.has('outcomes')) out.outcomes = item.outcomes.map(scrub);
    if (!restricted.has('outputs')) {
      out.outputs = item.outputs.map((o, i) => {
        const row: PublicOutput = { text: scrub(o.text) };
        if (typeof o.target === 'number') row.target = targetWords(o);
        const reported = figures.get(`${item.key}#${i}`)?.reported;
        const hidden =
          restricted.has('figures') || internal.has(item.key.toLowerCase()) || internal.has(`${item.key}#${i + 1}`.toLowerCase());
        if (reported !== undefined && !hidden) row.reported = figureText(reported, o);
        return row;
      });
    }
    if (!restricted.has('timescale')) out.timescale = scrub(item.timescale);
    if (!restricted.has('leads')) out.leads = item.leads.map(scrub);
    if (!restricted.has('provider') && item.provider) out.provider = scrub(item.provider);
    if (!restricted.has('status')) out.status = item.status;
    return out;
  });
  const leftOut = [
    'notes and corrective actions',
    "people's names and e-mail addresses",
    ...(internal.size > 0 && !restricted.has('figures') ? ['figures marked internal'] : []),
    ...RESTRICTABLE_FIELDS.filter((f) => restricted.has(f)).map((f) => RESTRICTABLE_LABELS[f].toLowerCase()),
  ];
  return {
    organisation: input.plan.organisation,
    title: input.plan.title,
    periodStart: input.plan.periodStart,
    periodEnd: input.plan.periodEnd,
    quarter: quarter.label,
    asAt: quarter.end,
    objectives: input.objectives.map((o) => ({ ...o, title: scrub(o.title) })),
    recommendations: input.recommendations.map((r) => ({ ...r, text: scrub(r.text) })),
    items,
    leftOut,
  };
}
