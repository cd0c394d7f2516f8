/**
 * JSON batching with Graph's rules (https://learn.microsoft.com/en-us/graph/json-batching):
 *  - at most 20 requests a batch; answers come in any order and are matched by id;
 *  - requests without `dependsOn` run in any order; `dependsOn` runs a request after another and
 *    answers it 424 when that one failed. A batch "should be either fully sequential or fully
 *    parallel", so callers send one chain or independent steps;
 *  - each request is throttled on its own: a 429/503 inside the batch rides in the next batch after
 *    the longest Retry-After, and so does a step answered 424 only because its dependency was;
 *  - a 504 on a step that is safe to repeat (GET, DELETE, a PATCH with If-Match) is retried; on any
 *    other write it is returned as it is: the write may have been applied, and the caller re-reads by
 *    key before writing again;
 *  - when the whole batch loses its answer, a batch of safe steps is sent again; otherwise its steps
 *    are answered ANSWER_LOST and the caller finds out what happened.
 */
import { isTransientStatus, retryDelay, type RetryPolicy } from './retry';
import { AmbiguousWriteError } from './graphErrors';
import type { GraphResponse, GraphStats, RequestOptions } from './graphHttp';

/** Most requests Graph accepts in one JSON batch. */
export const BATCH_LIMIT = 20;

/** Status of a batched step whose batch lost its answer: it may or may not have been applied. */
export const ANSWER_LOST = 0;

export interface BatchStep {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/sites/{id}/lists/{id}/items`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Ids of steps (in the same call) that must succeed first. */
  dependsOn?: string[];
}

export interface BatchResult<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface BatchOptions {
  /** Every step is safe to send twice (the whole batch is re-sent when its answer is lost). */
  idempotent?: boolean;
  onAnswered?: (answered: number) => void;
}

type Send = (method: string, path: string, options: RequestOptions) => Promise<GraphResponse<unknown>>;

/** A step that may be sent again without changing the outcome. */
export function isRepeatable(step: BatchStep): boolean {
  if (step.method === 'GET' || step.method === 'DELETE') return true;
  return Object.keys(step.headers ?? {}).some((h) => h.toLowerCase() === 'if-match');
}

export async function runBatches<T>(
  steps: BatchStep[],
  options: BatchOptions,
  deps: { request: Send; policy: RetryPolicy; stats: GraphStats; noteLimits: (headers: Record<string, string>) => void },
): Promise<Array<BatchResult<T>>> {
  const results = new Map<string, BatchResult<T>>();
  const attempts = new Map<string, number>();
  let queue = [...steps];
  let wait = 0;
  while (queue.length > 0) {
    if (wait > 0) await deps.policy.sleep(wait);
    wait = 0;
    const chunk = takeChunk(queue);
    queue = queue.filter((s) => !chunk.includes(s));
    deps.stats.batchedRequests += chunk.length;
    let response: GraphResponse<{ responses: Array<BatchResult<T>> }>;
    try {
      response = (await deps.request('POST', '/$batch', {
        body: { requests: chunk.map(wireStep) },
        idempotent: options.idempotent ?? chunk.every(isRepeatable),
      })) as GraphResponse<{ responses: Array<BatchResult<T>> }>;
    } catch (error) {
      if (!(error instanceof AmbiguousWriteError)) throw error;
      for (const step of chunk) results.set(step.id, { id: step.id, status: ANSWER_LOST, headers: {}, body: undefined as T });
      options.onAnswered?.(results.size);
      continue;
    }
    const answers = new Map(response.body.responses.map((a) => [String(a.id), { ...a, headers: lowerKeys(a.headers ?? {}) }]));
    const again = new Set<string>();
    for (const step of chunk) {
      const answer = answers.get(step.id);
      if (!answer) continue;
      deps.noteLimits(answer.headers);
      const retryable = isTransientStatus(answer.status) && (answer.status !== 504 || isRepeatable(step));
      if (!retryable) continue;
      if (answer.status === 429) deps.stats.throttled++;
      const attempt = attempts.get(step.id) ?? 0;
      const delay = retryDelay(deps.policy, attempt, answer.headers['retry-after']);
      if (delay === undefined) continue;
      attempts.set(step.id, attempt + 1);
      wait = Math.max(wait, delay);
      again.add(step.id);
    }
    // A step refused only because the step it depends on is being retried goes with it.
    for (const step of chunk) {
      if (answers.get(step.id)?.status === 424 && (step.dependsOn ?? []).some((d) => again.has(d))) again.add(step.id);
    }
    const retry: BatchStep[] = [];
    for (const step of chunk) {
      const answer = answers.get(step.id);
      if (again.has(step.id)) {
        const dependsOn = (step.dependsOn ?? []).filter((d) => again.has(d));
        retry.push({ ...step, dependsOn: dependsOn.length ? dependsOn : undefined });
      } else if (answer) {
        results.set(step.id, { id: step.id, status: answer.status, headers: answer.headers, body: answer.body });
      } else {
        results.set(step.id, { id: step.id, status: ANSWER_LOST, headers: {}, body: undefined as T });
      }
    }
    if (retry.length > 0) deps.stats.retries++;
    queue = [...retry, ...queue];
    options.onAnswered?.(results.size);
  }
  return steps.map((s) => results.get(s.id) as BatchResult<T>);
}

/** Up to 20 steps, never separating a step from a step it depends on. */
function takeChunk(queue: BatchStep[]): BatchStep[] {
  const chunk: BatchStep[] = [];
  for (const step of queue) {
    if (chunk.length >= BATCH_LIMIT) break;
    const needs = (step.dependsOn ?? []).filter((d) => !chunk.some((c) => c.id === d));
    if (needs.length > 0 && chunk.length > 0) break;
    chunk.push(step);
  }
  return chunk;
}

function wireStep(s: BatchStep): Record<string, unknown> {
  const headers = s.body !== undefined ? { 'Content-Type': 'application/json', ...s.headers } : s.headers;
  return {
    id: s.id,
    method: s.method,
    url: s.url,
    ...(headers ? { headers } : {}),
    ...(s.body !== undefined ? { body: s.body } : {}),
    ...(s.dependsOn?.length ? { dependsOn: s.dependsOn } : {}),
  };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
