/**
 * What the Graph emulator holds (sites, lists, columns, items) and the JSON bodies it answers with,
 * in the shapes of Graph's documentation:
 *  - site:        https://learn.microsoft.com/en-us/graph/api/resources/site
 *  - list:        https://learn.microsoft.com/en-us/graph/api/resources/list
 *  - column:      https://learn.microsoft.com/en-us/graph/api/resources/columndefinition
 *  - listItem:    https://learn.microsoft.com/en-us/graph/api/resources/listitem (eTag `"{guid},n"`, no cTag)
 *  - errors:      https://learn.microsoft.com/en-us/graph/errors (`{ error: { code, message, innerError } }`)
 */
import { randomUUID } from 'node:crypto';

export type Json = Record<string, unknown>;

/** Access to a site, lowest first: the roles an admin can grant an app with Sites.Selected. */
export const ACCESS_LEVELS = ['none', 'read', 'write', 'manage', 'fullcontrol'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface Column {
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

export interface Item {
  id: number;
  guid: string;
  version: number;
  created: string;
  modified: string;
  fields: Json;
  /** Change number of the list when the item was last written (for delta). */
  changed: number;
}

export interface List {
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
  /** Change counter for delta tokens; `epoch` changes when old tokens stop being honoured (410). */
  changes: number;
  epoch: number;
  /** Deleted item ids and the change number of their deletion. */
  deleted: Map<number, number>;
  /** Values of unique columns (compared without case) → item id; built when first needed. */
  unique?: Map<string, Map<string, number>>;
}

export interface Site {
  id: string;
  hostname: string;
  path: string;
  lists: List[];
  /** Site roles granted to apps that hold Sites.Selected: app id → level. */
  grants: Map<string, AccessLevel>;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorAnswer(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  const now = new Date();
  return {
    status,
    ...(headers ? { headers } : {}),
    body: {
      error: {
        code,
        message,
        innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
  };
}

export function etagOf(item: Item): string {
  return `"${item.guid},${item.version}"`;
}

export function isoSeconds(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function columnBody(column: Column): Json {
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

export function siteBody(baseUrl: string, site: Site): Json {
  const name = site.path.split('/').pop() ?? '';
  return {
    '@odata.context': `${baseUrl}/$metadata#sites/$entity`,
    id: site.id,
    name,
    displayName: name,
    webUrl: `https://${site.hostname}${site.path}`,
    createdDateTime: '2018-04-01T09:00:00Z',
    lastModifiedDateTime: new Date().toISOString(),
    siteCollection: { hostname: site.hostname },
  };
}

export function listBody(site: Site, list: List, withColumns: boolean): Json {
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

export function fieldsBody(item: Item): Json {
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

export function itemBody(baseUrl: string, site: Site, list: List, item: Item, withFields: boolean): Json {
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
    body['fields@odata.context'] = `${baseUrl}/$metadata#sites('${site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`;
    body.fields = fieldsBody(item);
  }
  return body;
}

/** A small seeded PRNG, so fault injection is repeatable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
