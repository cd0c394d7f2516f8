/**
 * Lists, columns and items as SharePoint keeps them, behind Graph:
 *  - create list with columns: https://learn.microsoft.com/en-us/graph/api/list-create
 *  - add a column:             https://learn.microsoft.com/en-us/graph/api/list-post-columns
 *  - create / update item:     https://learn.microsoft.com/en-us/graph/api/listitem-create,
 *                              https://learn.microsoft.com/en-us/graph/api/listitem-update
 *  - list items ($filter only on indexed columns unless `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`,
 *    `$top` at most 5,000, `@odata.nextLink`): https://learn.microsoft.com/en-us/graph/api/listitem-list
 * Values are checked against their columns by ./fields.ts.
 */
import { randomUUID } from 'node:crypto';
import { checkFields, indexItem, TEXT_MAX_LENGTH, type ListRules } from './fields';
import { matches, parseFilter, parseOrderBy } from './odata';
import { GraphFailure, isoSeconds, itemBody, type Answer, type Column, type Item, type Json, type List, type Site } from './model';

export { USER_INFORMATION_LIST, type ListRules, type UniqueClash } from './fields';

/** Default page size of list items when `$top` is absent. */
export const LIST_ITEMS_DEFAULT_PAGE = 200;
/**
 * Largest page of list items SharePoint serves (its 5,000-item list view threshold,
 * https://support.microsoft.com/office/b8588dae-9387-48c2-9248-c24122f07c59); larger `$top` values are capped to it.
 */
export const LIST_ITEMS_MAX_PAGE = 5000;
export const NON_INDEXED_PREFER = 'HonorNonIndexedQueriesWarningMayFailRandomly';
const COLUMN_TYPES = ['text', 'number', 'choice', 'dateTime', 'boolean', 'personOrGroup', 'currency', 'lookup', 'calculated'];

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
