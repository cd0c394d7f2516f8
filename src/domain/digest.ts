/**
 * The weekly digest's content. Pure: items, history, the ledger's facts about prompts (who did not
 * answer, who could not be reached) and the instant in; what the digest card shows out.
 */
import type { IsoDate, Rag, StatusUpdate } from './model';
import { RAG_VALUES } from './model';
import { addDays, daysBetween, londonDate } from './calendar';
import { effectiveMilestones, overdueMilestone } from './milestones';
import type { ReminderItem } from './reminders';

export type RagCounts = Record<Rag, number>;

export interface DigestChange {
  itemKey: string;
  title: string;
  from: Rag;
  to: Rag;
  at: string;
  by: string;
}

export interface DigestOverdue {
  itemKey: string;
  title: string;
  milestone: IsoDate;
  daysOverdue: number;
  leads: string[];
  status: Rag;
}

export interface DigestUpcoming {
  itemKey: string;
  title: string;
  milestone: IsoDate;
  daysUntil: number;
  leads: string[];
  status: Rag;
}

/** A prompt sent in the digest's week that was not answered (from the send ledger). */
export interface UnansweredPrompt {
  personId: string;
  personName: string;
  itemKey: string;
  itemTitle: string;
  sentOn: IsoDate;
}

/** A lead Teams could not reach, or a role with nobody in the directory. */
export interface UnreachableLead {
  who: string;
  itemKey?: string;
  itemTitle?: string;
  why: string;
}

export interface DigestContent {
  planTitle: string;
  date: IsoDate;
  /** First day of the week the digest looks back on. */
  since: IsoDate;
  counts: RagCounts;
  countsLastWeek: RagCounts;
  change: RagCounts;
  changed: DigestChange[];
  overdue: DigestOverdue[];
  upcoming: DigestUpcoming[];
  /** Unanswered prompts grouped by person. */
  unanswered: Array<{ personName: string; personId: string; items: Array<{ itemKey: string; itemTitle: string; sentOn: IsoDate }> }>;
  unreachable: UnreachableLead[];
  deepLink?: string;
}

export function emptyCounts(): RagCounts {
  return Object.fromEntries(RAG_VALUES.map((r) => [r, 0])) as RagCounts;
}

/**
 * Each item's status at an instant, replayed from history: the `to` of its last report at or before
 * `at`; before its first report, that report's `from` (the imported status); with no history, `status`.
 */
export function statusAt(item: Pick<ReminderItem, 'key' | 'status'>, history: readonly StatusUpdate[], at: string): Rag {
  return statusFromUpdates(
    item.status,
    history.filter((h) => h.itemKey === item.key),
    at,
  );
}

function statusFromUpdates(current: Rag, updates: readonly StatusUpdate[], at: string): Rag {
  if (updates.length === 0) return current;
  let status: Rag = updates[0]!.from;
  for (const u of updates) {
    if (u.at <= at) status = u.to;
  }
  return status;
}

function groupByItem(history: readonly StatusUpdate[]): Map<string, StatusUpdate[]> {
  const byItem = new Map<string, StatusUpdate[]>();
  for (const u of history) {
    const list = byItem.get(u.itemKey);
    if (list) list.push(u);
    else byItem.set(u.itemKey, [u]);
  }
  return byItem;
}

export function countStatuses(
  items: readonly Pick<ReminderItem, 'key' | 'status'>[],
  history: readonly StatusUpdate[],
  at?: string,
): RagCounts {
  const counts = emptyCounts();
  const byItem = at ? groupByItem(history) : undefined;
  for (const item of items) counts[at && byItem ? statusFromUpdates(item.status, byItem.get(item.key) ?? [], at) : item.status]++;
  return counts;
}

