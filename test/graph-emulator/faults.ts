/**
 * The emulator's switches and counters: faults a test turns on (each as SharePoint or Graph gives
 * it; see emulator.ts), its options, and what it counted.
 */
import type { Clock } from './budget';
import type { UniqueClash } from './lists';

export interface Faults {
  /** Share of top-level requests answered 429 with Retry-After (0..1). */
  throttleRate: number;
  /** Share of requests inside a $batch answered 429 (0..1). */
  batchItemThrottleRate: number;
  /** Share of top-level requests answered 503 with Retry-After. */
  unavailableRate: number;
  /** Retry-After value of the random 429/503s, in seconds. */
  retryAfterSeconds: number;
  /** Milliseconds added before each answer. */
  latencyMs: number;
  /** Share of requests whose connection is dropped before the request is applied. */
  dropBeforeRate: number;
  /** Share of requests whose connection is dropped after the request is applied (the answer is lost). */
  dropAfterRate: number;
  /** Share of writes (top-level, batch parts, whole batches) applied and then answered 504. */
  applyThen504Rate: number;
  /** Share of item PATCHes refused with 409 "Save Conflict": another save got in first (the item moved on), this one not applied. */
  saveConflictRate: number;
}

export const NO_FAULTS: Faults = {
  throttleRate: 0,
  batchItemThrottleRate: 0,
  unavailableRate: 0,
  retryAfterSeconds: 0,
  latencyMs: 0,
  dropBeforeRate: 0,
  dropAfterRate: 0,
  applyThen504Rate: 0,
  saveConflictRate: 0,
};

export interface EmulatorOptions {
  /** Bearer token of a default app with every permission (Sites.FullControl.All, AppCatalog.Read.All). */
  token: string;
  /** Sites that exist, as `hostname:/sites/path`. */
  sites?: string[];
  port?: number;
  faults?: Partial<Faults>;
  /** Seed of the fault dice and of batch order, so a run is repeatable. */
  seed?: number;
  /** Resource units per app per minute (SharePoint: 1,200 for up to 1,000 licences); no budget when absent. */
  unitsPerMinute?: number;
  clock?: Clock;
  uniqueClash?: UniqueClash;
  tenantId?: string;
}

export interface EmulatorStats {
  /** HTTP requests received (a $batch counts once), including refused ones. */
  requests: number;
  /** Requests carried inside batches. */
  batchedRequests: number;
  throttled: number;
  unavailable: number;
  dropped: number;
  preconditionFailed: number;
  saveConflicts: number;
  gatewayTimeouts: number;
  /** Resource units charged to apps (when a budget is set). */
  units: number;
}

/** A request as the emulator routes it (top-level or inside a batch), for test interceptions. */
export interface InterceptedCall {
  method: string;
  /** Path and query below /v1.0. */
  path: string;
  body: string;
}

/**
 * What a test interception does to one call: answer it with an error, apply it but drop the
 * connection so the answer is lost, apply it and answer 504, or run something first.
 */
export type Interception =
  | { fail: { status: number; code: string; message: string } }
  | { dropAfter: true }
  | { gatewayTimeoutAfter: true }
  | { saveConflict: true }
  | { before: () => void };
