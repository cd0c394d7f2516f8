/**
 * Graph over HTTP for the store: the Microsoft Graph client with our own middleware chain (bearer
 * token only for the configured Graph origin, a request counter), bounded retries that honour
 * Retry-After, `@odata.nextLink` paging and JSON `$batch` (at most 20 requests per batch).
 * https://learn.microsoft.com/en-us/graph/paging
 * https://learn.microsoft.com/en-us/graph/json-batching
 * https://learn.microsoft.com/en-us/graph/errors  (`{ error: { code, message, innerError } }`)
 */
import { Client, HTTPMessageHandler, ResponseType } from '@microsoft/microsoft-graph-client';
import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger';
import { runBatches, type BatchOptions, type BatchResult, type BatchStep } from './graphBatch';
import { AmbiguousWriteError, graphErrorOf } from './graphErrors';
import { DEFAULT_RETRY_POLICY, isTransientStatus, retryDelay, type RetryPolicy } from './retry';

export { ANSWER_LOST, BATCH_LIMIT, type BatchResult, type BatchStep } from './graphBatch';
export { AmbiguousWriteError, GraphRequestError, MissingGrantError } from './graphErrors';

export interface GraphStats {
  /** HTTP requests sent (a batch counts once; each retry counts). */
  requests: number;
  /** Requests carried inside batches (each retry of one counts). */
  batchedRequests: number;
  retries: number;
  throttled: number;
  networkErrors: number;
  /** Times a request waited because SharePoint's RateLimit headers said the budget was nearly spent. */
  paced: number;
}

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Safe to send twice (GET, DELETE, a PATCH guarded by If-Match). Only these are re-sent after a
   * dropped connection; other writes raise AmbiguousWriteError.
   */
  idempotent?: boolean;
  /** Statuses returned to the caller instead of thrown (e.g. 412, 404, 409). */
  accept?: number[];
}

export interface GraphHttpOptions {
  /** e.g. https://graph.microsoft.com/v1.0, or the emulator's http://127.0.0.1:{port}/v1.0 */
  baseUrl: string;
  auth: AuthenticationProvider;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** A request with no answer after this long is abandoned and treated like a dropped connection. */
  timeoutMs?: number;
}

/** Adds the bearer token, and only to requests for the configured Graph origin. */
class BearerTokenHandler implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly auth: AuthenticationProvider,
    private readonly origin: string,
  ) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      const token = await this.auth.getAccessToken();
      const headers = new Headers(context.options?.headers as HeadersInit | undefined);
      headers.set('Authorization', `Bearer ${token}`);
      context.options = { ...context.options, headers };
    }
    await this.next!.execute(context);
  }
}

/** Counts every HTTP request that leaves the process. */
class CountingHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly stats: GraphStats) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    this.stats.requests++;
    await this.next!.execute(context);
  }
}

/** Resource units kept in hand: below this many left, the next request waits for the budget to reset. */
const RATE_LIMIT_RESERVE = 40;

export class GraphHttp {
  readonly stats: GraphStats = { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, networkErrors: 0, paced: 0 };
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly root: string;
  /** Milliseconds the next request waits because the resource-unit budget is nearly spent. */
  private pauseMs = 0;

  constructor(private readonly options: GraphHttpOptions) {
    const base = new URL(options.baseUrl.replace(/\/+$/, ''));
    const segments = base.pathname.split('/').filter(Boolean);
    const version = segments.pop() ?? 'v1.0';
    const prefix = segments.length ? `/${segments.join('/')}` : '';
    this.root = `${base.origin}${prefix}/${version}`;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.client = Client.initWithMiddleware({
      middleware: [new BearerTokenHandler(options.auth, base.origin), new CountingHandler(this.stats), new HTTPMessageHandler()],
      baseUrl: `${base.origin}${prefix}/`,
      defaultVersion: version,
    });
  }

