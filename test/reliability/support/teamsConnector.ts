/**
 * A local stand-in for the Teams connector (the service URL the bot sends to), for the reliability
 * tests and the load bench. It records every POST of an activity with the instant it arrived on a
 * clock the caller chooses (a virtual clock in tests, so windows are checked without wall-clock
 * timing), and lets the caller decide, per request, to answer 429 with a Retry-After or to hold the
 * request unanswered (a send in flight when the sending process is killed).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  /** 1-based order of arrival. */
  n: number;
  conversationId: string;
  /** On the caller's clock. */
  at: number;
  status: number;
  retryAfter?: string;
  body: unknown;
  activityId?: string;
}

export type Decision = { throttle: string } | 'hold' | undefined;

export interface ConnectorOptions {
  /** Clock stamped on each call (default Date.now). */
  now?: () => number;
  /** Per request: answer 429 with this Retry-After, hold it unanswered, or accept it (undefined). */
  decide?: (call: Omit<ConnectorCall, 'status'>) => Decision;
}

export interface Connector {
  url: string;
  calls: ConnectorCall[];
  /** Accepted sends (201), optionally for one conversation. */
  accepted(conversationId?: string): ConnectorCall[];
  throttled(): ConnectorCall[];
  /** Requests held unanswered so far. */
  held(): number;
  close(): Promise<void>;
}

export async function startConnector(options: ConnectorOptions = {}): Promise<Connector> {
  const now = options.now ?? Date.now;
  const calls: ConnectorCall[] = [];
  const holding: http.ServerResponse[] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      const url = new URL(req.url ?? '/', 'http://x');
      const m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(url.pathname);
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (!m || req.method !== 'POST') {
        // Card replacements (PUT) and member look-ups: answered, not counted as sends.
        if (req.method === 'PUT') return json(200, {});
        return json(404, { error: { code: 'NotFound' } });
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      } catch {
        body = undefined;
      }
      const call: ConnectorCall = { n: calls.length + 1, conversationId: decodeURIComponent(m[1]!), at, status: 0, body };
      calls.push(call);
      const decision = options.decide?.(call);
      if (decision === 'hold') {
        call.status = -1;
        holding.push(res);
        return;
      }
      if (decision && 'throttle' in decision) {
        call.status = 429;
        call.retryAfter = decision.throttle;
        return json(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': decision.throttle });
      }
      call.status = 201;
      call.activityId = `act-${++seq}`;
      return json(201, { id: call.activityId });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    accepted: (cid) => calls.filter((c) => c.status === 201 && (!cid || c.conversationId === cid)),
    throttled: () => calls.filter((c) => c.status === 429),
    held: () => holding.length,
    close: async () => {
      for (const res of holding) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The most requests seen in any window of `ms` (sliding, as the limiter counts). */
export function busiest(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - ms) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Checks sends against sliding windows (a request at t counts in (t - ms, t], as the limiter does):
 * returns the first window exceeded, or undefined.
 */
export function firstExcess(
  times: number[],
  windows: Array<{ limit: number; ms: number }>,
): { limit: number; ms: number; at: number; count: number } | undefined {
  const sorted = [...times].sort((a, b) => a - b);
  for (const w of windows) {
    let start = 0;
    for (let end = 0; end < sorted.length; end++) {
      while (sorted[start]! <= sorted[end]! - w.ms) start++;
      const count = end - start + 1;
      if (count > w.limit) return { ...w, at: sorted[end]!, count };
    }
  }
  return undefined;
}
