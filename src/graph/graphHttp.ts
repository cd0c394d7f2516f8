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
import { DEFAULT_RETRY_POLICY, isTransientStatus, retryDelay, type RetryPolicy } from './retry';

/** Most requests Graph accepts in one JSON batch. */
export const BATCH_LIMIT = 20;

/** Status of a batched step whose batch lost its connection: it may or may not have been applied. */
export const ANSWER_LOST = 0;

export interface GraphStats {
  /** HTTP requests sent (a batch counts once; each retry counts). */
  requests: number;
  /** Requests carried inside batches (each retry of one counts). */
  batchedRequests: number;
  retries: number;
  throttled: number;
  networkErrors: number;
}

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`Graph ${method} ${path.split('?')[0]} failed: ${status} ${code}: ${message}`);
    this.name = 'GraphRequestError';
  }
}

/** The connection failed after the request may have been applied: the caller must find out what happened. */
export class AmbiguousWriteError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`Graph ${method} ${path.split('?')[0]} lost its connection; the write may or may not have been applied`);
    this.name = 'AmbiguousWriteError';
  }
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

export interface BatchStep {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/sites/{id}/lists/{id}/items`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResult<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T;
}

interface GraphErrorBody {
  error?: { code?: string; message?: string };
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

export class GraphHttp {
  readonly stats: GraphStats = { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, networkErrors: 0 };
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly root: string;

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
    Object.assign(this.stats, { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, networkErrors: 0 });
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
      if (!response.ok && !(options.accept ?? []).includes(response.status)) {
        const error = (body as GraphErrorBody | undefined)?.error;
        throw new GraphRequestError(response.status, error?.code ?? 'unknown', error?.message ?? response.statusText, method, path);
      }
      return { status: response.status, headers: headersToRecord(response.headers), body: body as T };
    }
  }

  /**
   * Runs independent steps in JSON batches of at most 20. Steps answered 429/503/504 inside a batch
   * go back in the queue and ride in the next batch, after the longest Retry-After they were given,
   * until they succeed or reach the retry bound; other answers are returned as they are, in the
   * order of `steps`. When a batch's connection drops it is re-sent if `idempotent`; otherwise its
   * steps are answered ANSWER_LOST and the caller finds out what happened.
   */
  async batch<T = unknown>(
    steps: BatchStep[],
    options: { idempotent?: boolean; onAnswered?: (answered: number) => void } = {},
  ): Promise<Array<BatchResult<T>>> {
    const results = new Map<string, BatchResult<T>>();
    const attempts = new Map<string, number>();
    let queue = [...steps];
    let wait = 0;
    while (queue.length > 0) {
      if (wait > 0) await this.policy.sleep(wait);
      wait = 0;
      const chunk = queue.slice(0, BATCH_LIMIT);
      queue = queue.slice(BATCH_LIMIT);
      this.stats.batchedRequests += chunk.length;
      let response: GraphResponse<{ responses: Array<BatchResult<T>> }>;
      try {
        response = await this.request('POST', '/$batch', {
          body: {
            requests: chunk.map((s) => ({
              ...s,
              headers: s.body !== undefined ? { 'Content-Type': 'application/json', ...s.headers } : s.headers,
            })),
          },
          idempotent: options.idempotent,
        });
      } catch (error) {
        if (!(error instanceof AmbiguousWriteError)) throw error;
        for (const step of chunk) results.set(step.id, { id: step.id, status: ANSWER_LOST, headers: {}, body: undefined as T });
        options.onAnswered?.(results.size);
        continue;
      }
      const retry: BatchStep[] = [];
      for (const answer of response.body.responses) {
        const step = chunk.find((s) => s.id === String(answer.id));
        if (!step) continue;
        const headers = lowerKeys(answer.headers ?? {});
        if (isTransientStatus(answer.status)) {
          if (answer.status === 429) this.stats.throttled++;
          const attempt = attempts.get(step.id) ?? 0;
          const delay = retryDelay(this.policy, attempt, headers['retry-after']);
          if (delay !== undefined) {
            attempts.set(step.id, attempt + 1);
            wait = Math.max(wait, delay);
            retry.push(step);
            continue;
          }
        }
        results.set(step.id, { id: step.id, status: answer.status, headers, body: answer.body });
      }
      if (retry.length > 0) this.stats.retries++;
      queue = [...retry, ...queue];
      options.onAnswered?.(results.size);
    }
    return steps.map((s) => results.get(s.id) as BatchResult<T>);
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

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
