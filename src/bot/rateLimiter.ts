/**
 * Sliding-window rate limiter for sends to Teams. Documented limits (per bot per conversation): 7 per
 * second, 8 per 2 s, 60 per 30 s, 1,800 per hour; per app per tenant: 50 per second. A send waits
 * until every window it belongs to has room. Time and sleeping are injectable for tests.
 *
 * Teams counts requests when they arrive, somewhere between when they leave and when their response
 * comes back: a request that takes longer on the way (a new connection, a busy machine) bunches up
 * with the ones after it. Counting sends only when they left let bench/load.ts measure 51 requests
 * in one second at the stand-in. So a send counts as "now" while in flight and at its response time
 * once done (see `waitFor`). That alone is exact: a send not counted any more had its response at
 * least a window before the new send leaves, so it arrived at least a window before the new one
 * arrives, whatever the network did in between. Each window is kept `marginMs` longer than documented
 * only for the clock's millisecond steps (a 50 ms margin, from before responses were counted, cost
 * 5 % of the tenant's budget: 47.6 sends/s at most).
 */
export interface Window {
  limit: number;
  ms: number;
}

export const PER_CONVERSATION: Window[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];
export const PER_TENANT: Window[] = [{ limit: 50, ms: 1_000 }];
/** How often a closed gate is looked at again. */
const GATE_POLL_MS = 100;
/** Slack added to every window for the clock's millisecond steps (see above). */
export const WINDOW_MARGIN_MS = 10;

export interface LimiterTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: LimiterTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One send as the limiter counts it: in flight (may arrive at Teams any moment), or done at `t`. */
interface Entry {
  t: number;
  done: boolean;
}

/** Call when the response has come back: the send is then counted at that moment. */
export type Release = () => void;

export class RateLimiter {
  private readonly sent = new Map<string, Entry[]>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private waiters: Array<() => void> = [];

  constructor(
    private readonly time: LimiterTime = realTime,
    private readonly perConversation: Window[] = PER_CONVERSATION,
    private readonly perTenant: Window[] = PER_TENANT,
    private readonly marginMs: number = WINDOW_MARGIN_MS,
    /** Whether this process may send at all now (several instances: only while its heartbeat is fresh). */
    private readonly gate: () => boolean = () => true,
  ) {}

  /**
   * How long a send on these keys would have to wait now (0 = may go; Infinity = until a send in
   * flight finishes). A send in flight counts as
   * "now" (it may arrive at any moment); a finished one counts at the time its response came back,
   * which is never earlier than when Teams received it. So however the network delays or bunches
   * requests, no window at Teams can hold more than its limit.
   */
  waitFor(keys: Array<[string, Window[]]>): number {
    const now = this.time.now();
    let wait = 0;
    for (const [key, windows] of keys) {
      const entries = this.sent.get(key) ?? [];
      const inFlight = entries.filter((e) => !e.done).length;
      for (const w of windows) {
        const span = w.ms + this.marginMs;
        const recent = entries
          .filter((e) => e.done && e.t > now - span)
          .map((e) => e.t)
          .sort((a, b) => a - b);
        const over = inFlight + recent.length - w.limit + 1;
        if (over <= 0) continue;
        // Wait for the oldest finished sends to leave the window; if sends in flight fill it, for one to finish.
        wait = Math.max(wait, over <= recent.length ? (recent[over - 1] as number) + span - now : Number.POSITIVE_INFINITY);
      }
    }
    return wait;
  }

  /**
   * Resolves when a send to `conversationId` (in `tenant`) may go, and counts it as in flight.
   * Sends to one conversation queue in order. Call the returned `release` when the response is back
   * (or the request failed); until then the send holds its place in every window.
   */
  acquire(conversationId: string, tenant = 'default'): Promise<Release> {
    const queueKey = `${tenant}|${conversationId}`;
    const previous = this.queues.get(queueKey) ?? Promise.resolve();
    const next = previous.then(async () => {
      const keys: Array<[string, Window[]]> = [
        [`c:${conversationId}`, this.perConversation],
        [`t:${tenant}`, this.perTenant],
      ];
      for (let wait = this.waitFor(keys); wait > 0 || !this.gate(); wait = this.waitFor(keys)) {
        if (wait === Number.POSITIVE_INFINITY) await new Promise<void>((resolve) => this.waiters.push(resolve));
        else await this.time.sleep(wait > 0 ? wait : GATE_POLL_MS);
      }
      const now = this.time.now();
      const entry: Entry = { t: now, done: false };
      for (const [key, windows] of keys) {
        const longest = Math.max(...windows.map((w) => w.ms)) + this.marginMs;
        const entries = (this.sent.get(key) ?? []).filter((e) => !e.done || e.t > now - longest);
        entries.push(entry);
        this.sent.set(key, entries);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.t = this.time.now();
        entry.done = true;
        const waiting = this.waiters;
        this.waiters = [];
        waiting.forEach((wake) => wake());
      };
    });
    this.queues.set(
      queueKey,
      next.catch(() => undefined),
    );
    return next;
  }
}
