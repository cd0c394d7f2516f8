/**
 * Lists, columns and items as SharePoint keeps them, behind Graph:
 *  - create list with columns: https://learn.microsoft.com/en-us/graph/api/list-create
 *  - add a column:             https://learn.microsoft.com/en-us/graph/api/list-post-columns
 *  - create / update item:     https://learn.microsoft.com/en-us/graph/api/listitem-create,
 *                              https://learn.microsoft.com/en-us/graph/api/listitem-update
 *  - list items ($filter only on indexed columns unless `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`,
 *    `$top` at most 5,000, `@odata.nextLink`): https://learn.microsoft.com/en-us/graph/api/listitem-list
 * Values are checked against their columns, including the `@odata.type` annotation of a multi-value
 * lookup or person column (see checkLookup), and unique columns compare text without case.
 */
import { randomUUID } from 'node:crypto';
import { matches, parseFilter, parseOrderBy } from './odata';
import { GraphFailure, isoSeconds, itemBody, type Answer, type Column, type Item, type Json, type List, type Site } from './model';

/** Default page size of list items when `$top` is absent. */
export const LIST_ITEMS_DEFAULT_PAGE = 200;
/**
 * Largest page of list items SharePoint serves (its 5,000-item list view threshold,
 * https://support.microsoft.com/office/b8588dae-9387-48c2-9248-c24122f07c59); larger `$top` values are capped to it.
 */
export const LIST_ITEMS_MAX_PAGE = 5000;
/** SharePoint's limit for a single line of text. */
const TEXT_MAX_LENGTH = 255;
const NOTE_MAX_LENGTH = 63999;
export const NON_INDEXED_PREFER = 'HonorNonIndexedQueriesWarningMayFailRandomly';
export const USER_INFORMATION_LIST = 'User Information List';
const COLUMN_TYPES = ['text', 'number', 'choice', 'dateTime', 'boolean', 'personOrGroup', 'currency', 'lookup', 'calculated'];

/**
 * How a unique-value clash is answered. SharePoint's REST API answers 500 with
 * SPDuplicateValuesFoundException ("duplicate values were found in one or more fields",
 * https://learn.microsoft.com/en-us/previous-versions/office/sharepoint-server/ee575579(v=office.15));
 * Graph documents no status for it, and 409 has been seen too. The emulator answers 500 unless told.
 */
export type UniqueClash = 'status-500' | 'status-409';

export interface ListRules {
  uniqueClash: UniqueClash;
  /** Columns SharePoint leaves unindexed although asked (a list over the threshold, a policy): by name. */
  unindexed: ReadonlySet<string>;
  now(): number;
}

const DUPLICATE_MESSAGE =
  'The list item could not be added or updated because duplicate values were found in one or more fields in the list.';

export function newList(displayName: string, description: string, template: string): List {
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
  return {
    id: randomUUID(),
    name: displayName.replace(/[^A-Za-z0-9]/g, ''),
    displayName,
    description,
    template,
    created: new Date().toISOString(),
    columns: [title],
    items: new Map(),
    nextId: 1,
    changes: 0,
    epoch: 1,
    deleted: new Map(),
  };
}

export function createList(site: Site, body: Json, rules: ListRules): List {
  const displayName = body.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '')
    throw new GraphFailure(400, 'invalidRequest', 'displayName is required');
  if (site.lists.some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) {
    throw new GraphFailure(409, 'nameAlreadyExists', 'The specified name is already in use.');
  }
  const template = ((body.list as Json | undefined)?.template as string | undefined) ?? 'genericList';
  const list = newList(displayName, typeof body.description === 'string' ? body.description : '', template);
  for (const column of (body.columns as Json[] | undefined) ?? []) {
    const made = makeColumn(column, rules);
    if (list.columns.some((c) => c.name === made.name)) throw new GraphFailure(409, 'nameAlreadyExists', `Duplicate column ${made.name}`);
    list.columns.push(made);
  }
  site.lists.push(list);
  return list;
}

