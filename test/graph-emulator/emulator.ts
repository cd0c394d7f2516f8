/**
 * A local Microsoft Graph v1.0 emulator for the SharePoint list endpoints the app uses, so the real
 * Graph client (and `dplan`) can run against it by base URL. It refuses and fails as Graph and
 * SharePoint do; each behaviour cites its Microsoft page beside it:
 *  - sites, lists, columns, items, paging, indexed filters: ./lists.ts, ./model.ts
 *  - listItem delta (change tracking): ./delta.ts
 *  - JSON $batch (20 at most, any order, dependsOn → 424): ./batch.ts
 *  - app permissions and Sites.Selected site roles, 403: ./access.ts
 *  - SharePoint's per-app resource-unit budget, 429 with Retry-After and RateLimit-* headers: ./budget.ts
 *  - If-Match → 412 (https://learn.microsoft.com/en-us/graph/api/listitem-update); a "Save Conflict"
 *    409 when SharePoint itself refuses a concurrent save
 *    (https://github.com/pnp/sp-dev-fx-controls-react/pull/1920: "updating a list item sometimes runs
 *    into 409 save conflicts");
 *  - 504 Gateway Timeout after a write was applied: Graph's gateway gives up waiting for SharePoint,
 *    which finishes the write anyway ("504 Gateway Timeout: The server, while acting as a proxy, didn't
 *    receive a timely response from the upstream server", https://learn.microsoft.com/en-us/graph/errors);
 *  - 429/503 with Retry-After at random, dropped connections before or after a request is applied.
 * Fault switches (`faults`) are off unless a test turns them on; the clock is injectable so the
 * budget's minutes pass instantly in tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { tokenFor, type EmulatorApp } from './access';
import { runBatch } from './batch';
import { ResourceBudget, resourceUnits, systemClock, type Clock } from './budget';
import { createItem, editedByHand, makeColumn, newList, USER_INFORMATION_LIST, type ListRules, type UniqueClash } from './lists';
import { errorAnswer, GraphFailure, mulberry32, type AccessLevel, type Answer, type Json, type Site } from './model';
import { ODataError } from './odata';
import { NO_FAULTS, type EmulatorOptions, type EmulatorStats, type Faults, type InterceptedCall, type Interception } from './faults';
import { EmulatorMail } from './mail';
import { TenantUsers } from './installedApps';
import { routeRequest, type CatalogApp, type RouteContext } from './routes';

export { BATCH_MAX_REQUESTS } from './batch';
export { LIST_ITEMS_DEFAULT_PAGE, LIST_ITEMS_MAX_PAGE } from './lists';
export { ManualClock } from './budget';
export type { EmulatorApp } from './access';
export type { CatalogApp } from './routes';

export { NO_FAULTS, type EmulatorOptions, type EmulatorStats, type Faults, type InterceptedCall, type Interception } from './faults';

const DEFAULT_APP_ID = '00000000-0000-0000-0000-0000000000d1';

export class GraphEmulator {
  readonly stats: EmulatorStats = this.emptyStats();
  faults: Faults;
  /** Test hook consulted on every routed call. */
  intercept?: (call: InterceptedCall) => Interception | undefined;
  /** Column names SharePoint leaves unindexed although asked (see lists.ts). */
  readonly unindexedColumns = new Set<string>();
  readonly catalog: CatalogApp[] = [];
  /** Mailboxes, application access policies and the mail sent through sendMail (./mail.ts). */
  readonly mail = new EmulatorMail();
  /** The tenant's users and the apps installed for them (./installedApps.ts). */
  readonly users = new TenantUsers();
  budget?: ResourceBudget;
  private dropPending = false;
  private forceSaveConflict = false;
  private readonly sites = new Map<string, Site>();
  private readonly apps = new Map<string, EmulatorApp>();
  private server?: http.Server;
  private baseUrlValue = '';
  private dice: () => number;
  private readonly clock: Clock;
  private readonly rules: ListRules;
  private readonly routes: RouteContext;

  constructor(private readonly options: EmulatorOptions) {
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.dice = mulberry32(options.seed ?? 1);
    this.clock = options.clock ?? systemClock;
    if (options.unitsPerMinute) this.budget = new ResourceBudget(options.unitsPerMinute, this.clock);
    this.rules = { uniqueClash: options.uniqueClash ?? 'status-500', unindexed: this.unindexedColumns, now: () => this.clock.now() };
    this.apps.set(options.token, { appId: DEFAULT_APP_ID, roles: ['Sites.FullControl.All', 'AppCatalog.Read.All'] });
    const baseUrl = () => this.baseUrl;
    this.routes = {
      get baseUrl() {
        return baseUrl();
      },
      rules: this.rules,
      catalog: this.catalog,
      mail: this.mail,
      users: this.users,
      stats: this.stats,
      findSite: (spec: string) => this.findSite(spec),
      siteById: (id: string) => this.sites.get(id),
      saveConflict: () => {
        const hit = this.roll(this.faults.saveConflictRate) || this.forceSaveConflict;
        this.forceSaveConflict = false;
        return hit;
      },
    };
    for (const site of options.sites ?? ['contoso.sharepoint.com:/sites/prevent']) this.addSite(site);
  }

  /** `http://127.0.0.1:{port}/v1.0` once started. */
  get baseUrl(): string {
    return this.baseUrlValue;
  }

  get tenantId(): string {
    return this.options.tenantId ?? '11111111-2222-3333-4444-555555555555';
  }

  setFaults(faults: Partial<Faults>, seed?: number): void {
    this.faults = { ...NO_FAULTS, ...faults };
    if (seed !== undefined) this.dice = mulberry32(seed);
  }

  /** How a unique-value clash is answered: SharePoint's 500 (the default) or 409. */
  setUniqueClash(answer: UniqueClash): void {
    this.rules.uniqueClash = answer;
  }

  /** A SharePoint budget of `unitsPerMinute` resource units per app (undefined: none). */
  setBudget(unitsPerMinute: number | undefined): void {
    this.budget = unitsPerMinute ? new ResourceBudget(unitsPerMinute, this.clock) : undefined;
  }

  /** Charges units to the default app's budget, as another instance of the same app spending it would. */
  spendBudget(units: number): void {
    this.budget?.charge(DEFAULT_APP_ID, units);
  }

  resetStats(): void {
    Object.assign(this.stats, this.emptyStats());
  }

  // ---------------------------------------------------------------- set-up helpers for tests

  /** Registers an app; returns a token for it (as the token endpoint would issue). */
  addApp(app: EmulatorApp): string {
    return this.issueToken(app);
  }

  /** An access token for `app` with its roles, accepted from now on (used by the login stand-in). */
  issueToken(app: EmulatorApp): string {
    const token = tokenFor(app, 'https://graph.microsoft.com', this.tenantId);
    this.apps.set(token, { appId: app.appId, roles: [...app.roles] });
    return token;
  }

  /** Grants (or, with 'none', removes) an app's Sites.Selected role on a site. */
  grantSite(spec: string, appId: string, level: AccessLevel): void {
    const site = this.siteOrThrow(spec);
    if (level === 'none') site.grants.delete(appId);
    else site.grants.set(appId, level);
  }

  addCatalogApp(app: Omit<CatalogApp, 'distributionMethod'> & Partial<Pick<CatalogApp, 'distributionMethod'>>): void {
    this.catalog.push({ distributionMethod: 'organization', ...app });
  }

  addSite(spec: string): void {
    const match = /^([^:/]+):(\/.+)$/.exec(spec);
    if (!match) throw new Error(`Site must be hostname:/sites/path, not ${spec}`);
    const [, hostname, sitePath] = match as unknown as [string, string, string];
    const id = `${hostname},${randomUUID()},${randomUUID()}`;
    const site: Site = { id, hostname, path: sitePath.replace(/\/+$/, ''), lists: [], grants: new Map() };
    this.sites.set(id, site);
    // SharePoint's hidden list of the site's users; person columns hold lookup ids into it.
    const users = newList(USER_INFORMATION_LIST, '', 'genericList');
    users.hidden = true;
    users.columns.push(makeColumn({ name: 'EMail', text: {} }, this.rules));
    site.lists.push(users);
  }

  /** Adds a person to the site's User Information List; returns their lookup id. */
  addUser(spec: string, user: { name: string; email: string }): number {
    const site = this.siteOrThrow(spec);
    const list = site.lists.find((l) => l.displayName === USER_INFORMATION_LIST)!;
    return createItem(site, list, { fields: { Title: user.name, EMail: user.email } }, this.rules).id;
  }

  /** Items of a list in a site (for assertions), by list display name. */
  listItems(site: string, listName: string): Json[] {
    const list = this.findList(site, listName);
    return list ? [...list.items.values()].map((i) => ({ id: String(i.id), ...i.fields })) : [];
  }

  /** Changes fields of the first item matching `where`, as a person in SharePoint would (its eTag changes). */
  editItem(site: string, listName: string, where: (fields: Json) => boolean, fields: Json): void {
    const list = this.findList(site, listName);
    const item = list && [...list.items.values()].find((i) => where(i.fields));
    if (!list || !item) throw new Error(`No matching item in ${listName}`);
    editedByHand(list, item, fields, this.rules);
  }

  /** Changes a column's index or uniqueness, as a site owner could in List settings. */
  setColumn(site: string, listName: string, name: string, settings: { indexed?: boolean; enforceUniqueValues?: boolean }): void {
    const list = this.findList(site, listName);
    const column = list?.columns.find((c) => c.name === name);
    if (!list || !column) throw new Error(`No column ${name} in ${listName}`);
    Object.assign(column, settings);
    list.unique = undefined;
  }

  /** Makes every delta token of a site's lists stale, as SharePoint does after a long time (410 Gone). */
  expireDeltaTokens(site: string): void {
    for (const list of this.siteOrThrow(site).lists) list.epoch++;
  }

  listNames(site: string): string[] {
    return (
      this.findSite(site)
        ?.lists.filter((l) => !l.hidden)
        .map((l) => l.displayName) ?? []
    );
  }

  /** Column names, types, index and uniqueness of a list (for assertions). */
  columns(site: string, listName: string): Array<{ name: string; type: string; indexed: boolean; enforceUniqueValues: boolean }> {
    return (
      this.findList(site, listName)?.columns.map((c) => ({
        name: c.name,
        type: c.type,
        indexed: c.indexed,
        enforceUniqueValues: c.enforceUniqueValues,
      })) ?? []
    );
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

  private emptyStats(): EmulatorStats {
    return {
      requests: 0,
      batchedRequests: 0,
      throttled: 0,
      unavailable: 0,
      dropped: 0,
      preconditionFailed: 0,
      saveConflicts: 0,
      gatewayTimeouts: 0,
      units: 0,
    };
  }

  private findSite(spec: string): Site | undefined {
    const [hostname, sitePath] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
    return [...this.sites.values()].find((s) => s.hostname === hostname && s.path === sitePath.replace(/\/+$/, ''));
  }

  private siteOrThrow(spec: string): Site {
    const site = this.findSite(spec);
    if (!site) throw new Error(`No site ${spec}`);
    return site;
  }

  private findList(site: string, listName: string) {
    return this.findSite(site)?.lists.find((l) => l.displayName === listName || l.name === listName);
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
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const app = bearer ? this.apps.get(bearer) : undefined;
    if (!app) {
      const message = req.headers.authorization ? 'Access token validation failure.' : 'Access token is empty.';
      return send(res, errorAnswer(401, 'InvalidAuthenticationToken', message));
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
    let wrote = false;
    if (!url.pathname.startsWith('/v1.0/')) {
      answer = errorAnswer(400, 'BadRequest', `Invalid version: ${url.pathname.split('/')[1] ?? ''}`);
    } else if (url.pathname === '/v1.0/$batch' && req.method === 'POST') {
      answer = runBatch(
        body,
        (part) => {
          this.stats.batchedRequests++;
          if (this.roll(this.faults.batchItemThrottleRate)) {
            this.stats.throttled++;
            return this.throttled();
          }
          const write = part.method !== 'GET';
          wrote ||= write;
          const answer = this.charged(app, part.method, part.url, part.headers, part.body);
          return write && answer.status < 300 && this.roll(this.faults.applyThen504Rate) ? this.gatewayTimeout() : answer;
        },
        this.dice,
      );
    } else {
      const method = req.method ?? 'GET';
      wrote = method !== 'GET';
      answer = this.charged(app, method, url.pathname.slice('/v1.0'.length) + url.search, headersOf(req), body);
    }
    if (wrote && answer.status < 300 && this.roll(this.faults.applyThen504Rate)) answer = this.gatewayTimeout();
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

  private gatewayTimeout(): Answer {
    this.stats.gatewayTimeouts++;
    return errorAnswer(504, 'GatewayTimeout', 'The gateway did not receive a timely response from the upstream server.');
  }

  private roll(rate: number): boolean {
    return rate > 0 && this.dice() < rate;
  }

  /** One request (top-level or in a batch) charged to the app's resource-unit budget, then routed. */
  private charged(app: EmulatorApp, method: string, pathAndQuery: string, headers: Record<string, string>, body: string): Answer {
    let limitHeaders: Record<string, string> = {};
    if (this.budget) {
      const url = new URL(pathAndQuery, 'http://emulator');
      const units = resourceUnits(method, decodeURIComponent(url.pathname), url.searchParams);
      this.stats.units += units;
      const charge = this.budget.charge(app.appId, units);
      if (!charge.ok) {
        this.stats.throttled++;
        return errorAnswer(429, 'activityLimitReached', 'The request has been throttled', charge.headers);
      }
      limitHeaders = charge.headers;
    }
    const answer = this.route(app, method, pathAndQuery, headers, body);
    return Object.keys(limitHeaders).length ? { ...answer, headers: { ...answer.headers, ...limitHeaders } } : answer;
  }

  // ---------------------------------------------------------------- routes

  private route(app: EmulatorApp, method: string, pathAndQuery: string, headers: Record<string, string>, body: string): Answer {
    const hit = this.intercept?.({ method, path: pathAndQuery, body });
    if (hit && 'fail' in hit) return errorAnswer(hit.fail.status, hit.fail.code, hit.fail.message);
    if (hit && 'dropAfter' in hit) this.dropPending = true;
    if (hit && 'before' in hit) hit.before();
    if (hit && 'saveConflict' in hit) this.forceSaveConflict = true;
    try {
      const answer = routeRequest(this.routes, app, method, pathAndQuery, headers, body);
      if (hit && 'gatewayTimeoutAfter' in hit) return this.gatewayTimeout();
      return answer;
    } catch (error) {
      if (error instanceof GraphFailure) return errorAnswer(error.status, error.code, error.message, error.headers);
      if (error instanceof ODataError) return errorAnswer(400, 'invalidRequest', error.message);
      return errorAnswer(500, 'generalException', 'An unexpected error occurred in the emulator.');
    }
  }
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

/** Starts an emulator; the caller stops it. */
export async function startGraphEmulator(options: EmulatorOptions): Promise<GraphEmulator> {
  const emulator = new GraphEmulator(options);
  await emulator.start();
  return emulator;
}
