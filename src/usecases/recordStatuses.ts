/**
 * Several reports at once (a daily card's "Record all"): each goes through recordStatus, one item at
 * a time, so that every item gets exactly the answer it would get on its own (recorded, refused with
 * its reasons, or already recorded). Who is reporting is worked out once.
 */
import type { ReportInput } from '../domain/statusReport';
import type { DirectoryEntry } from '../store/planStore';
import type { Actor } from './actor';
import { recordStatus, type ActorSource, type RecordOutcome, type ReportBasis, type ReportingDeps } from './recordStatus';

export interface ItemAnswer {
  itemKey: string;
  input: ReportInput;
  basis: ReportBasis;
}

/** Most items one request may answer (a daily card holds far fewer). */
export const MAX_ANSWERS = 50;

export async function recordStatuses(
  deps: ReportingDeps,
  who: ActorSource,
  planId: string,
  answers: readonly ItemAnswer[],
): Promise<Array<{ itemKey: string; result: RecordOutcome }>> {
  let actor: Promise<Actor> | undefined;
  const once: ActorSource = typeof who === 'function' ? (directory: readonly DirectoryEntry[]) => (actor ??= who(directory)) : who;
  const out: Array<{ itemKey: string; result: RecordOutcome }> = [];
  for (const answer of answers.slice(0, MAX_ANSWERS)) {
    out.push({ itemKey: answer.itemKey, result: await recordStatus(deps, once, planId, answer.itemKey, answer.input, answer.basis) });
  }
  return out;
}