export function makeColumn(body: Json, rules: ListRules): Column {
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
  let enforceUniqueValues = body.enforceUniqueValues === true;
  let indexed = body.indexed === true;
  if (enforceUniqueValues && !indexed)
    throw new GraphFailure(400, 'invalidRequest', `Column ${name}: unique values need an indexed column.`);
  if (indexed && type === 'text' && facet.allowMultipleLines)
    throw new GraphFailure(400, 'invalidRequest', `Column ${name}: multiple lines of text cannot be indexed.`);
  // SharePoint accepts the request and creates the column, but does not always index it (the list
  // is over the list view threshold, or a site policy): the answer does not say so; reading the
  // column back does. https://learn.microsoft.com/en-us/graph/api/columndefinition-get
  if (rules.unindexed.has(name)) {
    indexed = false;
    enforceUniqueValues = false;
  }
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

function columnFor(list: List, key: string): { column: Column; lookup: boolean } {
  const direct = list.columns.find((c) => c.name === key);
  if (direct) return { column: direct, lookup: false };
  const m = /^(.+)LookupId$/.exec(key);
  const target = m ? list.columns.find((c) => c.name === m[1] && (c.type === 'personOrGroup' || c.type === 'lookup')) : undefined;
  if (!target) throw new GraphFailure(400, 'invalidRequest', `Field '${key}' is not recognized`);
  return { column: target, lookup: true };
}

/**
 * A person or lookup column is written as `<Name>LookupId`. One value: an item id of the User
 * Information List. Several (a multi-value column): an array annotated
 * `"<Name>LookupId@odata.type": "Collection(Edm.Int32)"` with numeric ids; an array without the
 * annotation is refused ("A value without a type name was found and no expected type is available",
 * https://github.com/microsoftgraph/microsoft-graph-docs/issues/2991) and an annotation on a
 * single-value column is refused. `Collection(Edm.String)` with string ids has been reported to work
 * on some tenants (https://github.com/microsoftgraph/microsoft-graph-docs/issues/11505) but lookup ids
 * are Edm.Int32 and no Microsoft page documents the string form: the emulator refuses it, so the app
 * keeps to the form that works everywhere.
 */
function checkLookup(site: Site, key: string, column: Column, value: unknown, annotation: unknown): unknown {
  const users = site.lists.find((l) => l.displayName === USER_INFORMATION_LIST)?.items;
  const known = (id: number) => users?.has(id) ?? false;
  if (column.facet.allowMultipleSelection) {
    if (!Array.isArray(value)) throw new GraphFailure(400, 'invalidRequest', `Field '${key}' holds several values: send an array.`);
    if (annotation === undefined) {
      throw new GraphFailure(
        400,
        'invalidRequest',
        'A value without a type name was found and no expected type is available. When the model is specified, each value in the payload must have a type which can be either specified in the payload, explicitly by the caller or implicitly inferred from the parent value.',
      );
    }
    if (annotation !== 'Collection(Edm.Int32)') {
      throw new GraphFailure(
        400,
        'invalidRequest',
        `The type '${String(annotation)}' of '${key}' is not Collection(Edm.Int32), the type of lookup ids.`,
      );
    }
    for (const v of value) {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new GraphFailure(400, 'invalidRequest', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.Int32'.`);
      if (!known(v)) throw new GraphFailure(400, 'invalidRequest', `Invalid lookup id ${v} for field '${key}'.`);
    }
    return value;
  }
  if (annotation !== undefined)
    throw new GraphFailure(400, 'invalidRequest', `Field '${key}' holds one value: it takes no @odata.type annotation.`);
  if (!/^\d+$/.test(String(value)) || !known(Number(value)))
    throw new GraphFailure(400, 'invalidRequest', `Invalid lookup id ${String(value)} for field '${key}'.`);
  return String(value);
}

/** Validates a fieldValueSet against the list's columns; returns the values to store. */
export function checkFields(site: Site, list: List, fields: Json, rules: ListRules, selfId?: number): Json {
  const out: Json = {};
  for (const [key, annotation] of Object.entries(fields)) {
    if (!key.endsWith('@odata.type') || key.startsWith('@odata')) continue;
    const base = key.slice(0, -'@odata.type'.length);
    if (!(base in fields)) throw new GraphFailure(400, 'invalidRequest', `The annotation '${key}' has no value '${base}' beside it.`);
    if (typeof annotation !== 'string') throw new GraphFailure(400, 'invalidRequest', `The annotation '${key}' must be a type name.`);
    columnFor(list, base);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith('@odata') || key.endsWith('@odata.type')) continue;
    const { column, lookup } = columnFor(list, key);
    if (value === null) {
      if (column.required) throw new GraphFailure(400, 'invalidRequest', `Field '${key}' is required`);
      out[key] = null;
      continue;
    }
    const bad = (): never => {
      throw new GraphFailure(400, 'invalidRequest', `Invalid value for field '${key}' of type ${column.type}`);
    };
    if (lookup) {
      out[key] = checkLookup(site, key, column, value, fields[`${key}@odata.type`]);
      continue;
    }
    if (fields[`${key}@odata.type`] !== undefined)
      throw new GraphFailure(400, 'invalidRequest', `Field '${key}' of type ${column.type} takes no @odata.type annotation.`);
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
      default:
        bad();
    }
    out[key] = column.type === 'dateTime' ? isoSeconds(Date.parse(value as string)) : value;
  }
  checkUnique(list, out, rules, selfId);
  return out;
}

/** A value as a unique column compares it: text without case (see odata.ts). */
function uniqueKey(value: unknown): string {
  return typeof value === 'string' ? value.toLocaleLowerCase('en') : `#${JSON.stringify(value)}`;
}

/** The list's unique columns as value → item id, built once and kept up to date by every write. */
function uniqueIndex(list: List): Map<string, Map<string, number>> {
  if (!list.unique) {
    list.unique = new Map();
    for (const column of list.columns.filter((c) => c.enforceUniqueValues)) {
      const values = new Map<string, number>();
      for (const item of list.items.values()) {
        const v = item.fields[column.name];
        if (v !== undefined && v !== null) values.set(uniqueKey(v), item.id);
      }
      list.unique.set(column.name, values);
    }
  }
  return list.unique;
}

