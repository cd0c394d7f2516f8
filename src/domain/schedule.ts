/**
 * What the bot sends on a day, and over a window: every item's ask (reminders.ts) resolved to the
 * people who answer for it (recipients.ts), then grouped into one card per person per day. The daily
 * prompt run sends exactly what `computeDay` returns; `dplan schedule` and the Settings view list
 * `computeSchedule`, the same function day after day, assuming nobody answers from now on. Pure.
 *
 * Deputies: when a role's leads were asked on a day and nobody has reported on the item since, the
 * role's deputies are asked `deputyAfterDays` later (the same request, marked as a deputy's); when
 * every lead of a role is away, its deputies are asked at once.
 */
import { addDays, daysBetween, isIsoDate } from './calendar';
import type { IsoDate, PlanInfo } from './model';
import {
  answeringRoles,
  deputiesOf,
  NO_LEAD_ROLE,
  resolveRoles,
  roleIndex,
  type DeputyBecause,
  type DirectoryPerson,
  type DirectoryRole,
} from './recipients';
import { askFor, reportedOn, type Ask, type ReminderItem, type ReminderRules, type RequestReason } from './reminders';

/** One item asked of one person (or of a role nobody is mapped to) on one day. */
export interface Request {
  date: IsoDate;
  planId: string;
  itemKey: string;
  itemTitle: string;
  reason: RequestReason;
  milestone?: IsoDate;
  daysUntil?: number;
  /** A check-in's reporting period. */
  period?: { label: string; start: IsoDate; end: IsoDate };
  /** The roles through which the recipient answers for the item. */
  roles: string[];
  /** Absent when nobody is mapped to the role. */
  person?: DirectoryPerson;
  /** Set when the person is asked as a deputy, and why. */
  deputy?: DeputyBecause;
}

/** Everything one recipient is asked on one day: one card. */
export interface CardPlan {
  date: IsoDate;
  /** The person's id, or the role where nobody is mapped to it. */
  recipient: string;
  person?: DirectoryPerson;
  /** The role, for a card nobody can receive. */
  role?: string;
  requests: Request[];
}

export interface DayPlan {
  date: IsoDate;
  requests: Request[];
  cards: CardPlan[];
}

export interface ScheduleInput {
  planId: string;
  plan: Pick<PlanInfo, 'periodStart' | 'periodEnd'>;
  items: readonly ReminderItem[];
  directory: readonly DirectoryRole[];
  rules: ReminderRules;
}

const REASON_ORDER: Record<RequestReason, number> = { overdue: 0, milestone: 1, 'check-in': 2 };
/** One collator for every comparison (String.localeCompare builds one per call: slow on thousands of items). */
const collator = new Intl.Collator('en-GB');

/** Order of items on a card: overdue (oldest first), then reminders (soonest first), then check-ins. */
export function compareRequests(a: Request, b: Request): number {
  return (
    REASON_ORDER[a.reason] - REASON_ORDER[b.reason] ||
    (a.milestone ?? '9999').localeCompare(b.milestone ?? '9999') ||
    collator.compare(a.itemTitle, b.itemTitle) ||
    collator.compare(a.itemKey, b.itemKey)
  );
}

function requestOf(date: IsoDate, planId: string, item: ReminderItem, ask: Ask): Omit<Request, 'roles'> {
  const r: Omit<Request, 'roles'> = { date, planId, itemKey: item.key, itemTitle: item.title, reason: ask.reason };
  if (ask.milestone) r.milestone = ask.milestone;
  if (ask.daysUntil !== undefined) r.daysUntil = ask.daysUntil;
  if (ask.period) r.period = { label: ask.period.label, start: ask.period.start, end: ask.period.end };
  return r;
}

