/**
 * A local Microsoft Graph v1.0 emulator for the SharePoint list endpoints the Graph store uses, so
 * the real Graph client (and `dplan`) can run against it by base URL. Bodies follow the shapes in
 * Graph's documentation:
 *  - sites by path:        https://learn.microsoft.com/en-us/graph/api/site-getbypath
 *  - lists, create list:   https://learn.microsoft.com/en-us/graph/api/list-list, .../list-create
 *  - columns:              https://learn.microsoft.com/en-us/graph/api/list-post-columns,
 *                          https://learn.microsoft.com/en-us/graph/api/resources/columndefinition
 *  - items (expand=fields, $filter only on indexed columns unless
 *    `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`):
 *                          https://learn.microsoft.com/en-us/graph/api/listitem-list
 *  - PATCH fields with If-Match → 412: https://learn.microsoft.com/en-us/graph/api/listitem-update
 *  - paging by @odata.nextLink: https://learn.microsoft.com/en-us/graph/paging
 *  - JSON $batch, at most 20 requests, dependsOn → 424: https://learn.microsoft.com/en-us/graph/json-batching
 *  - errors `{ error: { code, message, innerError } }`: https://learn.microsoft.com/en-us/graph/errors
 *  - 429 with Retry-After: https://learn.microsoft.com/en-us/graph/throttling
 * Page size: default 200, `$top` capped at 5,000 (the SharePoint list view threshold; see LIST_ITEMS_MAX_PAGE).
 *
 * Fault switches (`faults`): throttle (429 + Retry-After) and unavailable (503) rates for requests
 * and for requests inside a batch, latency, and dropped connections before or after the request is applied.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { matches, ODataError, parseFilter, parseOrderBy } from './odata';

/** Default page size of list items when `$top` is absent. */
export const LIST_ITEMS_DEFAULT_PAGE = 200;
/**
 * Largest page of list items SharePoint serves (its 5,000-item list view threshold,
 * https://support.microsoft.com/office/b8588dae-9387-48c2-9248-c24122f07c59); larger `$top` values are capped to it.
 */
export const LIST_ITEMS_MAX_PAGE = 5000;
/** Most requests one JSON batch may hold. */
export const BATCH_MAX_REQUESTS = 20;
/** SharePoint's limit for a single line of text. */
const TEXT_MAX_LENGTH = 255;
const NOTE_MAX_LENGTH = 63999;
const NON_INDEXED_PREFER = 'HonorNonIndexedQueriesWarningMayFailRandomly';
const USER_INFORMATION_LIST = 'User Information List';

export interface Faults {
  /** Share of top-level requests answered 429 with Retry-After (0..1). */
  throttleRate: number;
  /** Share of requests inside a $batch answered 429 (0..1). */
  batchItemThrottleRate: number;
  /** Share of top-level requests answered 503 with Retry-After. */
  unavailableRate: number;
  /** Retry-After value, in seconds. */
  retryAfterSeconds: number;
  /** Milliseconds added before each answer. */
  latencyMs: number;
  /** Share of requests whose connection is dropped before the request is applied. */
  dropBeforeRate: number;
  /** Share of requests whose connection is dropped after the request is applied (the answer is lost). */
  dropAfterRate: number;
}

export const NO_FAULTS: Faults = {
  throttleRate: 0,
  batchItemThrottleRate: 0,
  unavailableRate: 0,
  retryAfterSeconds: 0,
  latencyMs: 0,
  dropBeforeRate: 0,
  dropAfterRate: 0,
};

export interface EmulatorOptions {
  /** Bearer token every request must carry. */
  token: string;
  /** Sites that exist, as `hostname:/sites/path`. */
  sites?: string[];
  port?: number;
  faults?: Partial<Faults>;
  /** Seed of the fault dice, so a run is repeatable. */
  seed?: number;
}

export interface EmulatorStats {
  /** HTTP requests received (a $batch counts once), including refused ones. */
  requests: number;
  /** Requests carried inside batches. */
  batchedRequests: number;
  throttled: number;
  unavailable: number;
  dropped: number;
  preconditionFailed: number;
}

type Json = Record<string, unknown>;

