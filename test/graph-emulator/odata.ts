/**
 * The small part of OData the emulator understands for list items: `$filter` with `eq` (and `and`)
 * on `fields/Name` or `id`, and `$orderby` on `fields/Name` or `id` with `asc`/`desc`. Other
 * collections (the Teams app catalog) filter on bare property names.
 *
 * Text comparisons ignore case, as SharePoint's do: list data is kept in SQL Server with a
 * case-insensitive collation, so `eq 'ABC'` finds 'abc' and a unique column treats them as one value:
 * "the comparison is case-insensitive, so the values "hello world" and "Hello World" are evaluated as
 * equivalent" (Enforcing Uniqueness in Column Values,
 * https://learn.microsoft.com/en-us/previous-versions/office/developer/sharepoint-2010/ee536168(v=office.14)).
 */

export interface Comparison {
  /** Column name, or `id` for the item id. */
  field: string;
  value: string | number | boolean | null;
}

export class ODataError extends Error {}

/** `fields/PlanId eq 'a' and fields/Line eq 3` → comparisons; throws ODataError on anything else. */
export function parseFilter(filter: string, options: { bare?: boolean } = {}): Comparison[] {
  const parts = splitOutsideQuotes(filter.trim(), ' and ');
  return parts.map((part) => {
    const match = /^(fields\/)?([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+(.+)$/.exec(part.trim());
    if (!match) throw new ODataError(`Invalid filter clause: ${part}`);
    const [, prefix, name, literal] = match as unknown as [string, string | undefined, string, string];
    if (!prefix && name !== 'id' && !options.bare)
      throw new ODataError(`Could not find a property named '${name}' on type 'microsoft.graph.listItem'.`);
    return { field: name, value: parseLiteral(literal.trim()) };
  });
}

function parseLiteral(text: string): Comparison['value'] {
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replace(/''/g, "'");
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  const n = Number(text);
  if (text !== '' && Number.isFinite(n)) return n;
  throw new ODataError(`Syntax error at '${text}' in the filter`);
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") inQuote = !inQuote;
    else if (!inQuote && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export interface OrderBy {
  field: string;
  descending: boolean;
}

export function parseOrderBy(text: string): OrderBy[] {
  return text.split(',').map((clause) => {
    const match = /^\s*(fields\/)?([A-Za-z_][A-Za-z0-9_]*)(\s+(asc|desc))?\s*$/i.exec(clause);
    if (!match || (!match[1] && match[2] !== 'id')) throw new ODataError(`Invalid $orderby clause: ${clause}`);
    return { field: match[2] as string, descending: (match[4] ?? '').toLowerCase() === 'desc' };
  });
}

/** Loose equality as SharePoint applies it to a stored field value: text ignores case. */
export function matches(stored: unknown, wanted: Comparison['value']): boolean {
  if (wanted === null) return stored === undefined || stored === null;
  if (typeof wanted === 'number') return Number(stored) === wanted;
  if (typeof wanted === 'boolean') return stored === wanted;
  return sameText(String(stored), wanted);
}

const TEXT = new Intl.Collator('en', { sensitivity: 'accent' });

/** Two text values as SharePoint compares them (case-insensitive). */
export function sameText(a: string, b: string): boolean {
  return TEXT.compare(a, b) === 0;
}
