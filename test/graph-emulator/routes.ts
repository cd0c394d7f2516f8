/**
 * The Graph requests the emulator answers, routed to sites, lists, columns, items, delta and the
 * Teams app catalog; access is checked per request (./access.ts). Shapes and errors as documented:
 *  - sites by path:        https://learn.microsoft.com/en-us/graph/api/site-getbypath
 *  - lists, create list:   https://learn.microsoft.com/en-us/graph/api/list-list, .../list-create
 *  - columns:              https://learn.microsoft.com/en-us/graph/api/list-list-columns, .../list-post-columns
 *  - items:                https://learn.microsoft.com/en-us/graph/api/listitem-list, .../listitem-create,
 *                          .../listitem-update (If-Match → 412), .../listitem-delete
 *  - delta:                https://learn.microsoft.com/en-us/graph/api/listitem-delta
 *  - app catalog:          https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps
 *  - send mail:            https://learn.microsoft.com/en-us/graph/api/user-sendmail (./mail.ts)
 *  - apps for a user:      https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps (./installedApps.ts)
 */
import { accessNeeded, requireAccess, requireRole, type EmulatorApp } from './access';
import { deltaPage } from './delta';
import type { EmulatorMail } from './mail';
import type { TenantUsers } from './installedApps';
import { createItem, createList, deleteItem, editedByHand, listItemsPage, makeColumn, patchItem, type ListRules } from './lists';
import {
  columnBody,
  errorAnswer,
  etagOf,
  fieldsBody,
  GraphFailure,
  itemBody,
  listBody,
  siteBody,
  type Answer,
  type Item,
  type Json,
  type Site,
} from './model';
import { matches, parseFilter } from './odata';

export interface CatalogApp {
  id: string;
  externalId: string;
  displayName: string;
  distributionMethod: 'organization' | 'store' | 'sideloaded';
}

/** What the routes need of the emulator. */
export interface RouteContext {
  baseUrl: string;
  rules: ListRules;
  catalog: CatalogApp[];
  users: TenantUsers;
  stats: { preconditionFailed: number; saveConflicts: number };
  findSite(spec: string): Site | undefined;
  siteById(id: string): Site | undefined;
  /** Whether this item update meets a Save Conflict (the fault dice, or a test forcing one). */
  saveConflict(): boolean;
  mail: EmulatorMail;
}