/** A request as the emulator routes it (top-level or inside a batch), for test interceptions. */
export interface InterceptedCall {
  method: string;
  /** Path and query below /v1.0. */
  path: string;
  body: string;
}

/**
 * What a test interception does to one call: answer it with an error, apply it but drop the
 * connection so the answer is lost, or run something first (another writer getting in before it).
 */
export type Interception = { fail: { status: number; code: string; message: string } } | { dropAfter: true } | { before: () => void };

interface Column {
  id: string;
  name: string;
  displayName: string;
  description: string;
  enforceUniqueValues: boolean;
  hidden: boolean;
  indexed: boolean;
  readOnly: boolean;
  required: boolean;
  /** The type facet (text, number, choice, dateTime, boolean, personOrGroup…) and its settings. */
  type: string;
  facet: Json;
}

interface Item {
  id: number;
  guid: string;
  version: number;
  created: string;
  modified: string;
  fields: Json;
}

interface List {
  id: string;
  /** Hidden lists (the User Information List) are left out of the lists collection. */
  hidden?: boolean;
  name: string;
  displayName: string;
  description: string;
  template: string;
  created: string;
  columns: Column[];
  items: Map<number, Item>;
  nextId: number;
}

interface Site {
  id: string;
  hostname: string;
  path: string;
  lists: List[];
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const COLUMN_TYPES = ['text', 'number', 'choice', 'dateTime', 'boolean', 'personOrGroup', 'currency', 'lookup', 'calculated'];

export class GraphEmulator {
  readonly stats: EmulatorStats = { requests: 0, batchedRequests: 0, throttled: 0, unavailable: 0, dropped: 0, preconditionFailed: 0 };
  faults: Faults;
  /** Test hook consulted on every routed call. */
  intercept?: (call: InterceptedCall) => Interception | undefined;
  private dropPending = false;
  private readonly sites = new Map<string, Site>();
  private server?: http.Server;
  private baseUrlValue = '';
  private dice: () => number;

  constructor(private readonly options: EmulatorOptions) {
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.dice = mulberry32(options.seed ?? 1);
    for (const site of options.sites ?? ['contoso.sharepoint.com:/sites/prevent']) this.addSite(site);
  }

  /** `http://127.0.0.1:{port}/v1.0` once started. */
  get baseUrl(): string {
    return this.baseUrlValue;
  }

  setFaults(faults: Partial<Faults>, seed?: number): void {
    this.faults = { ...NO_FAULTS, ...faults };
    if (seed !== undefined) this.dice = mulberry32(seed);
  }

  resetStats(): void {
    Object.assign(this.stats, { requests: 0, batchedRequests: 0, throttled: 0, unavailable: 0, dropped: 0, preconditionFailed: 0 });
  }

  addSite(spec: string): void {
    const match = /^([^:/]+):(\/.+)$/.exec(spec);
    if (!match) throw new Error(`Site must be hostname:/sites/path, not ${spec}`);
    const [, hostname, sitePath] = match as unknown as [string, string, string];
    const id = `${hostname},${randomUUID()},${randomUUID()}`;
    const site: Site = { id, hostname, path: sitePath.replace(/\/+$/, ''), lists: [] };
    this.sites.set(id, site);
    // SharePoint's hidden list of the site's users; person columns hold lookup ids into it.
    this.createList(site, { displayName: USER_INFORMATION_LIST, columns: [{ name: 'EMail', text: {} }] });
    site.lists[0]!.hidden = true;
  }

  /** Adds a person to the site's User Information List; returns their lookup id. */
  addUser(spec: string, user: { name: string; email: string }): string {
    const site = this.findSite(spec);
    const list = site?.lists.find((l) => l.displayName === USER_INFORMATION_LIST);
    if (!site || !list) throw new Error(`No site ${spec}`);
    const created = this.createItem(site, list, { fields: { Title: user.name, EMail: user.email } });
    return String((created.body as Json).id);
  }

  /** Items of a list in a site (for assertions), by list display name. */
  listItems(site: string, listName: string): Json[] {
    const list = this.findSite(site)?.lists.find((l) => l.displayName === listName || l.name === listName);
    return list ? [...list.items.values()].map((i) => ({ id: String(i.id), ...i.fields })) : [];
  }

