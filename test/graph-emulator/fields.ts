/**
 * Field values as SharePoint checks them when an item is created or updated
 * (https://learn.microsoft.com/en-us/graph/api/listitem-create, .../listitem-update,
 * https://learn.microsoft.com/en-us/graph/api/resources/columndefinition): each value against its
 * column's type and limits, the `@odata.type` annotation of a lookup or person column, and unique
 * columns, which compare text without case.
 */
import { GraphFailure, isoSeconds, type Column, type Item, type Json, type List, type Site } from './model';

/** SharePoint's limit for a single line of text. */
export const TEXT_MAX_LENGTH = 255;
const NOTE_MAX_LENGTH = 63999;
export const USER_INFORMATION_LIST = 'User Information List';

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

export function indexItem(list: List, item: Item, before: Json): void {
  for (const [name, index] of uniqueIndex(list)) {
    const old = before[name];
    if (old !== undefined && old !== null && index.get(uniqueKey(old)) === item.id) index.delete(uniqueKey(old));
    const now = item.fields[name];
    if (now !== undefined && now !== null) index.set(uniqueKey(now), item.id);
  }
}
