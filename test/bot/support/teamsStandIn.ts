/**
 * A local stand-in for the Teams service URL (the Bot Framework connector): records every call the
 * bot makes to /v3/conversations/... and answers like the service does (an activity id for a send).
 * Tests can make it answer 429 with Retry-After, or 403/404 for chosen conversations.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  at: number;
}

export interface StandIn {
  url: string;
  calls: RecordedCall[];
  /** Answer the next `n` sends with 429 and this Retry-After. */
  throttleNext(n: number, retryAfter: string): void;
  /** Conversations that answer 403 (bot blocked / not installed). */
  blocked: Set<string>;
  /** Members returned by GET …/members/{id}. */
  members: Map<string, Record<string, unknown>>;
  sends(conversationId?: string): RecordedCall[];
  updates(conversationId?: string): RecordedCall[];
  close(): Promise<void>;
}

export async function startTeamsStandIn(): Promise<StandIn> {
  const calls: RecordedCall[] = [];
  let throttle = 0;
  let retryAfter = '1';
  let seq = 0;
  const blocked = new Set<string>();
  const members = new Map<string, Record<string, unknown>>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const m = /^\/v3\/conversations\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?$/.exec(url.pathname);
      const conversationId = m?.[1] ? decodeURIComponent(m[1]) : undefined;
      const sub = m?.[2];
      const id = m?.[3] ? decodeURIComponent(m[3]) : undefined;
      const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, at: Date.now() };
      if (conversationId) call.conversationId = conversationId;
      if (id) call.activityId = id;
      calls.push(call);
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (!m || !conversationId) return json(404, { error: { code: 'NotFound', message: 'unknown path' } });
      if (sub === 'members' && req.method === 'GET') {
        const member = id ? members.get(id) : undefined;
        return member ? json(200, member) : json(404, { error: { code: 'MemberNotFound' } });
      }
      if (blocked.has(conversationId))
        return json(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
      if (sub === 'activities' && req.method === 'POST') {
        if (throttle > 0) {
          throttle--;
          return json(429, { error: { code: 'Throttled' } }, { 'retry-after': retryAfter });
        }
        call.activityId = `act-${++seq}`;
        return json(201, { id: call.activityId });
      }
      if (sub === 'activities' && req.method === 'PUT' && id) return json(200, { id });
      return json(405, { error: { code: 'MethodNotAllowed' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    blocked,
    members,
    throttleNext: (n, after) => {
      throttle = n;
      retryAfter = after;
    },
    sends: (cid) => calls.filter((c) => c.method === 'POST' && c.path.endsWith('/activities') && (!cid || c.conversationId === cid)),
    updates: (cid) => calls.filter((c) => c.method === 'PUT' && (!cid || c.conversationId === cid)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Adaptive Card content of a recorded send/update, if it carries one. */
export function cardOf(call: RecordedCall): Record<string, unknown> | undefined {
  const body = call.body as { attachments?: Array<{ contentType: string; content: Record<string, unknown> }> } | undefined;
  return body?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All text in a card, flattened (for assertions on what it says). */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if ((k === 'text' || k === 'title' || k === 'value' || k === 'label') && (typeof v === 'string' || typeof v === 'number'))
          out.push(String(v));
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}