  /** Changes fields of the first item matching `where`, as another writer would (its eTag changes). */
  editItem(site: string, listName: string, where: (fields: Json) => boolean, fields: Json): void {
    const list = this.findSite(site)?.lists.find((l) => l.displayName === listName || l.name === listName);
    const item = list && [...list.items.values()].find((i) => where(i.fields));
    if (!item) throw new Error(`No matching item in ${listName}`);
    Object.assign(item.fields, fields);
    item.version++;
  }

  listNames(site: string): string[] {
    return (
      this.findSite(site)
        ?.lists.filter((l) => !l.hidden)
        .map((l) => l.displayName) ?? []
    );
  }

  /** Column names and types of a list (for assertions). */
  columns(site: string, listName: string): Array<{ name: string; type: string; indexed: boolean }> {
    const list = this.findSite(site)?.lists.find((l) => l.displayName === listName || l.name === listName);
    return list?.columns.map((c) => ({ name: c.name, type: c.type, indexed: c.indexed })) ?? [];
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrlValue = `http://127.0.0.1:${port}/v1.0`;
    return this.baseUrlValue;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private findSite(spec: string): Site | undefined {
    const [hostname, sitePath] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
    return [...this.sites.values()].find((s) => s.hostname === hostname && s.path === sitePath.replace(/\/+$/, ''));
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname === '/_emulator/faults' && req.method === 'POST') {
      this.setFaults(JSON.parse(body || '{}') as Partial<Faults>);
      return send(res, { status: 204 });
    }
    if (url.pathname === '/_emulator/stats') return send(res, { status: 200, body: this.stats });
    this.stats.requests++;
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      return send(
        res,
        errorAnswer(
          401,
          'InvalidAuthenticationToken',
          req.headers.authorization ? 'Access token validation failure.' : 'Access token is empty.',
        ),
      );
    }
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    if (this.roll(this.faults.dropBeforeRate)) {
      this.stats.dropped++;
      req.socket.destroy();
      return;
    }
    if (this.roll(this.faults.throttleRate)) {
      this.stats.throttled++;
      return send(res, this.throttled());
    }
    if (this.roll(this.faults.unavailableRate)) {
      this.stats.unavailable++;
      const answer = errorAnswer(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.');
      return send(res, { ...answer, headers: { 'Retry-After': String(this.faults.retryAfterSeconds) } });
    }
    let answer: Answer;
    if (!url.pathname.startsWith('/v1.0/')) {
      answer = errorAnswer(400, 'BadRequest', `Invalid version: ${url.pathname.split('/')[1] ?? ''}`);
    } else if (url.pathname === '/v1.0/$batch' && req.method === 'POST') {
      answer = this.batch(body);
    } else {
      answer = this.route(req.method ?? 'GET', url.pathname.slice('/v1.0'.length) + url.search, headersOf(req), body);
    }
    if (this.roll(this.faults.dropAfterRate) || this.dropPending) {
      this.dropPending = false;
      this.stats.dropped++;
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  private throttled(): Answer {
    const answer = errorAnswer(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.');
    return { ...answer, headers: { 'Retry-After': String(this.faults.retryAfterSeconds) } };
  }

  private roll(rate: number): boolean {
    return rate > 0 && this.dice() < rate;
  }

  private batch(text: string): Answer {
    let requests: Array<{
      id?: unknown;
      method?: unknown;
      url?: unknown;
      headers?: Record<string, string>;
      body?: unknown;
      dependsOn?: unknown;
    }>;
    try {
      requests = (JSON.parse(text) as { requests: typeof requests }).requests;
    } catch {
      return errorAnswer(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (!Array.isArray(requests) || requests.length === 0) return errorAnswer(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > BATCH_MAX_REQUESTS) {
      return errorAnswer(400, 'BadRequest', `A maximum of ${BATCH_MAX_REQUESTS} requests is supported in a batch.`);
    }
    const ids = new Set(requests.map((r) => String(r.id)));
    if (ids.size !== requests.length) return errorAnswer(400, 'BadRequest', 'Batch request ids must be unique.');
    const statusById = new Map<string, number>();
    const responses = requests.map((r) => {
      const id = String(r.id);
      this.stats.batchedRequests++;
      const answer = ((): Answer => {
        const deps = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
        if (deps.some((d) => (statusById.get(d) ?? 0) >= 400 || !statusById.has(d))) {
          return errorAnswer(424, 'FailedDependency', 'A request this one depends on did not succeed.');
        }
        if (this.roll(this.faults.batchItemThrottleRate)) {
          this.stats.throttled++;
          return this.throttled();
        }
        if (typeof r.method !== 'string' || typeof r.url !== 'string')
          return errorAnswer(400, 'BadRequest', 'Each request needs a method and a url.');
        const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        if (r.body !== undefined && !headers['content-type'])
          return errorAnswer(400, 'BadRequest', 'Content-Type header is required when a body is given.');
        const relative = r.url.startsWith('/') ? r.url : `/${r.url}`;
        return this.route(r.method.toUpperCase(), relative, headers, r.body === undefined ? '' : JSON.stringify(r.body));
      })();
      statusById.set(id, answer.status);
      return { id, status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: answer.body ?? null };
    });
    return { status: 200, body: { responses } };
  }

  // ---------------------------------------------------------------- routes

  private route(method: string, pathAndQuery: string, headers: Record<string, string>, body: string): Answer {
    const hit = this.intercept?.({ method, path: pathAndQuery, body });
    if (hit && 'fail' in hit) return errorAnswer(hit.fail.status, hit.fail.code, hit.fail.message);
    if (hit && 'dropAfter' in hit) this.dropPending = true;
    if (hit && 'before' in hit) hit.before();
    try {
      const url = new URL(pathAndQuery, 'http://emulator');
      const path = decodeURIComponent(url.pathname);
      const q = url.searchParams;
      const json = (): Json => {
        try {
          return (body ? JSON.parse(body) : {}) as Json;
        } catch {
          throw new GraphFailure(400, 'BadRequest', 'Unable to read JSON request payload.');
        }
      };
      let m: RegExpExecArray | null;
      if ((m = /^\/sites\/([^/:]+):(\/[^:]*?):?$/.exec(path)) && method === 'GET') {
        const site = this.findSite(`${m[1]}:${m[2]}`);
        if (!site) throw new GraphFailure(404, 'itemNotFound', 'Requested site could not be found');
        return { status: 200, body: this.siteBody(site) };
      }
      if (!(m = /^\/sites\/([^/]+)(\/.*)?$/.exec(path)))
        throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`);
      const site = this.sites.get(m[1] as string);
      if (!site) throw new GraphFailure(404, 'itemNotFound', 'Requested site could not be found');
      const rest = m[2] ?? '';
      if (rest === '' && method === 'GET') return { status: 200, body: this.siteBody(site) };
      if (rest === '/lists' && method === 'GET') {
        return {
          status: 200,
          body: {
            '@odata.context': `${this.baseUrl}/$metadata#sites('${site.id}')/lists`,
            value: site.lists.filter((l) => !l.hidden).map((l) => this.listBody(site, l, false)),
          },
        };
      }
      if (rest === '/lists' && method === 'POST') return this.createList(site, json());
      if (!(m = /^\/lists\/([^/]+)(\/.*)?$/.exec(rest))) throw new GraphFailure(400, 'BadRequest', `Unsupported path ${rest}`);
      const listRef = m[1] as string;
      const list = site.lists.find((l) => l.id === listRef || l.displayName === listRef || l.name === listRef);
      if (!list) throw new GraphFailure(404, 'itemNotFound', 'The specified list was not found');
      const sub = m[2] ?? '';
      if (sub === '' && method === 'GET')
        return { status: 200, body: this.listBody(site, list, /columns/.test(q.get('$expand') ?? q.get('expand') ?? '')) };
      if (sub === '/columns' && method === 'GET') return { status: 200, body: { value: list.columns.map(columnBody) } };
      if (sub === '/columns' && method === 'POST') {
        const column = this.makeColumn(json());
        if (list.columns.some((c) => c.name === column.name)) {
          throw new GraphFailure(409, 'nameAlreadyExists', `A column named '${column.name}' already exists in the list.`);
        }
        list.columns.push(column);
        return { status: 201, body: columnBody(column) };
      }
      if (sub === '/items' && method === 'GET') return this.listItemsPage(site, list, q, headers, pathAndQuery);
      if (sub === '/items' && method === 'POST') return this.createItem(site, list, json());
      if (!(m = /^\/items\/(\d+)(\/fields)?$/.exec(sub))) throw new GraphFailure(400, 'BadRequest', `Unsupported path ${sub}`);
      const item = list.items.get(Number(m[1]));
      if (!item) throw new GraphFailure(404, 'itemNotFound', 'The specified list item was not found');
      if (!m[2] && method === 'GET')
        return { status: 200, body: this.itemBody(site, list, item, /fields/.test(q.get('expand') ?? q.get('$expand') ?? '')) };
      if (!m[2] && method === 'DELETE') {
        if (!this.etagMatches(item, headers['if-match'])) return this.preconditionFailed();
        list.items.delete(item.id);
        return { status: 204 };
      }
      if (m[2] && method === 'PATCH') {
        if (!this.etagMatches(item, headers['if-match'])) return this.preconditionFailed();
        const patch = this.checkFields(site, list, json(), item.id);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) delete item.fields[k];
          else item.fields[k] = v;
        }
        item.version++;
        item.modified = new Date().toISOString();
        return { status: 200, body: this.fieldsBody(item) };
      }
      if (m[2] && method === 'GET') return { status: 200, body: this.fieldsBody(item) };
      throw new GraphFailure(405, 'BadRequest', `${method} is not supported on ${sub}`);
    } catch (error) {
      if (error instanceof GraphFailure) return errorAnswer(error.status, error.code, error.message);
      if (error instanceof ODataError) return errorAnswer(400, 'invalidRequest', error.message);
      return errorAnswer(500, 'generalException', 'An unexpected error occurred in the emulator.');
    }
  }

