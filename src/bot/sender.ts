/**
 * Sends and updates activities through the Bot Framework connector REST API of the conversation's
 * service URL (POST/PUT /v3/conversations/{id}/activities). Every send passes the rate limiter;
 * 429 answers are retried after Retry-After (seconds or an HTTP date), 5xx after a backoff. Errors
 * say whether anything may have been delivered, so the ledger can record the truth.
 */
import type { Logger } from '../logger';
import { RateLimiter, realTime, type LimiterTime } from './rateLimiter';

export interface ConversationTarget {
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
  botId?: string;
  botName?: string;
}

/** Where a conversation can be created: the tenant's service URL and the bot's own account. */
export type ServiceTarget = Omit<ConversationTarget, 'conversationId'>;

export type TokenProvider = () => Promise<string | undefined>;

export class SendError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** `no`: the service refused it; `unknown`: it may have been delivered (timeout, connection lost). */
    readonly delivered: 'no' | 'unknown',
    /** The person cannot be reached (bot not installed, blocked, conversation gone). */
    readonly unreachable: boolean,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface SenderOptions {
  token?: TokenProvider;
  logger: Logger;
  limiter?: RateLimiter;
  time?: LimiterTime;
  maxRetries?: number;
  /** Longest Retry-After honoured (ms); longer waits fail the send as not delivered. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
}

/** Parses Retry-After: delta seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class TeamsSender {
  readonly limiter: RateLimiter;
  private readonly time: LimiterTime;
  /** Sends made (for measurements and tests). */
  stats = { requests: 0, throttled: 0, retries: 0 };

  constructor(private readonly options: SenderOptions) {
    this.time = options.time ?? realTime;
    this.limiter = options.limiter ?? new RateLimiter(this.time);
  }

  private url(target: ConversationTarget, suffix = ''): string {
    return `${target.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(target.conversationId)}/activities${suffix}`;
  }

  async send(target: ConversationTarget, activity: Record<string, unknown>): Promise<{ id?: string }> {
    const body = this.withAddress(target, activity);
    const res = await this.request('POST', this.url(target), target, body);
    return (res ?? {}) as { id?: string };
  }

  async update(target: ConversationTarget, activityId: string, activity: Record<string, unknown>): Promise<void> {
    const body = { ...this.withAddress(target, activity), id: activityId };
    await this.request('PUT', this.url(target, `/${encodeURIComponent(activityId)}`), target, body);
  }

  /**
   * Creates (or finds: Teams answers the same id again) the bot's 1:1 chat with a user by their Entra
   * object id. Teams refuses it (403 BotNotInConversationRoster) while the app is not installed for
   * the user. Request shape:
   * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation
   * https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#create-conversation
   */
  async createPersonal(service: ServiceTarget, aadObjectId: string): Promise<{ id: string }> {
    const body = {
      isGroup: false,
      ...(service.botId ? { bot: { id: service.botId, ...(service.botName ? { name: service.botName } : {}) } } : {}),
      members: [{ id: aadObjectId }],
      ...(service.tenantId ? { tenantId: service.tenantId, channelData: { tenant: { id: service.tenantId } } } : {}),
    };
    const res = (await this.request('POST', this.createUrl(service), this.creating(service, `user:${aadObjectId}`), body)) as
      { id?: string } | undefined;
    if (!res?.id) throw new SendError('Teams created the conversation but did not say its id', 201, 'no', false);
    return { id: res.id };
  }

  /**
   * Starts a new thread in a team's channel with this activity (the bot must be installed in the
   * team; any channel of it will do, not only General). Same page as above, "channel" tab:
   * { isGroup: true, channelData: { channel: { id } }, activity }. Teams answers the thread's id
   * ("19:…@thread.tacv2;messageid=…") and the activity's id.
   */
  async createChannelThread(
    service: ServiceTarget,
    channelId: string,
    activity: Record<string, unknown>,
  ): Promise<{ id: string; activityId?: string }> {
    const body = {
      isGroup: true,
      ...(service.botId ? { bot: { id: service.botId, ...(service.botName ? { name: service.botName } : {}) } } : {}),
      channelData: { channel: { id: channelId }, ...(service.tenantId ? { tenant: { id: service.tenantId } } : {}) },
      ...(service.tenantId ? { tenantId: service.tenantId } : {}),
      activity: { type: 'message', ...activity },
    };
    const res = (await this.request('POST', this.createUrl(service), this.creating(service, channelId), body)) as
      { id?: string; activityId?: string } | undefined;
    if (!res?.id) throw new SendError('Teams created the thread but did not say its id', 201, 'unknown', false);
    return { id: res.id, ...(res.activityId ? { activityId: res.activityId } : {}) };
  }

  private createUrl(service: ServiceTarget): string {
    return `${service.serviceUrl.replace(/\/+$/, '')}/v3/conversations`;
  }

  /** The rate limiter counts a creation against the conversation it makes. */
  private creating(service: ServiceTarget, key: string): ConversationTarget {
    return { serviceUrl: service.serviceUrl, conversationId: key, ...(service.tenantId ? { tenantId: service.tenantId } : {}) };
  }

  /**
   * A conversation member (for the user principal name); null when Teams answers that there is no
   * such member (404), undefined when the look-up failed otherwise (it may work later).
   */
  async member(
    target: ConversationTarget,
    userId: string,
  ): Promise<{ userPrincipalName?: string; email?: string; aadObjectId?: string; name?: string } | null | undefined> {
    const url = `${target.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(target.conversationId)}/members/${encodeURIComponent(userId)}`;
    try {
      return (await this.request('GET', url, target)) as
        { userPrincipalName?: string; email?: string; aadObjectId?: string; name?: string } | undefined;
    } catch (err) {
      if (err instanceof SendError && err.status === 404) return null;
      this.options.logger.warn({ err: (err as Error).message }, 'could not look up a conversation member');
      return undefined;
    }
  }

  private withAddress(target: ConversationTarget, activity: Record<string, unknown>): Record<string, unknown> {
    const body: Record<string, unknown> = { type: 'message', ...activity, conversation: { id: target.conversationId } };
    if (target.botId) body.from = { id: target.botId, ...(target.botName ? { name: target.botName } : {}) };
    return body;
  }

  private async request(method: 'POST' | 'PUT' | 'GET', url: string, target: ConversationTarget, body?: unknown): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 4;
    const maxWait = this.options.maxRetryAfterMs ?? 120_000;
    for (let attempt = 0; ; attempt++) {
      const release = await this.limiter.acquire(target.conversationId, target.tenantId);
      let res: Response;
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const token = this.options.token ? await this.options.token() : undefined;
        if (token) headers.authorization = `Bearer ${token}`;
        this.stats.requests++;
        res = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (err) {
        // The request may have reached Teams: never retried, reported as uncertain.
        throw new SendError(`${method} to Teams failed: ${(err as Error).message}`, undefined, method === 'GET' ? 'no' : 'unknown', false);
      } finally {
        // Counted from the response on: it reached Teams no later than this.
        release();
      }
      if (res.ok) {
        const text = await res.text();
        if (!text) return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      }
      const detail = (await res.text().catch(() => '')).slice(0, 300);
      if ((res.status === 429 || res.status >= 500) && attempt < maxRetries) {
        const wait =
          res.status === 429 ? (retryAfterMs(res.headers.get('retry-after'), this.time.now()) ?? 1000 * 2 ** attempt) : 500 * 2 ** attempt;
        if (res.status === 429) this.stats.throttled++;
        if (wait <= maxWait) {
          this.stats.retries++;
          this.options.logger.warn({ status: res.status, waitMs: wait, attempt: attempt + 1 }, 'Teams asked us to slow down; retrying');
          await this.time.sleep(wait);
          continue;
        }
      }
      const unreachable = res.status === 403 || res.status === 404;
      throw new SendError(`${method} to Teams answered ${res.status}${detail ? `: ${detail}` : ''}`, res.status, 'no', unreachable);
    }
  }
}
