import { DEFAULT_RETRY_POLICY, isTransientStatus, parseRetryAfter, retryDelay } from '../../src/graph/retry';

describe('retry policy', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000, random: () => 0 };

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('honours Retry-After, backs off exponentially without it, and stops at its bounds', () => {
    expect(retryDelay(policy, 0, '3')).toBe(3000);
    expect([0, 1, 2, 3].map((a) => retryDelay(policy, a))).toEqual([50, 100, 200, 400]);
    expect(retryDelay({ ...policy, random: () => 1 }, 3)).toBe(800);
    expect(retryDelay({ ...policy, maxRetries: 10 }, 8)).toBe(500);
    expect(retryDelay(policy, 4, '1')).toBeUndefined();
    expect(retryDelay(policy, 0, '600')).toBeUndefined();
  });

  it('treats 429, 503 and 504 as transient, and nothing else', () => {
    expect([429, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 404, 409, 412, 500].some(isTransientStatus)).toBe(false);
  });
});
