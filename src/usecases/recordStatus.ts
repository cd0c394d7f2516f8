/**
 * Record a status report: the one use case behind the Teams card, the tab, the e-mailed answer page
 * and the command line, so that the same report gets the same answer wherever it comes from.
 *
 * In order (the first that applies decides):
 * 1. The item must exist.
 * 2. The person must be one of its leads or a co-ordinator (canReport).
 * 3. A report made against an older version of the item is stale, unless the person's view proves
 *    that only other reports came in since (the plan content they saw is unchanged): then it is
 *    recorded after those, and the outcome lists them so the person can be told. A view that cannot
 *    prove it (no content fingerprint) is refused as stale, as is one whose prompt was superseded.
 * 4. The report must pass the rules of statusReport.ts.
 * 5. The same report already recorded since the person's view (a replay) is not recorded twice.
 * A revised date moves the milestone the report is about (milestones.ts); history keeps both.
 */
import type { Clock } from '../domain/clock';
import { londonDate } from '../domain/calendar';
import { planContentHash } from '../domain/contentHash';
import { revisionFor } from '../domain/milestones';
import { isReport, type StatusUpdate } from '../domain/model';
import { validateReport, type ReportInput, type ReportProblem } from '../domain/statusReport';
import { ConflictError } from '../errors';
import type { Logger } from '../logger';
import type { DirectoryEntry, PlanStore, StatusChange, StoredItem, StoredPlan } from '../store/planStore';
import type { Actor } from './actor';
import { canReport } from './canReport';

/** Rounds of re-read and re-write when other reports on the same item keep getting in first. */
const ATTEMPTS = 5;

export interface ReportingDeps {
  store: PlanStore;
  clock: Clock;
  logger: Logger;
  coordinatorIds: readonly string[];
  /** The plan's reminder window in days (its largest reminder offset), for which milestone a revised date moves. */
  windowDays(planId: string): Promise<number>;
  /** The plan's owner role (who answers for items naming no lead); asked only for such items. */
  ownerRole?(planId: string): Promise<string | undefined>;
}

/** What the person saw when they made the report. */
export interface ReportBasis {
  /** The item version they saw. */
  version: string;
  /** Fingerprint of the plan content they saw (planContentHash); without it any change is stale. */
  content?: string;
  /** Instant of the last report they saw ('' when none): reports after it are news to them. */
  seen?: string;
  /** True when what they answered was replaced by a newer request (a newer prompt card). */
  superseded?: () => boolean;
}

export type Refusal =
  | { kind: 'not-found'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'invalid'; problems: ReportProblem[] }
  | { kind: 'stale'; why: 'reported' | 'changed' | 'superseded'; by?: string; at?: string };

export type RecordOutcome =
  | { outcome: 'recorded'; plan?: StoredPlan; item: StoredItem; entry: StatusUpdate; earlier: StatusUpdate[] }
  | { outcome: 'already-recorded'; plan?: StoredPlan; item: StoredItem }
  | { outcome: 'refused'; refusal: Refusal; plan?: StoredPlan; item?: StoredItem };

/** The actor, or how to find out who they are once the plan's directory is known (the bot may need to ask Teams). */
export type ActorSource = Actor | ((directory: readonly DirectoryEntry[]) => Promise<Actor>);

function sameReport(u: StatusUpdate, change: StatusChange): boolean {
  const figures = (f?: Record<number, number>) => JSON.stringify(Object.entries(f ?? {}).sort(([a], [b]) => Number(a) - Number(b)));
  return (
    u.by === change.by &&
    u.to === change.to &&
    (u.note ?? '') === (change.note ?? '') &&
    (u.revisedDate ?? '') === (change.revisedDate ?? '') &&
    (u.correctiveAction ?? '') === (change.correctiveAction ?? '') &&
    figures(u.figures) === figures(change.figures)
  );
}

function staleness(current: StoredItem, basis: ReportBasis): Refusal | undefined {
  if (current.version === basis.version) return undefined;
  const reported = current.lastUpdate ? { by: current.lastUpdate.by, at: current.lastUpdate.at } : {};
  if (basis.content === undefined) return { kind: 'stale', why: 'reported', ...reported };
  if (planContentHash(current) !== basis.content) return { kind: 'stale', why: 'changed' };
  if (basis.superseded?.()) return { kind: 'stale', why: 'superseded' };
  return undefined;
}

