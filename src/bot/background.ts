/**
 * Work the bot starts and does not wait for (replacing cards for other recipients, learning a UPN):
 * errors are logged, and tests and shutdown can wait until none is left.
 */
import type { Logger } from '../logger';

export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  /** Chains per key (see inOrder). */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.logger.error({ err: (err as Error).message }, 'background bot work failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Runs `work` after every earlier piece with the same key (so the latest card replacement is the one left showing). */
  inOrder(key: string, work: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    this.run(next);
  }

  /** Resolves when nothing is left running. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
