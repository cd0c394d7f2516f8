/**
 * Filtering and sorting the plan's items: pure, shared by the tab (Plan view), the API and the bench.
 * "Today" is always passed in (a London calendar date), so that due windows are testable.
 */
import { addDays } from './calendar';
import { foldText } from './identity';
import { roleKey } from './leads';
import { dueState, effectiveMilestones } from './milestones';
import { RAG_VALUES, type IsoDate, type PlanItem, type Rag } from './model';

/** What the filters need of an item: the plan item plus, optionally, its latest report. */
export type FilterableItem = PlanItem & {
  lastUpdate?: { at: string };
};

export const DUE_WINDOWS = ['any', 'overdue', 'next-30', 'next-90', 'no-date'] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];

export const DUE_WINDOW_LABELS: Record<DueWindow, string> = {
  any: 'Any time',
  overdue: 'Overdue',
  'next-30': 'Due in the next 30 days',
  'next-90': 'Due in the next 90 days',
  'no-date': 'No due date (ongoing)',
};

export interface ItemFilter {
  /** Objective number; the item matches when it serves this objective. */
  objective?: number;
  /** Lead role; compared case- and punctuation-insensitively ("Prevent Co-Ordinator" = "Prevent Co-ordinator"). */
  lead?: string;
  /** Statuses to keep; empty or absent keeps all. */
  statuses?: readonly Rag[];
  kind?: PlanItem['kind'];
  due?: DueWindow;
  /** Free text: every word must occur in the title, description, outcomes, outputs, leads or provider. */
  text?: string;
  /** The plan's reminder window (its largest reminder offset) for what counts as overdue; 28 days unless told. */
  windowDays?: number;
}

export const SORT_KEYS = ['plan', 'title', 'due', 'status', 'updated', 'lead'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

const leadCache = new WeakMap<PlanItem, readonly string[]>();
/**
 * Folded lead roles by spelling: a plan has a few dozen spellings across thousands of items, and the
 * Plan view's first render lists them (leadRoles), so each spelling is folded once, not once per item.
 */
const roleKeys = new Map<string, string>();

function cachedRoleKey(role: string): string {
  let key = roleKeys.get(role);
  if (key === undefined) {
    key = roleKey(role);
    if (roleKeys.size >= 10_000) roleKeys.clear(); // a long-running server sees many plans: stay small
    roleKeys.set(role, key);
  }
  return key;
}

/** The item's lead roles, folded (computed once per item object). */
function leadKeys(item: PlanItem): readonly string[] {
  let keys = leadCache.get(item);
  if (keys === undefined) {
    keys = item.leads.map(cachedRoleKey);
    leadCache.set(item, keys);
  }
  return keys;
}

/** True when the item has a lead role equal (folded) to `lead`. */
export function hasLead(item: PlanItem, lead: string): boolean {
  return leadKeys(item).includes(roleKey(lead));
}

function searchText(item: PlanItem): string {
  return foldText(
    [
      item.title,
      item.description ?? '',
      ...item.outcomes,
      ...item.outputs.map((o) => o.text),
      ...item.leads,
      item.provider ?? '',
      item.timescale,
    ].join(' \u0001 '),
  );
}

const searchCache = new WeakMap<PlanItem, string>();

function cachedSearchText(item: PlanItem): string {
  let text = searchCache.get(item);
  if (text === undefined) {
    text = searchText(item);
    searchCache.set(item, text);
  }
  return text;
}

/**
 * Folds every item's searchable text and lead roles once, ahead of the first filter: afterwards a
 * keystroke costs one fold of what was typed and a substring test per item, no per-item text work.
 */
export function prepareForFilters(items: readonly PlanItem[]): void {
  for (const item of items) {
    cachedSearchText(item);
    leadKeys(item);
  }
}

/** The parts of a filter that are worked out once per filter, not once per item. */
interface PreparedFilter {
  lead?: string;
  words: string[];
}

function prepare(filter: ItemFilter): PreparedFilter {
  const text = filter.text?.trim();
  return {
    ...(filter.lead ? { lead: roleKey(filter.lead) } : {}),
    words: text ? foldText(text).split(' ').filter(Boolean) : [],
  };
}

export function matchesFilter(item: FilterableItem, filter: ItemFilter, today: IsoDate, prepared = prepare(filter)): boolean {
  if (filter.objective !== undefined && !item.objectives.includes(filter.objective)) return false;
  if (filter.kind && item.kind !== filter.kind) return false;
  if (prepared.lead !== undefined && !leadKeys(item).includes(prepared.lead)) return false;
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(item.status)) return false;
  const due = filter.due ?? 'any';
  if (due !== 'any') {
    const state = dueState(item, today, filter.windowDays);
    if (due === 'overdue' && !state.overdue) return false;
    if (due === 'no-date' && effectiveMilestones(item).length > 0) return false;
    if (due === 'next-30' || due === 'next-90') {
      const horizon = addDays(today, due === 'next-30' ? 30 : 90);
      if (item.status === 'complete' || !state.next || state.next > horizon) return false;
    }
  }
  if (prepared.words.length > 0) {
    const haystack = cachedSearchText(item);
    for (const word of prepared.words) {
      if (!haystack.includes(word)) return false;
    }
  }
  return true;
}

