/**
 * Table cells in plan documents carry a little HTML (<b>, <i>, <p>, <ul><li>) and entities
 * (&amp;). These helpers turn a cell into plain text or into its paragraphs / list items.
 * Entities are decoded with `he` (complete HTML5 entity table) rather than a hand-written list.
 */
import he from 'he';

const TAG = /<\/?[a-zA-Z][^>]*>/g;

/** Plain text: tags dropped, entities decoded, white space folded (double spaces kept as a break marker when `keepBreaks`). */
export function cellText(cell: string, keepBreaks = false): string {
  const untagged = cell.includes('<') ? cell.replace(/<br\s*\/?>/gi, '  ').replace(TAG, ' ') : cell;
  const text = untagged.includes('&') ? he.decode(untagged) : untagged;
  const nbspFree = text.replace(/\u00a0/g, ' ');
  return keepBreaks ? nbspFree.replace(/[ \t]{3,}/g, '  ').trim() : nbspFree.replace(/\s+/g, ' ').trim();
}

function inner(cell: string, tag: string): string[] | undefined {
  const re = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)<\\/${tag}>`, 'gi');
  const found = [...cell.matchAll(re)].map((m) => m[1] ?? '');
  return found.length > 0 ? found : undefined;
}

/** The <li> items of a cell (empty ones dropped), or undefined when the cell has no list. */
export function listItems(cell: string): string[] | undefined {
  const items = inner(cell, 'li');
  return items?.map((i) => cellText(i)).filter((i) => i.length > 0);
}

/** The <p> paragraphs of a cell, or undefined when it has none. */
export function paragraphs(cell: string): string[] | undefined {
  const items = inner(cell, 'p');
  return items?.map((i) => cellText(i)).filter((i) => i.length > 0);
}

const CHECKED_TAGS = ['ul', 'ol', 'li', 'p', 'b', 'i', 'strong', 'em'].map((tag) => ({
  tag,
  open: new RegExp(`<${tag}\\b[^>]*>`, 'gi'),
  close: new RegExp(`</${tag}>`, 'gi'),
}));

/** The name of an element opened in the cell but never closed (a cut-off cell), if any. */
export function unclosedElement(cell: string): string | undefined {
  if (!cell.includes('<')) return undefined;
  for (const { tag, open, close } of CHECKED_TAGS) {
    const opened = (cell.match(open) ?? []).length;
    if (opened === 0) continue;
    const closed = (cell.match(close) ?? []).length;
    if (opened > closed) return tag;
  }
  return undefined;
}

/** The lines of a cell: line breaks, paragraphs and list items each end a line (leads one per line). */
export function cellLines(cell: string): string[] {
  return cell
    .split(/<br\s*\/?>|<\/p>|<\/li>|<\/div>|\n/i)
    .map((part) => cellText(part))
    .filter((part) => part.length > 0);
}
