/**
 * A local stand-in for the Teams service URL (the Bot Framework connector): records every call the
 * bot makes to /v3/conversations/... and answers like the service does (an activity id for a send).
 * Tests can make it answer 429 with Retry-After, or 403/404 for chosen conversations.
 *
 * Creating conversations (POST /v3/conversations,
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation):
 *  - 1:1 ({ isGroup: false, members: [{ id }] , tenantId }): 201 { id } — the same id for the same
 *    user every time — only when the app is installed for the user (`appInstalledFor`, which tests
 *    wire to the Graph emulator's installs); otherwise 403 BotNotInConversationRoster, as Teams answers
 *    for users without the app (https://github.com/MicrosoftDocs/msteams-docs/issues/11125,
 *    https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/744); 400 without
 *    exactly one member or without a tenant id.
 *  - a thread in a channel ({ isGroup: true, channelData: { channel: { id } }, activity }): 201
 *    { id: "<channel>;messageid=<n>", activityId } when the channel belongs to a team the bot is in
 *    (`teamChannels`, `teamsWithBot`); otherwise 403 BotNotInConversationRoster
 *    (https://github.com/MicrosoftDocs/bot-docs/issues/1527).
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
  /** Whether the app is installed for a user (Entra object id); default: nobody. */
  appInstalledFor: (aadObjectId: string) => boolean;
  /** Channels of teams: channel id → team id (a team's General channel has the team's id). */
  teamChannels: Map<string, string>;
  /** Teams the bot is installed in. */
  teamsWithBot: Set<string>;
  /** Conversations created (1:1 and channel threads). */
  creations(): RecordedCall[];
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
  const teamChannels = new Map<string, string>();
  const teamsWithBot = new Set<string>();
  const state = { appInstalledFor: (_id: string): boolean => false };
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
      if (url.pathname === '/v3/conversations' && req.method === 'POST') return json(...createConversation(body));
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
  const notInRoster = { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } };
  function createConversation(body: unknown): [number, unknown] {
    const b = (body ?? {}) as {
      isGroup?: boolean;
      members?: Array<{ id?: string }>;
      tenantId?: string;
      channelData?: { channel?: { id?: string }; tenant?: { id?: string } };
      activity?: unknown;
    };
    if (b.isGroup) {
      const channelId = b.channelData?.channel?.id;
      const team = channelId ? teamChannels.get(channelId) : undefined;
      if (!channelId || !b.activity)
        return [400, { error: { code: 'BadSyntax', message: 'channelData.channel.id and activity are required' } }];
      if (!team || !teamsWithBot.has(team)) return [403, notInRoster];
      const activityId = `act-${++seq}`;
      return [201, { id: `${channelId};messageid=${activityId}`, activityId }];
    }
    const member = b.members?.length === 1 ? b.members[0]?.id : undefined;
    if (!member) return [400, { error: { code: 'BadSyntax', message: 'Exactly one member is required for a 1:1 conversation' } }];
    if (!b.tenantId && !b.channelData?.tenant?.id) return [400, { error: { code: 'BadSyntax', message: 'tenantId is required' } }];
    if (!state.appInstalledFor(member.replace(/^29:/, ''))) return [403, notInRoster];
    return [201, { id: `a:created-${member}` }];
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    blocked,
    members,
    get appInstalledFor() {
      return state.appInstalledFor;
    },
    set appInstalledFor(f: (aadObjectId: string) => boolean) {
      state.appInstalledFor = f;
    },
    teamChannels,
    teamsWithBot,
    creations: () => calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations'),
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