function checkUnique(list: List, values: Json, rules: ListRules, selfId?: number): void {
  for (const [name, index] of uniqueIndex(list)) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const holder = index.get(uniqueKey(value));
    if (holder !== undefined && holder !== selfId && list.items.has(holder)) {
      if (rules.uniqueClash === 'status-409') throw new GraphFailure(409, 'nameAlreadyExists', DUPLICATE_MESSAGE);
      throw new GraphFailure(500, 'generalException', DUPLICATE_MESSAGE);
    }
  }
}

function indexItem(list: List, item: Item, before: Json): void {
  for (const [name, index] of uniqueIndex(list)) {
    const old = before[name];
    if (old !== undefined && old !== null && index.get(uniqueKey(old)) === item.id) index.delete(uniqueKey(old));
    const now = item.fields[name];
    if (now !== undefined && now !== null) index.set(uniqueKey(now), item.id);
  }
}

function touch(list: List, item: Item, rules: ListRules): void {
  list.changes++;
  item.changed = list.changes;
  item.modified = isoSeconds(rules.now());
}

export function createItem(site: Site, list: List, body: Json, rules: ListRules): Item {
  const fields = checkFields(site, list, (body.fields as Json | undefined) ?? {}, rules);
  for (const column of list.columns.filter((c) => c.required)) {
    if (fields[column.name] === undefined || fields[column.name] === null)
      throw new GraphFailure(400, 'invalidRequest', `Field '${column.name}' is required`);
  }
  const now = isoSeconds(rules.now());
  const item: Item = { id: list.nextId++, guid: randomUUID(), version: 1, created: now, modified: now, fields: {}, changed: 0 };
  for (const [k, v] of Object.entries(fields)) if (v !== null) item.fields[k] = v;
  list.items.set(item.id, item);
  indexItem(list, item, {});
  touch(list, item, rules);
  return item;
}

export function patchItem(site: Site, list: List, item: Item, body: Json, rules: ListRules): void {
  const patch = checkFields(site, list, body, rules, item.id);
  const before = { ...item.fields };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete item.fields[k];
    else item.fields[k] = v;
  }
  indexItem(list, item, before);
  item.version++;
  touch(list, item, rules);
}

export function deleteItem(list: List, item: Item): void {
  indexItem(list, { ...item, fields: {} }, item.fields);
  list.items.delete(item.id);
  list.changes++;
  list.deleted.set(item.id, list.changes);
}

/** An item changed by someone else (a person in SharePoint): a new version. */
export function editedByHand(list: List, item: Item, fields: Json, rules: ListRules): void {
  const before = { ...item.fields };
  Object.assign(item.fields, fields);
  indexItem(list, item, before);
  item.version++;
  touch(list, item, rules);
}

export function listItemsPage(
  baseUrl: string,
  site: Site,
  list: List,
  q: URLSearchParams,
  headers: Record<string, string>,
  pathAndQuery: string,
): Answer {
  let items = [...list.items.values()];
  const honourNonIndexed = (headers.prefer ?? '').includes(NON_INDEXED_PREFER);
  const filter = q.get('$filter') ?? q.get('filter');
  if (filter) {
    const comparisons = parseFilter(filter);
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
      if (column && !column.indexed && !honourNonIndexed) {
        throw new GraphFailure(400, 'invalidRequest', `Field '${c.field}' cannot be referenced in filter or orderby as it is not indexed.`);
      }
    }
    items.sort((a, b) => {
      for (const c of clauses) {
        const cmp = compare(c.field === 'id' ? a.id : a.fields[c.field], c.field === 'id' ? b.id : b.fields[c.field]);
        if (cmp !== 0) return c.descending ? -cmp : cmp;
      }
      return a.id - b.id;
    });
  } else {
    items.sort((a, b) => a.id - b.id);
  }
  const topText = q.get('$top') ?? q.get('top');
  const top = pageSize(topText);
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
    '@odata.context': `${baseUrl}/$metadata#sites('${site.id}')/lists('${list.id}')/items`,
    value: page.map((i) => itemBody(baseUrl, site, list, i, expandFields)),
  };
  if (offset + top < items.length) {
    const last = page[page.length - 1] as Item;
    const token = Buffer.from(`Paged=TRUE&p_ID=${last.id}&p_Offset=${offset + top}`).toString('base64url');
    const next = new URL(pathAndQuery, 'http://emulator');
    next.searchParams.set('$skiptoken', token);
    if (topText === null) next.searchParams.set('$top', String(top));
    body['@odata.nextLink'] = `${baseUrl}${next.pathname}${next.search.replace(/%24/g, '$').replace(/%2F/g, '/')}`;
  }
  return { status: 200, body };
}

export function pageSize(topText: string | null): number {
  if (topText === null) return LIST_ITEMS_DEFAULT_PAGE;
  const top = Number(topText);
  if (!Number.isInteger(top) || top < 1) throw new GraphFailure(400, 'invalidRequest', `Invalid $top value '${topText}'`);
  return Math.min(top, LIST_ITEMS_MAX_PAGE);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
