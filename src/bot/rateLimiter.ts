/**
 * Sliding-window rate limiter for sends to Teams. Documented limits (per bot per conversation): 7 per
 * second, 8 per 2 s, 60 per 30 s, 1,800 per hour; per app per tenant: 50 per second. A send waits
 * until every window it belongs to has room. Time and sleeping are injectable for tests.
 *
 * Teams counts requests when they arrive, the limiter when they leave: a request that takes longer on
 * the way (a new connection, a busy network) bunches up with the ones after it. Each window is
 * therefore kept `marginMs` longer than documented (default 50 ms: at most 5% below the ceiling).
 * Without it, bench/load.ts measured 51 requests in one second at the stand-in and 8 in one second
 * in one chat.
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
/** Slack added to every window for the spread of network latency (see above). */
export const WINDOW_MARGIN_MS = 50;

export interface LimiterTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: LimiterTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly time: LimiterTime = realTime,
    private readonly perConversation: Window[] = PER_CONVERSATION,
    private readonly perTenant: Window[] = PER_TENANT,
    private readonly marginMs: number = WINDOW_MARGIN_MS,
  ) {}

  /** How long a send on these keys would have to wait now (0 = may go). */
  waitFor(keys: Array<[string, Window[]]>): number {
    const now = this.time.now();
    let wait = 0;
    for (const [key, windows] of keys) {
      const times = this.sent.get(key) ?? [];
      for (const w of windows) {
        const span = w.ms + this.marginMs;
        const inWindow = times.filter((t) => t > now - span);
        if (inWindow.length >= w.limit) {
          const oldestThatMustExpire = inWindow[inWindow.length - w.limit] as number;
          wait = Math.max(wait, oldestThatMustExpire + span - now);
        }
      }
    }
    return wait;
  }

  /** Resolves when a send to `conversationId` (in `tenant`) may go, and counts it. Sends queue in order. */
  acquire(conversationId: string, tenant = 'default'): Promise<void> {
    const queueKey = `${tenant}|${conversationId}`;
    const previous = this.queues.get(queueKey) ?? Promise.resolve();
    const next = previous.then(async () => {
      const keys: Array<[string, Window[]]> = [
        [`c:${conversationId}`, this.perConversation],
        [`t:${tenant}`, this.perTenant],
      ];
      for (let wait = this.waitFor(keys); wait > 0; wait = this.waitFor(keys)) await this.time.sleep(wait);
      const now = this.time.now();
      for (const [key, windows] of keys) {
        const longest = Math.max(...windows.map((w) => w.ms)) + this.marginMs;
        const times = (this.sent.get(key) ?? []).filter((t) => t > now - longest);
        times.push(now);
        this.sent.set(key, times);
      }
    });
    this.queues.set(
      queueKey,
      next.catch(() => undefined),
    );
    return next;
  }
}
