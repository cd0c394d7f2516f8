/**
 * JSON batching: https://learn.microsoft.com/en-us/graph/json-batching
 *  - at most 20 requests; ids unique (else 400); a request with a body needs a Content-Type header;
 *  - requests without `dependsOn` run in any order ("This value allows the server to process requests
 *    in the batch in the most efficient order"), and their answers may come back in another order than
 *    asked: the emulator shuffles both with its seeded dice;
 *  - `dependsOn` runs a request after the ones it names; if one of them failed, it is not run and is
 *    answered 424 Failed Dependency;
 *  - each request is throttled on its own (429 inside a 200 batch).
 */
import { errorAnswer, type Answer } from './model';

/** Most requests one JSON batch may hold. */
export const BATCH_MAX_REQUESTS = 20;

export interface BatchPart {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface RawPart {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: unknown;
}

export function runBatch(text: string, run: (part: BatchPart) => Answer, dice: () => number): Answer {
  let requests: RawPart[];
  try {
    requests = (JSON.parse(text) as { requests: RawPart[] }).requests;
  } catch {
    return errorAnswer(400, 'BadRequest', 'Invalid batch payload format.');
  }
  if (!Array.isArray(requests) || requests.length === 0) return errorAnswer(400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > BATCH_MAX_REQUESTS) {
    return errorAnswer(400, 'BadRequest', `A maximum of ${BATCH_MAX_REQUESTS} requests is supported in a batch.`);
  }
  const ids = requests.map((r) => String(r.id));
  if (new Set(ids.map((i) => i.toLowerCase())).size !== requests.length)
    return errorAnswer(400, 'BadRequest', 'Batch request ids must be unique.');
  const deps = new Map(requests.map((r) => [String(r.id), Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : []]));
  for (const [id, on] of deps) {
    if (on.some((d) => !deps.has(d) || d === id))
      return errorAnswer(400, 'BadRequest', `Request ${id} depends on a request that is not in the batch.`);
  }
  const order = executionOrder(ids, deps, dice);
  if (!order) return errorAnswer(400, 'BadRequest', 'The dependsOn of the batch requests form a cycle.');

  const byId = new Map(requests.map((r) => [String(r.id), r]));
  const statusById = new Map<string, number>();
  const responses = order.map((id) => {
    const r = byId.get(id)!;
    const answer = ((): Answer => {
      if ((deps.get(id) ?? []).some((d) => (statusById.get(d) ?? 0) >= 400)) {
        return errorAnswer(424, 'FailedDependency', 'A request this one depends on did not succeed.');
      }
      if (typeof r.method !== 'string' || typeof r.url !== 'string')
        return errorAnswer(400, 'BadRequest', 'Each request needs a method and a url.');
      const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
      if (r.body !== undefined && !headers['content-type'])
        return errorAnswer(400, 'BadRequest', 'Content-Type header is required when a body is given.');
      const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
      return run({ id, method: r.method.toUpperCase(), url, headers, body: r.body === undefined ? '' : JSON.stringify(r.body) });
    })();
    statusById.set(id, answer.status);
    return { id, status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: answer.body ?? null };
  });
  return { status: 200, body: { responses } };
}

/** A random order that runs every request after the ones it depends on; undefined for a cycle. */
function executionOrder(ids: string[], deps: Map<string, string[]>, dice: () => number): string[] | undefined {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < ids.length) {
    const ready = ids.filter((id) => !done.has(id) && (deps.get(id) ?? []).every((d) => done.has(d)));
    if (ready.length === 0) return undefined;
    const next = ready[Math.floor(dice() * ready.length)]!;
    done.add(next);
    order.push(next);
  }
  return order;
}