  private preconditionFailed(): Answer {
    this.stats.preconditionFailed++;
    return errorAnswer(412, 'preconditionFailed', "The request ETag value does not match the object's ETag value");
  }

  private etagMatches(item: Item, ifMatch: string | undefined): boolean {
    if (ifMatch === undefined || ifMatch === '*') return true;
    return ifMatch.split(',').length >= 2 && ifMatch.trim() === etagOf(item);
  }

  private createList(site: Site, body: Json): Answer {
    const displayName = body.displayName;
    if (typeof displayName !== 'string' || displayName.trim() === '')
      throw new GraphFailure(400, 'invalidRequest', 'displayName is required');
    if (site.lists.some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) {
      throw new GraphFailure(409, 'nameAlreadyExists', 'The specified name is already in use.');
    }
    const template = ((body.list as Json | undefined)?.template as string | undefined) ?? 'genericList';
    const title: Column = {
      id: 'fa564e0f-0c70-4ab9-b863-0177e6ddd247',
      name: 'Title',
      displayName: 'Title',
      description: '',
      enforceUniqueValues: false,
      hidden: false,
      indexed: false,
      readOnly: false,
      required: true,
      type: 'text',
      facet: { allowMultipleLines: false, appendChangesToExistingText: false, linesForEditing: 0, maxLength: TEXT_MAX_LENGTH },
    };
    const list: List = {
      id: randomUUID(),
      name: displayName.replace(/[^A-Za-z0-9]/g, ''),
      displayName,
      description: typeof body.description === 'string' ? body.description : '',
      template,
      created: new Date().toISOString(),
      columns: [title],
      items: new Map(),
      nextId: 1,
    };
    for (const column of (body.columns as Json[] | undefined) ?? []) {
      const made = this.makeColumn(column);
      if (list.columns.some((c) => c.name === made.name)) throw new GraphFailure(409, 'nameAlreadyExists', `Duplicate column ${made.name}`);
      list.columns.push(made);
    }
    site.lists.push(list);
    return { status: 201, body: this.listBody(site, list, false) };
  }