/** Every request of one day, and the cards they make (one per recipient). */
export function computeDay(input: ScheduleInput & { date: IsoDate }): DayPlan {
  const { planId, plan, items, directory, rules, date } = input;
  if (!isIsoDate(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const index = roleIndex(directory);
  const chaseDay = rules.deputyAfterDays > 0 ? addDays(date, -rules.deputyAfterDays) : undefined;
  const requests: Request[] = [];
  for (const item of items) {
    const roles = answeringRoles(item, rules.ownerRole);
    const ask = askFor(item, date, plan, rules);
    const asked = new Set<string>();
    if (ask) {
      const base = requestOf(date, planId, item, ask);
      const { asked: people, unresolved } = resolveRoles(roles, index);
      for (const role of roles.length > 0 ? unresolved : [NO_LEAD_ROLE]) requests.push({ ...base, roles: [role] });
      for (const a of people) {
        asked.add(a.person.id.toLowerCase());
        requests.push({ ...base, roles: a.roles, person: a.person, ...(a.deputy ? { deputy: a.deputy } : {}) });
      }
    }
    // The deputy's turn: the leads were asked `deputyAfterDays` ago and nobody has reported since.
    if (!chaseDay || item.status === 'complete') continue;
    const reported = reportedOn(item);
    if (reported && reported >= chaseDay) continue;
    const earlier = askFor(item, chaseDay, plan, rules);
    if (!earlier) continue;
    const base = requestOf(date, planId, item, earlier);
    if (base.milestone) base.daysUntil = daysBetween(date, base.milestone);
    for (const role of resolveRoles(roles, index).ledBy) {
      for (const deputy of deputiesOf(role, index)) {
        if (asked.has(deputy.id.toLowerCase())) continue;
        asked.add(deputy.id.toLowerCase());
        requests.push({ ...base, roles: [role], person: deputy, deputy: 'no-answer' });
      }
    }
  }
  return { date, requests, cards: cardsOf(date, requests) };
}

/** Groups a day's requests into one card per recipient (a person, or a role nobody is mapped to). */
export function cardsOf(date: IsoDate, requests: readonly Request[]): CardPlan[] {
  const cards = new Map<string, { card: CardPlan; byItem: Map<string, Request> }>();
  for (const r of requests) {
    const recipient = r.person ? r.person.id : (r.roles[0] ?? '');
    const key = r.person ? `p:${recipient.toLowerCase()}` : `r:${recipient.toLowerCase()}`;
    let entry = cards.get(key);
    if (!entry) {
      entry = { card: { date, recipient, ...(r.person ? { person: r.person } : { role: recipient }), requests: [] }, byItem: new Map() };
      cards.set(key, entry);
    }
    // One item once per card, whichever roles it came through.
    const same = entry.byItem.get(r.itemKey);
    if (same) {
      for (const role of r.roles) if (!same.roles.includes(role)) same.roles.push(role);
    } else {
      const own = { ...r, roles: [...r.roles] };
      entry.byItem.set(r.itemKey, own);
      entry.card.requests.push(own);
    }
  }
  const out = [...cards.values()].map((c) => c.card);
  for (const card of out) card.requests.sort(compareRequests);
  return out.sort((a, b) => collator.compare(a.person?.name ?? a.recipient, b.person?.name ?? b.recipient));
}

export interface Schedule {
  from: IsoDate;
  to: IsoDate;
  requests: Request[];
  cards: CardPlan[];
}

/** Longest window a schedule is computed for (about three years). */
export const SCHEDULE_MAX_DAYS = 1100;

/** Every day from `from` to `to` (inclusive), as the daily run would see it if nobody answered. */
export function computeSchedule(input: ScheduleInput & { from: IsoDate; to: IsoDate }): Schedule {
  const { from, to } = input;
  if (!isIsoDate(from)) throw new RangeError(`"${from}" is not a date (YYYY-MM-DD)`);
  if (!isIsoDate(to)) throw new RangeError(`"${to}" is not a date (YYYY-MM-DD)`);
  if (to < from) throw new RangeError(`The window ends (${to}) before it starts (${from})`);
  if (daysBetween(from, to) > SCHEDULE_MAX_DAYS) throw new RangeError(`The window is longer than ${SCHEDULE_MAX_DAYS} days`);
  const requests: Request[] = [];
  const cards: CardPlan[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = computeDay({ ...input, date });
    requests.push(...day.requests);
    cards.push(...day.cards);
  }
  return { from, to, requests, cards };
}