export async function recordStatus(
  deps: ReportingDeps,
  who: ActorSource,
  planId: string,
  itemKey: string,
  input: ReportInput,
  basis: ReportBasis,
): Promise<RecordOutcome> {
  const { store, logger } = deps;
  const [plan, item, directory] = await Promise.all([store.getPlan(planId), store.getItem(planId, itemKey), store.listDirectory(planId)]);
  const withPlan = plan ? { plan } : {};
  const refused = (refusal: Refusal, current?: StoredItem): RecordOutcome => {
    logger.info({ planId, itemKey, refused: refusal.kind }, 'report not recorded');
    return { outcome: 'refused', refusal, ...withPlan, ...(current ? { item: current } : {}) };
  };
  if (!plan || !item) {
    return refused({
      kind: 'not-found',
      message: `There is no item "${itemKey}" in plan "${planId}": it may have been removed by a re-import. Reload the plan.`,
    });
  }
  const actor = typeof who === 'function' ? await who(directory) : who;
  const ownerRole = item.leads.length === 0 && !item.owner ? await deps.ownerRole?.(planId) : undefined;
  const right = canReport(actor, item, directory, deps.coordinatorIds, ownerRole);
  if (!right.ok) return refused({ kind: 'forbidden', message: right.message }, item);

  const windowDays = await deps.windowDays(planId);
  let current = item;
  for (let attempt = 1; ; attempt++) {
    // Stale first: the person should see what changed before being asked to fix their values.
    const stale = staleness(current, basis);
    if (stale) return refused(stale, current);
    const now = deps.clock.now();
    const checked = validateReport(input, current.outputs, londonDate(now));
    if (!checked.ok) return refused({ kind: 'invalid', problems: checked.problems }, current);
    const { report } = checked;
    const at = now.toISOString();
    const change: StatusChange = { to: report.rag, by: actor.name, at, via: actor.via, ...(actor.id ? { byId: actor.id } : {}) };
    if (report.note) change.note = report.note;
    if (report.figures) change.figures = report.figures;
    if (report.correctiveAction) change.correctiveAction = report.correctiveAction;
    if (report.revisedDate) {
      const { revision, from } = revisionFor(current, report.revisedDate, { at, by: actor.name }, windowDays);
      Object.assign(change, { revisedDate: report.revisedDate, revision, ...(from ? { revisedFrom: from } : {}) });
    }

    // Reports recorded since the person's view: the same report replayed, or other people's reports.
    let earlier: StatusUpdate[] = [];
    if (current.version !== basis.version) {
      const since = (await store.history(planId, itemKey)).filter((u) => isReport(u) && u.at > (basis.seen ?? ''));
      if (since.some((u) => sameReport(u, change))) {
        logger.info({ planId, itemKey }, 'report replayed; already recorded, not recorded twice');
        return { outcome: 'already-recorded', ...withPlan, item: current };
      }
      earlier = since.filter((u) => u.by !== change.by);
    }

    try {
      const updated = await store.updateStatus(planId, itemKey, change, current.version);
      logger.info(
        { planId, itemKey, rag: report.rag, via: actor.via, as: right.as, after: earlier.length },
        earlier.length > 0 ? 'report recorded after a report by someone else' : 'report recorded',
      );
      const entry: StatusUpdate = { itemKey, from: current.status, ...change, to: report.rag };
      delete (entry as Partial<StatusChange>).revision;
      return { outcome: 'recorded', ...withPlan, item: updated, entry, earlier };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another report got in between our read and our write: read again and decide again.
      const again = await store.getItem(planId, itemKey);
      if (!again) return refused({ kind: 'not-found', message: `The item "${itemKey}" was removed while you were reporting.` });
      if (attempt >= ATTEMPTS) {
        return refused(
          { kind: 'stale', why: 'reported', ...(again.lastUpdate ? { by: again.lastUpdate.by, at: again.lastUpdate.at } : {}) },
          again,
        );
      }
      current = again;
    }
  }
}