  private makeColumn(body: Json): Column {
    const name = body.name;
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new GraphFailure(400, 'invalidRequest', 'A column needs a name made of letters and digits.');
    const types = COLUMN_TYPES.filter((t) => body[t] !== undefined && body[t] !== null);
    if (types.length !== 1) throw new GraphFailure(400, 'invalidRequest', `Column ${name} must have exactly one type facet.`);
    const type = types[0] as string;
    const facet = { ...(body[type] as Json) };
    if (type === 'choice' && (!Array.isArray(facet.choices) || facet.choices.length === 0)) {
      throw new GraphFailure(400, 'invalidRequest', `Choice column ${name} needs choices.`);
    }
    if (type === 'text' && facet.maxLength === undefined && !facet.allowMultipleLines) facet.maxLength = TEXT_MAX_LENGTH;
    const enforceUniqueValues = body.enforceUniqueValues === true;
    const indexed = body.indexed === true;
    if (enforceUniqueValues && !indexed)
      throw new GraphFailure(400, 'invalidRequest', `Column ${name}: unique values need an indexed column.`);
    if (indexed && type === 'text' && facet.allowMultipleLines)
      throw new GraphFailure(400, 'invalidRequest', `Column ${name}: multiple lines of text cannot be indexed.`);
    return {
      id: randomUUID(),
      name,
      displayName: typeof body.displayName === 'string' ? body.displayName : name,
      description: typeof body.description === 'string' ? body.description : '',
      enforceUniqueValues,
      hidden: body.hidden === true,
      indexed,
      readOnly: false,
      required: body.required === true,
      type,
      facet,
    };
  }

