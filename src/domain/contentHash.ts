/**
 * Content fingerprints: equal content gives an equal hash, whatever the order of object keys. The
 * store uses them to leave unchanged items alone on a re-import; a report uses `planContentHash` to
 * tell whether the plan content a person saw has changed since (then their report is stale). Pure.
 */
import type { PlanItem } from './model';

/** JSON with object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** 64-bit FNV-1a of the canonical JSON, 16 hex digits: cheap, stable, dependency-free. */
export function contentHash(value: unknown): string {
  const text = canonicalJson(value);
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The plan content a person is asked about (not its status or reports). */
const PLAN_CONTENT_FIELDS = [
  'title',
  'description',
  'outcomes',
  'outputs',
  'timescale',
  'milestones',
  'start',
  'recurring',
  'leads',
  'provider',
  'objectives',
  'recommendations',
] as const;

/** Fingerprint of an item's plan content: a change to it makes a report made against the old content stale. */
export function planContentHash(item: Pick<PlanItem, (typeof PLAN_CONTENT_FIELDS)[number]>): string {
  const content: Record<string, unknown> = {};
  for (const f of PLAN_CONTENT_FIELDS) if (item[f] !== undefined) content[f] = item[f];
  return contentHash(content);
}
