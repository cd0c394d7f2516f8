/**
 * What the bot sends, computed once for every surface: the daily prompt run (today), `dplan schedule`
 * and the Settings view (a window of days). Both read the plan, its directory and its settings the
 * same way and hand them to the same domain function (domain/schedule.ts: computeDay), so what is
 * listed is what is sent, assuming nobody answers in between.
 */
import type { IsoDate } from '../domain/model';
import {
  computeDay,
  computeSchedule,
  type CardPlan,
  type DayPlan,
  type Request,
  type Schedule,
  type ScheduleInput,
} from '../domain/schedule';
import type { PlanStore, StoredItem, StoredPlan } from '../store/planStore';
import { reminderRules, type PlanSettingsResolver } from './planSettings';

export interface PlanScheduleInput extends ScheduleInput {
  items: StoredItem[];
}

/** The plan's items, directory and rules, read once. */
export async function scheduleInput(store: PlanStore, settings: PlanSettingsResolver, plan: StoredPlan): Promise<PlanScheduleInput> {
  const [items, directory, planSettings] = await Promise.all([
    store.listItems(plan.id),
    store.listDirectory(plan.id),
    settings.settingsFor(plan.id),
  ]);
  return { planId: plan.id, plan: plan.plan, items, directory, rules: reminderRules(planSettings, items) };
}

/** What one day's run sends. */
export function dayOf(input: PlanScheduleInput, date: IsoDate): DayPlan {
  return computeDay({ ...input, date });
}

/** What the runs from `from` to `to` would send if nobody answered. */
export function windowOf(input: PlanScheduleInput, from: IsoDate, to: IsoDate): Schedule {
  return computeSchedule({ ...input, from, to });
}

/** One request as `dplan schedule --json` and the API list it. */
export interface RequestJson {
  date: IsoDate;
  itemKey: string;
  itemTitle: string;
  reason: Request['reason'];
  milestone?: IsoDate;
  period?: string;
  role: string;
  /** The person's id; absent when nobody is mapped to the role. */
  person?: string;
  personName?: string;
  /** Set when a deputy is asked: lead-away, no-answer or no-lead. */
  deputy?: string;
}

export interface CardJson {
  date: IsoDate;
  /** The person's id, or the role where nobody is mapped to it. */
  recipient: string;
  name: string;
  itemKeys: string[];
}

export interface ScheduleJson {
  planId: string;
  from: IsoDate;
  to: IsoDate;
  requests: RequestJson[];
  cards: CardJson[];
}

function requestJson(r: Request): RequestJson {
  return {
    date: r.date,
    itemKey: r.itemKey,
    itemTitle: r.itemTitle,
    reason: r.reason,
    ...(r.milestone ? { milestone: r.milestone } : {}),
    ...(r.period ? { period: r.period.label } : {}),
    role: r.roles.join(' / '),
    ...(r.person ? { person: r.person.id, personName: r.person.name } : {}),
    ...(r.deputy ? { deputy: r.deputy } : {}),
  };
}

function cardJson(c: CardPlan): CardJson {
  return {
    date: c.date,
    recipient: c.recipient,
    name: c.person?.name ?? c.role ?? c.recipient,
    itemKeys: c.requests.map((r) => r.itemKey),
  };
}

export function scheduleJson(planId: string, s: Schedule): ScheduleJson {
  return { planId, from: s.from, to: s.to, requests: s.requests.map(requestJson), cards: s.cards.map(cardJson) };
}