export function routeRequest(
  ctx: RouteContext,
  app: EmulatorApp,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: string,
): Answer {
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
  if (path === '/appCatalogs/teamsApps' && method === 'GET') return catalogApps(ctx, app, q);
  const forUser = ctx.users.route(ctx.catalog, app, method, path, json);
  if (forUser) return forUser;
  let m: RegExpExecArray | null;
  if ((m = /^\/users\/([^/]+)\/sendMail$/.exec(path)) && method === 'POST') return ctx.mail.sendMail(app, m[1] as string, json());
  if ((m = /^\/sites\/([^/:]+):(\/[^:]*?):?$/.exec(path)) && method === 'GET') {
    const site = ctx.findSite(`${m[1]}:${m[2]}`);
    if (!site) throw new GraphFailure(404, 'itemNotFound', 'Requested site could not be found');
    requireAccess(site, app, 'read');
    return { status: 200, body: siteBody(ctx.baseUrl, site) };
  }
  if (!(m = /^\/sites\/([^/]+)(\/.*)?$/.exec(path)))
    throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`);
  const site = ctx.siteById(m[1] as string);
  if (!site) throw new GraphFailure(404, 'itemNotFound', 'Requested site could not be found');
  const rest = m[2] ?? '';
  requireAccess(site, app, accessNeeded(method, rest));
  if (rest === '' && method === 'GET') return { status: 200, body: siteBody(ctx.baseUrl, site) };
  if (rest === '/lists' && method === 'GET') {
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx.baseUrl}/$metadata#sites('${site.id}')/lists`,
        value: site.lists.filter((l) => !l.hidden).map((l) => listBody(site, l, false)),
      },
    };
  }
  if (rest === '/lists' && method === 'POST') return { status: 201, body: listBody(site, createList(site, json(), ctx.rules), false) };
  if (!(m = /^\/lists\/([^/]+)(\/.*)?$/.exec(rest))) throw new GraphFailure(400, 'BadRequest', `Unsupported path ${rest}`);
  const listRef = m[1] as string;
  const list = site.lists.find((l) => l.id === listRef || l.displayName === listRef || l.name === listRef);
  if (!list) throw new GraphFailure(404, 'itemNotFound', 'The specified list was not found');
  const sub = m[2] ?? '';
  if (sub === '' && method === 'GET')
    return { status: 200, body: listBody(site, list, /columns/.test(q.get('$expand') ?? q.get('expand') ?? '')) };
  if (sub === '/columns' && method === 'GET') return { status: 200, body: { value: list.columns.map(columnBody) } };
  if (sub === '/columns' && method === 'POST') {
    const column = makeColumn(json(), ctx.rules);
    if (list.columns.some((c) => c.name === column.name)) {
      throw new GraphFailure(409, 'nameAlreadyExists', `A column named '${column.name}' already exists in the list.`);
    }
    list.columns.push(column);
    list.unique = undefined;
    return { status: 201, body: columnBody(column) };
  }
  if (sub === '/items/delta' && method === 'GET') return deltaPage(ctx.baseUrl, site, list, q);
  if (sub === '/items' && method === 'GET') return listItemsPage(ctx.baseUrl, site, list, q, headers, pathAndQuery);
  if (sub === '/items' && method === 'POST') {
    const item = createItem(site, list, json(), ctx.rules);
    return { status: 201, body: itemBody(ctx.baseUrl, site, list, item, true) };
  }
  if (!(m = /^\/items\/(\d+)(\/fields)?$/.exec(sub))) throw new GraphFailure(400, 'BadRequest', `Unsupported path ${sub}`);
  const item = list.items.get(Number(m[1]));
  if (!item) throw new GraphFailure(404, 'itemNotFound', 'The specified list item was not found');
  if (!m[2] && method === 'GET')
    return { status: 200, body: itemBody(ctx.baseUrl, site, list, item, /fields/.test(q.get('expand') ?? q.get('$expand') ?? '')) };
  if (!m[2] && method === 'DELETE') {
    if (!etagMatches(item, headers['if-match'])) return preconditionFailed(ctx);
    deleteItem(list, item);
    return { status: 204 };
  }
  if (m[2] && method === 'PATCH') {
    if (!etagMatches(item, headers['if-match'])) return preconditionFailed(ctx);
    if (ctx.saveConflict()) {
      // Another save of the item got in while SharePoint was saving this one: the item has moved on.
      ctx.stats.saveConflicts++;
      editedByHand(list, item, {}, ctx.rules);
      return errorAnswer(
        409,
        'conflict',
        'Save Conflict. Your changes conflict with those made concurrently by another user. If you want your changes to be applied, refresh and resubmit your changes.',
      );
    }
    patchItem(site, list, item, json(), ctx.rules);
    return { status: 200, body: fieldsBody(item) };
  }
  if (m[2] && method === 'GET') return { status: 200, body: fieldsBody(item) };
  throw new GraphFailure(405, 'BadRequest', `${method} is not supported on ${sub}`);
}

/** The Teams app catalog: https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps */
function catalogApps(ctx: RouteContext, app: EmulatorApp, q: URLSearchParams): Answer {
  requireRole(app, ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All', 'AppCatalog.Submit']);
  const filter = q.get('$filter');
  const comparisons = filter ? parseFilter(filter, { bare: true }) : [];
  const found = ctx.catalog.filter((a) => comparisons.every((c) => matches((a as unknown as Json)[c.field], c.value)));
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#appCatalogs/teamsApps`, value: found } };
}

function preconditionFailed(ctx: RouteContext): Answer {
  ctx.stats.preconditionFailed++;
  return errorAnswer(412, 'preconditionFailed', "The request ETag value does not match the object's ETag value");
}

function etagMatches(item: Item, ifMatch: string | undefined): boolean {
  if (ifMatch === undefined || ifMatch === '*') return true;
  return ifMatch.split(',').length >= 2 && ifMatch.trim() === etagOf(item);
}