  /** Validates a fieldValueSet against the list's columns; returns the values to store. */
  private checkFields(site: Site, list: List, fields: Json, selfId?: number): Json {
    const out: Json = {};
    for (const [key, value] of Object.entries(fields)) {
      if (key.startsWith('@odata') || key.endsWith('@odata.type')) continue;
      const lookup = /^(.+)LookupId$/.exec(key);
      const column =
        list.columns.find((c) => c.name === key) ??
        (lookup ? list.columns.find((c) => c.name === lookup[1] && c.type === 'personOrGroup') : undefined);
      if (!column) throw new GraphFailure(400, 'invalidRequest', `Field '${key}' is not recognized`);
      if (value === null) {
        if (column.required) throw new GraphFailure(400, 'invalidRequest', `Field '${key}' is required`);
        out[key] = null;
        continue;
      }
      const bad = (): never => {
        throw new GraphFailure(400, 'invalidRequest', `Invalid value for field '${key}' of type ${column.type}`);
      };
      switch (column.type) {
        case 'text': {
          if (typeof value !== 'string') bad();
          const max = column.facet.allowMultipleLines ? NOTE_MAX_LENGTH : Number(column.facet.maxLength ?? TEXT_MAX_LENGTH);
          if ((value as string).length > max)
            throw new GraphFailure(400, 'invalidRequest', `Field '${key}' is longer than ${max} characters`);
          break;
        }
        case 'number':
        case 'currency':
          if (typeof value !== 'number' || !Number.isFinite(value)) bad();
          break;
        case 'boolean':
          if (typeof value !== 'boolean') bad();
          break;
        case 'dateTime':
          if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) bad();
          break;
        case 'choice': {
          const choices = column.facet.choices as string[];
          if (typeof value !== 'string' || (!column.facet.allowTextEntry && !choices.includes(value))) bad();
          break;
        }
        case 'personOrGroup': {
          if (!lookup) bad();
          const ids = Array.isArray(value) ? value : [value];
          if (ids.length > 1 && !column.facet.allowMultipleSelection) bad();
          const users = site.lists.find((l) => l.displayName === USER_INFORMATION_LIST)?.items;
          if (!ids.every((v) => /^\d+$/.test(String(v)) && users?.has(Number(v)))) bad();
          break;
        }
        default:
          bad();
      }
      out[key] = column.type === 'dateTime' ? new Date(value as string).toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
    }
    for (const column of list.columns.filter((c) => c.enforceUniqueValues)) {
      const value = out[column.name];
      if (value === undefined || value === null) continue;
      for (const other of list.items.values()) {
        if (other.id !== selfId && other.fields[column.name] === value) {
          throw new GraphFailure(
            409,
            'nameAlreadyExists',
            'The list item could not be added or updated because duplicate values were found in one or more fields in the list.',
          );
        }
      }
    }
    return out;
  }

