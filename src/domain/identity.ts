/** Stable identities for plans and items, so that re-importing the same document changes nothing. */
import type { ItemKind, PlanInfo } from './model';

/** Lower-case, ASCII, hyphen-separated. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** "London Borough of Tower Hamlets" + "Prevent Delivery Plan" + 2018-04-01 → "london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19". */
export function planIdOf(info: PlanInfo): string {
  const startYear = info.periodStart.slice(0, 4);
  const endYear = info.periodEnd.slice(0, 4);
  const period = startYear === endYear ? startYear : `${startYear}-${endYear.slice(2)}`;
  return slugify(`${info.organisation} ${info.title} ${period}`);
}

/** 32-bit FNV-1a, as 8 hex digits: a pure, dependency-free content hash for keys. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Text folded for comparison: case, white space, quotes and dashes do not matter. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"']/g, '')
    .replace(/[\u2010-\u2015-]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Item key: kind letter, first objective, and a hash of the folded title and outcomes, e.g. "a2-3f9c01be".
 * Outcomes are part of it so that rows with no title (derived titles can repeat) stay distinct.
 */
export function itemKeyOf(kind: ItemKind, objectives: readonly number[], title: string, outcomes: readonly string[]): string {
  const first = objectives[0] ?? 0;
  return `${kind === 'project' ? 'p' : 'a'}${first}-${fnv1a(`${foldText(title)}|${foldText(outcomes.join('|'))}`)}`;
}
