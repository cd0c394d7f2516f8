/**
 * When and how long to wait before sending a Graph request again. Graph answers throttling with 429
 * and a Retry-After header (seconds) that must be honoured; 503 and 504 are transient and may carry
 * it too. Without the header: exponential back-off with jitter. Always bounded.
 * https://learn.microsoft.com/en-us/graph/throttling (best practices to handle throttling)
 * https://learn.microsoft.com/en-us/graph/errors (503: retry after a delay given by Retry-After)
 */

export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  /** First back-off step when the service gives no Retry-After. */
  baseDelayMs: number;
  /** Ceiling of one back-off step. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails instead. */
  maxRetryAfterMs: number;
  /** Injectable for tests: they never sleep for real. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Statuses that say "not done, try again later". */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Delay before retry number `attempt` (0-based), or undefined when the policy says stop.
 * Retry-After wins when given; otherwise full-range jitter over an exponential step.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: string | null): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  const asked = parseRetryAfter(retryAfter);
  if (asked !== undefined) return asked > policy.maxRetryAfterMs ? undefined : asked;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (policy.random() * step) / 2);
}