  private createItem(site: Site, list: List, body: Json): Answer {
    const fields = this.checkFields(site, list, (body.fields as Json | undefined) ?? {});
    for (const column of list.columns.filter((c) => c.required)) {
      if (fields[column.name] === undefined || fields[column.name] === null)
        throw new GraphFailure(400, 'invalidRequest', `Field '${column.name}' is required`);
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const item: Item = { id: list.nextId++, guid: randomUUID(), version: 1, created: now, modified: now, fields: {} };
    for (const [k, v] of Object.entries(fields)) if (v !== null) item.fields[k] = v;
    list.items.set(item.id, item);
    return { status: 201, body: this.itemBody(site, list, item, true) };
  }

  private listItemsPage(site: Site, list: List, q: URLSearchParams, headers: Record<string, string>, pathAndQuery: string): Answer {
    let items = [...list.items.values()];
    const filter = q.get('$filter') ?? q.get('filter');
    if (filter) {
      const comparisons = parseFilter(filter);
      const honourNonIndexed = (headers.prefer ?? '').includes(NON_INDEXED_PREFER);
      for (const c of comparisons) {
        if (c.field === 'id') continue;
        const column = list.columns.find((col) => col.name === c.field);
        if (!column) throw new GraphFailure(400, 'invalidRequest', `Field '${c.field}' is not recognized`);
        if (!column.indexed && !honourNonIndexed) {
          throw new GraphFailure(
            400,
            'invalidRequest',
            `Field '${c.field}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: ${NON_INDEXED_PREFER}' header to allow this, but be warned that such queries may fail on large lists.`,
          );
        }
      }
      items = items.filter((item) => comparisons.every((c) => matches(c.field === 'id' ? item.id : item.fields[c.field], c.value)));
    }
    const orderby = q.get('$orderby') ?? q.get('orderby');
    if (orderby) {
      const clauses = parseOrderBy(orderby);
      for (const c of clauses) {
        const column = list.columns.find((col) => col.name === c.field);
        if (c.field !== 'id' && !column) throw new GraphFailure(400, 'invalidRequest', `Field '${c.field}' is not recognized`);
        if (column && !column.indexed && !(headers.prefer ?? '').includes(NON_INDEXED_PREFER)) {
          throw new GraphFailure(
            400,
            'invalidRequest',
            `Field '${c.field}' cannot be referenced in filter or orderby as it is not indexed.`,
          );
        }
      }
      items.sort((a, b) => {
        for (const c of clauses) {
          const av = c.field === 'id' ? a.id : a.fields[c.field];
          const bv = c.field === 'id' ? b.id : b.fields[c.field];
          const cmp = compare(av, bv);
          if (cmp !== 0) return c.descending ? -cmp : cmp;
        }
        return a.id - b.id;
      });
    } else {
      items.sort((a, b) => a.id - b.id);
    }
    const topText = q.get('$top') ?? q.get('top');
    let top = LIST_ITEMS_DEFAULT_PAGE;
    if (topText !== null) {
      top = Number(topText);
      if (!Number.isInteger(top) || top < 1) throw new GraphFailure(400, 'invalidRequest', `Invalid $top value '${topText}'`);
      top = Math.min(top, LIST_ITEMS_MAX_PAGE);
    }
    const skipToken = q.get('$skiptoken');
    let offset = 0;
    if (skipToken) {
      const decoded = /(?:^|&)p_Offset=(\d+)/.exec(Buffer.from(skipToken, 'base64url').toString('utf8'));
      if (!decoded) throw new GraphFailure(400, 'invalidRequest', 'Invalid $skiptoken');
      offset = Number(decoded[1]);
    }
    const page = items.slice(offset, offset + top);
    const expandFields = /fields/.test(q.get('expand') ?? q.get('$expand') ?? '');
    const body: Json = {
      '@odata.context': `${this.baseUrl}/$metadata#sites('${site.id}')/lists('${list.id}')/items`,
      value: page.map((i) => this.itemBody(site, list, i, expandFields)),
    };
    if (offset + top < items.length) {
      const last = page[page.length - 1] as Item;
      const token = Buffer.from(`Paged=TRUE&p_ID=${last.id}&p_Offset=${offset + top}`).toString('base64url');
      const next = new URL(pathAndQuery, 'http://emulator');
      next.searchParams.set('$skiptoken', token);
      if (topText === null) next.searchParams.set('$top', String(top));
      body['@odata.nextLink'] = `${this.baseUrl}${next.pathname}${next.search.replace(/%24/g, '$').replace(/%2F/g, '/')}`;
    }
    return { status: 200, body };
  }

  // ---------------------------------------------------------------- bodies

  private siteBody(site: Site): Json {
    const name = site.path.split('/').pop() ?? '';
    return {
      '@odata.context': `${this.baseUrl}/$metadata#sites/$entity`,
      id: site.id,
      name,
      displayName: name,
      webUrl: `https://${site.hostname}${site.path}`,
      createdDateTime: '2018-04-01T09:00:00Z',
      lastModifiedDateTime: new Date().toISOString(),
      siteCollection: { hostname: site.hostname },
    };
  }

  private listBody(site: Site, list: List, withColumns: boolean): Json {
    const body: Json = {
      '@odata.etag': `"${list.id},${list.columns.length}"`,
      id: list.id,
      name: list.name,
      displayName: list.displayName,
      description: list.description,
      createdDateTime: list.created,
      lastModifiedDateTime: list.created,
      webUrl: `https://${site.hostname}${site.path}/Lists/${list.name}`,
      list: { contentTypesEnabled: false, hidden: false, template: list.template },
      parentReference: { siteId: site.id },
    };
    if (withColumns) body.columns = list.columns.map(columnBody);
    return body;
  }

  private itemBody(site: Site, list: List, item: Item, withFields: boolean): Json {
    const body: Json = {
      '@odata.etag': etagOf(item),
      createdDateTime: item.created,
      eTag: etagOf(item),
      id: String(item.id),
      lastModifiedDateTime: item.modified,
      webUrl: `https://${site.hostname}${site.path}/Lists/${list.name}/${item.id}_.000`,
      createdBy: { user: { displayName: 'Delivery Plan app' } },
      lastModifiedBy: { user: { displayName: 'Delivery Plan app' } },
      parentReference: { id: list.id, siteId: site.id },
      contentType: { id: '0x0100', name: 'Item' },
    };
    if (withFields) {
      body['fields@odata.context'] = `${this.baseUrl}/$metadata#sites('${site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`;
      body.fields = this.fieldsBody(item);
    }
    return body;
  }

  private fieldsBody(item: Item): Json {
    return {
      '@odata.etag': etagOf(item),
      ...item.fields,
      id: String(item.id),
      ContentType: 'Item',
      Modified: item.modified,
      Created: item.created,
      AuthorLookupId: '7',
      EditorLookupId: '7',
      _UIVersionString: `${item.version}.0`,
      Attachments: false,
      Edit: '',
      ItemChildCount: '0',
      FolderChildCount: '0',
      _ComplianceFlags: '',
      _ComplianceTag: '',
      _ComplianceTagWrittenTime: '',
      _ComplianceTagUserId: '',
    };
  }
}

function etagOf(item: Item): string {
  return `"${item.guid},${item.version}"`;
}

function columnBody(column: Column): Json {
  return {
    columnGroup: 'Custom Columns',
    description: column.description,
    displayName: column.displayName,
    enforceUniqueValues: column.enforceUniqueValues,
    hidden: column.hidden,
    id: column.id,
    indexed: column.indexed,
    name: column.name,
    readOnly: column.readOnly,
    required: column.required,
    [column.type]: column.facet,
  };
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function errorAnswer(status: number, code: string, message: string): Answer {
  const now = new Date();
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
  };
}

function send(res: http.ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  headers['Content-Type'] = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
  headers['request-id'] = randomUUID();
  res.writeHead(answer.status, headers);
  res.end(text);
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
  );
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A small seeded PRNG, so fault injection is repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts an emulator; the caller stops it. */
export async function startGraphEmulator(options: EmulatorOptions): Promise<GraphEmulator> {
  const emulator = new GraphEmulator(options);
  await emulator.start();
  return emulator;
}