export function computeDigest(input: {
  planTitle: string;
  items: readonly ReminderItem[];
  /** History of the plan, oldest first. */
  history: readonly StatusUpdate[];
  /** The digest instant. */
  now: Date;
  unanswered?: readonly UnansweredPrompt[];
  unreachable?: readonly UnreachableLead[];
  deepLink?: string;
  /** How far ahead "upcoming milestones" looks. */
  aheadDays?: number;
  windowDays?: number;
}): DigestContent {
  const date = londonDate(input.now);
  const weekAgo = new Date(input.now.getTime() - 7 * 86_400_000).toISOString();
  const nowIso = input.now.toISOString();
  const sorted = [...input.history].sort((a, b) => a.at.localeCompare(b.at));
  const titles = new Map(input.items.map((i) => [i.key, i.title]));

  const counts = countStatuses(input.items, sorted);
  const countsLastWeek = countStatuses(input.items, sorted, weekAgo);
  const change = emptyCounts();
  for (const r of RAG_VALUES) change[r] = counts[r] - countsLastWeek[r];

  // Items whose status changed in the week: first `from` to last `to`, when they differ.
  const byItem = new Map<string, StatusUpdate[]>();
  for (const u of sorted) {
    if (u.at > weekAgo && u.at <= nowIso && titles.has(u.itemKey)) byItem.set(u.itemKey, [...(byItem.get(u.itemKey) ?? []), u]);
  }
  const changed: DigestChange[] = [];
  for (const [itemKey, updates] of byItem) {
    const first = updates[0]!;
    const last = updates[updates.length - 1]!;
    if (first.from !== last.to)
      changed.push({ itemKey, title: titles.get(itemKey) ?? itemKey, from: first.from, to: last.to, at: last.at, by: last.by });
  }
  changed.sort((a, b) => b.at.localeCompare(a.at));

  const overdue: DigestOverdue[] = [];
  const upcoming: DigestUpcoming[] = [];
  const ahead = input.aheadDays ?? 28;
  for (const item of input.items) {
    const missed = overdueMilestone(item, date, input.windowDays ?? 28);
    if (missed)
      overdue.push({
        itemKey: item.key,
        title: item.title,
        milestone: missed,
        daysOverdue: daysBetween(missed, date),
        leads: item.leads,
        status: item.status,
      });
    if (item.status === 'complete') continue;
    for (const m of effectiveMilestones(item)) {
      if (m >= date && m <= addDays(date, ahead)) {
        upcoming.push({
          itemKey: item.key,
          title: item.title,
          milestone: m,
          daysUntil: daysBetween(date, m),
          leads: item.leads,
          status: item.status,
        });
      }
    }
  }
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.title.localeCompare(b.title));
  upcoming.sort((a, b) => a.milestone.localeCompare(b.milestone) || a.title.localeCompare(b.title));

  const people = new Map<string, DigestContent['unanswered'][number]>();
  for (const u of input.unanswered ?? []) {
    const key = u.personId.toLowerCase();
    const entry = people.get(key) ?? { personId: u.personId, personName: u.personName, items: [] };
    if (!entry.items.some((i) => i.itemKey === u.itemKey))
      entry.items.push({ itemKey: u.itemKey, itemTitle: u.itemTitle, sentOn: u.sentOn });
    people.set(key, entry);
  }

  const content: DigestContent = {
    planTitle: input.planTitle,
    date,
    since: addDays(date, -7),
    counts,
    countsLastWeek,
    change,
    changed,
    overdue,
    upcoming,
    unanswered: [...people.values()].sort((a, b) => a.personName.localeCompare(b.personName)),
    unreachable: dedupeUnreachable(input.unreachable ?? []),
  };
  if (input.deepLink) content.deepLink = input.deepLink;
  return content;
}

function dedupeUnreachable(list: readonly UnreachableLead[]): UnreachableLead[] {
  const seen = new Set<string>();
  const out: UnreachableLead[] = [];
  for (const u of list) {
    const key = `${u.who.toLowerCase()}|${u.itemKey ?? ''}|${u.why}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out.sort((a, b) => a.who.localeCompare(b.who) || (a.itemTitle ?? '').localeCompare(b.itemTitle ?? ''));
}