export function filterItems<T extends FilterableItem>(items: readonly T[], filter: ItemFilter, today: IsoDate): T[] {
  const prepared = prepare(filter);
  return items.filter((item) => matchesFilter(item, filter, today, prepared));
}

const RAG_ORDER: Record<Rag, number> = Object.fromEntries(RAG_VALUES.map((r, i) => [r, i])) as Record<Rag, number>;
/** Most urgent first: Red, Amber, Not reported, Green, Complete. */
const STATUS_URGENCY: Record<Rag, number> = { red: 0, amber: 1, 'not-reported': 2, green: 3, complete: 4 };

/**
 * A sorted copy. `plan` keeps the document order (the input order); items without a value for the
 * key (no due date, never updated) go last whatever the direction. Ties keep plan order.
 */
export function sortItems<T extends FilterableItem>(
  items: readonly T[],
  key: SortKey,
  direction: SortDirection = 'asc',
  today?: IsoDate,
  windowDays?: number,
): T[] {
  // The plan's own order is the order the items come in: no keys to work out, nothing to compare.
  if (key === 'plan') return direction === 'asc' ? items.slice() : items.slice().reverse();
  const indexed = items.map((item, index) => ({ item, index }));
  const sign = direction === 'asc' ? 1 : -1;
  const value = (item: T): string | number | undefined => {
    switch (key) {
      case 'title':
        return item.title.toLocaleLowerCase('en-GB');
      case 'due': {
        if (!today) return effectiveMilestones(item)[0];
        const state = dueState(item, today, windowDays);
        return state.overdue ?? state.next;
      }
      case 'status':
        return STATUS_URGENCY[item.status] * 10 + RAG_ORDER[item.status] / 10;
      case 'updated':
        return item.lastUpdate?.at ? Date.parse(item.lastUpdate.at) : undefined;
      case 'lead':
        return item.leads[0]?.toLocaleLowerCase('en-GB');
    }
  };
  const keyed = indexed.map((e) => ({ ...e, v: value(e.item) }));
  keyed.sort((a, b) => {
    if (a.v === undefined && b.v === undefined) return a.index - b.index;
    if (a.v === undefined) return 1;
    if (b.v === undefined) return -1;
    if (a.v < b.v) return -sign;
    if (a.v > b.v) return sign;
    return a.index - b.index;
  });
  return keyed.map((e) => e.item);
}

/** Distinct lead roles of the items, in first-seen order, folded duplicates merged (first spelling wins). */
export function leadRoles(items: readonly PlanItem[]): string[] {
  // By spelling first: thousands of items share a few dozen spellings, and each is folded once.
  const spellings = new Set<string>();
  const seen = new Map<string, string>();
  for (const item of items) {
    for (const lead of item.leads) {
      if (spellings.has(lead)) continue;
      spellings.add(lead);
      const folded = cachedRoleKey(lead);
      if (!seen.has(folded)) seen.set(folded, lead);
    }
  }
  return [...seen.values()];
}