  resetStats(): void {
    Object.assign(this.stats, { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, networkErrors: 0, paced: 0 });
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<GraphResponse<T>> {
    return this.request<T>('GET', path, { idempotent: true, ...options });
  }

  /** Every item of a collection, following `@odata.nextLink` until the last page. */
  async getAll<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: GraphResponse<{ value: T[]; '@odata.nextLink'?: string }> = await this.get(next, options);
      out.push(...page.body.value);
      next = page.body['@odata.nextLink'] ? this.relative(page.body['@odata.nextLink']) : undefined;
    }
    return out;
  }

  /** A path relative to the version root, from an absolute nextLink; refuses links to any other host. */
  relative(link: string): string {
    if (!/^https?:\/\//.test(link)) return link;
    if (!link.startsWith(`${this.root}/`)) throw new Error(`Refusing to follow a link outside ${this.root}`);
    return link.slice(this.root.length);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GraphResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      await this.pace();
      let response: Response;
      try {
        response = await this.send(method, path, options);
      } catch (error) {
        this.stats.networkErrors++;
        const delay = retryDelay(this.policy, attempt);
        if (!options.idempotent) throw new AmbiguousWriteError(method, path, error);
        if (delay === undefined) throw error;
        this.options.logger?.warn({ method, path: path.split('?')[0], attempt }, 'Graph connection failed; retrying');
        this.stats.retries++;
        await this.policy.sleep(delay);
        continue;
      }
      const headers = headersToRecord(response.headers);
      this.noteLimits(headers);
      // A 504 is Graph's gateway giving up on SharePoint, which may still apply the write: only a
      // request that is safe to repeat is sent again.
      if (response.status === 504 && !options.idempotent && method !== 'GET') {
        await response.arrayBuffer();
        throw new AmbiguousWriteError(method, path, new Error('504 Gateway Timeout'));
      }
      if (isTransientStatus(response.status)) {
        if (response.status === 429) this.stats.throttled++;
        const delay = retryDelay(this.policy, attempt, response.headers.get('retry-after'));
        if (delay !== undefined) {
          await response.arrayBuffer();
          this.options.logger?.debug({ method, path: path.split('?')[0], status: response.status, delay }, 'Graph asked us to wait');
          this.stats.retries++;
          await this.policy.sleep(delay);
          continue;
        }
      }
      const body = await readJson(response);
      if (!response.ok && !(options.accept ?? []).includes(response.status)) throw graphErrorOf(response.status, body, method, path);
      return { status: response.status, headers, body: body as T };
    }
  }

  /**
   * Runs steps in JSON batches of at most 20 (see graphBatch.ts): throttled steps ride in the next
   * batch, a lost answer leaves unrepeatable steps ANSWER_LOST. Answers come in the order of `steps`.
   */
  async batch<T = unknown>(steps: BatchStep[], options: BatchOptions = {}): Promise<Array<BatchResult<T>>> {
    return runBatches<T>(steps, options, {
      request: (method, path, opts) => this.request(method, path, opts),
      policy: this.policy,
      stats: this.stats,
      noteLimits: (headers) => this.noteLimits(headers),
    });
  }

  /**
   * SharePoint sends RateLimit-Limit/-Remaining/-Reset once an app has used 80 % of its minute's
   * resource units (https://learn.microsoft.com/en-us/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online):
   * when little is left, the next request waits for the reset instead of being throttled.
   */
  private noteLimits(headers: Record<string, string>): void {
    const remaining = Number(headers['ratelimit-remaining']);
    const reset = Number(headers['ratelimit-reset']);
    const limit = Number(headers['ratelimit-limit']);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset) || headers['retry-after'] !== undefined) return;
    if (remaining <= Math.max(RATE_LIMIT_RESERVE, (Number.isFinite(limit) ? limit : 0) * 0.05))
      this.pauseMs = Math.max(this.pauseMs, reset * 1000);
  }

  private async pace(): Promise<void> {
    if (this.pauseMs <= 0) return;
    const wait = Math.min(this.pauseMs, this.policy.maxRetryAfterMs);
    this.pauseMs = 0;
    this.stats.paced++;
    this.options.logger?.info({ waitMs: wait }, 'SharePoint budget nearly spent; waiting for it to reset');
    await this.policy.sleep(wait);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    let request = this.client
      .api(path)
      .responseType(ResponseType.RAW)
      .option('signal', AbortSignal.timeout(this.options.timeoutMs ?? 60_000));
    if (options.headers) request = request.headers(options.headers);
    switch (method) {
      case 'GET':
        return (await request.get()) as Response;
      case 'POST':
        return (await request.post(options.body ?? {})) as Response;
      case 'PATCH':
        return (await request.patch(options.body ?? {})) as Response;
      case 'DELETE':
        return (await request.delete()) as Response;
      default:
        throw new Error(`Unsupported method ${method}`);
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}
