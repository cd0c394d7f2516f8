/**
 * Who runs the schedule when several instances run: exactly one at a time, the holder of a lease.
 * A single instance (the embedded default) always leads; with STATE_STORE=azure the lease is a blob
 * lease every instance competes for (state/azure/blobLeaderLease.ts), and a new leader takes over
 * within one lease period after the old one stops renewing (it died, or lost the network).
 */
export interface Leadership {
  /** True while this instance holds the lease. */
  isLeader(): boolean;
  /** Starts competing for (and renewing) the lease. */
  start(): Promise<void>;
  /** Stops renewing and gives the lease up, so another instance takes over at once. */
  stop(): Promise<void>;
  /** Calls `listener` each time this instance becomes the leader (to catch up what the last one missed). */
  onLeading(listener: () => void): void;
}

/** One instance: it always leads. */
export const soleInstance: Leadership = {
  isLeader: () => true,
  start: async () => undefined,
  stop: async () => undefined,
  onLeading: () => undefined,
};
