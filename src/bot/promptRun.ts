/**
 * The daily prompt run (and "Send prompt now"). What to send is computed by the domain (schedule.ts:
 * the same code `dplan schedule` lists); this file sends it: one card per person per day, claimed in
 * the send ledger before it is sent and marked after, so that nothing is sent twice by re-runs,
 * restarts or a second instance. Roles nobody can be asked through are reported to the co-ordinators.
 */
import { daysBetween, londonDate } from '../domain/calendar';
import type { UnreachableLead } from '../domain/digest';
import { nextMilestone, overdueMilestone } from '../domain/milestones';
import type { IsoDate } from '../domain/model';
import { answeringRoles, resolveRoles } from '../domain/recipients';
import { promptIdOf } from '../domain/reminders';
import type { CardPlan, Request } from '../domain/schedule';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { reminderRules } from '../usecases/planSettings';
import { dayOf, scheduleInput } from '../usecases/schedule';
import type { BotDeps } from './botDeps';
import { cardSummary, fitDailyCard, SEND_BUDGET_BYTES, type DailyCardInput } from './cards/dailyCard';
import type { AskInfo, CardEntry } from './cards/itemSection';
import type { CoordinatorNotices } from './coordinatorNotices';
import type { Delivery, DeliveryOutcome, DeliveryRequest, Recipient } from './delivery';
import { CARD_ITEM, REASON_CARD, REASON_REQUESTED, type CardItem, type LedgerKey } from './ledger';
import type { PersonRefs } from '../state/personRefs';
import { markOutcome } from './sendOutcome';

/** The detail of a card a run found still queued by an earlier run and put on the send queue again. */
export const QUEUED_AGAIN = 'queued again: an earlier run claimed it and its message may have been lost';

/** Cards claimed and queued at once when a send queue is in use (STATE_STORE=azure). */
const QUEUE_PARALLEL = 16;

/**
 * `fn` over `list`, at most `lanes` at a time (a lane starts the next card as soon as its last is
 * done, so one slow card holds up no others), results in list order. After a failure no lane starts
 * another card, and the first failure is thrown once the cards already started have finished.
 */
async function inLanes<T, R>(list: readonly T[], lanes: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(list.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < list.length) {
      const i = next++;
      try {
        out[i] = await fn(list[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(lanes, list.length) }, lane));
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
}

/** How long a claim may stay unmarked before it is treated as a crash (see ledger.ts). */
export const CLAIM_LEASE_MS = 15 * 60_000;

/** One request of a prompt run (or dry run): an item asked of a person (or of a role nobody is mapped to). */
export interface PromptLine {
  planId: string;
  /** The ledger id of the card the request is on. */
  promptId: string;
  itemKey: string;
  itemTitle: string;
  /** check-in | milestone | overdue | requested */
  reason: string;
  milestone?: IsoDate;
  daysUntil?: number;
  period?: string;
  role: string;
  person?: { id: string; name: string };
  deputy?: string;
  /** False when the item did not fit on the card (the card links to My actions). */
  onCard?: boolean;
  /** would-send | sent | already-sent | unreachable | no-person | failed | uncertain */
  outcome: string;
  detail?: string;
}

/** One card of a prompt run. */
export interface CardLine {
  planId: string;
  promptId: string;
  /** The person's id, or the role where nobody is mapped to it. */
  recipient: string;
  name: string;
  itemKeys: string[];
  /** Items on the card (the rest are counted and linked to My actions). */
  shown: number;
  outcome: string;
  detail?: string;
}

export interface PromptRunReport {
  date: IsoDate;
  dryRun: boolean;
  lines: PromptLine[];
  cards: CardLine[];
  /** Outcomes counted per card. */
  totals: Record<string, number>;
  /** Claims found unmarked from an earlier, interrupted run (not re-sent). */
  recovered: number;
}

const NOBODY = 'nobody in the lead directory for this role';
/** A Teams user id of the longest usual length, to size a card before its recipient is known. */
const SIZING_USER_ID = `29:${'x'.repeat(90)}`;

function askOf(r: Request): AskInfo {
  const ask: AskInfo = { reason: r.reason, roles: r.roles };
  if (r.milestone) ask.milestone = r.milestone;
  if (r.daysUntil !== undefined) ask.daysUntil = r.daysUntil;
  if (r.period) Object.assign(ask, { periodLabel: r.period.label, periodEnd: r.period.end });
  if (r.deputy) ask.deputy = r.deputy;
  return ask;
}

/** What a delivery is told of the card: its plan, day, the items it asks and why, and its summary. */
function deliveryRequest(planId: string, date: IsoDate, requests: readonly Request[], entries: readonly CardEntry[]): DeliveryRequest {
  return {
    planId,
    date,
    items: requests.map((r) => ({
      itemKey: r.itemKey,
      reason: r.reason,
      ...(r.milestone ? { milestone: r.milestone } : {}),
      ...(r.period ? { period: { label: r.period.label, end: r.period.end } } : {}),
    })),
    summary: cardSummary(entries),
  };
}

function cardItemOf(slot: string, onCard: boolean, ask: AskInfo, itemKey: string): CardItem {
  const out: CardItem = { itemKey, slot, onCard, reason: ask.reason, roles: ask.roles ?? [] };
  if (ask.milestone) out.milestone = ask.milestone;
  if (ask.daysUntil !== undefined) out.daysUntil = ask.daysUntil;
  if (ask.periodLabel) out.periodLabel = ask.periodLabel;
  if (ask.periodEnd) out.periodEnd = ask.periodEnd;
  if (ask.deputy) out.deputy = ask.deputy;
  return out;
}

export class PromptRun {
  private readonly log: Logger;
  private readonly delivery: Delivery;

  constructor(
    private readonly deps: BotDeps,
    private readonly notices: CoordinatorNotices,
  ) {
    this.log = deps.logger.child({ component: 'promptRun' });
    this.delivery = deps.delivery;
  }

  /** What a plan's run sends on `date` (computed, not sent): the day's cards (the code `dplan schedule` lists). */
  async plan(plan: StoredPlan, date: IsoDate): Promise<{ items: StoredItem[]; cards: CardPlan[] }> {
    const input = await scheduleInput(this.deps.store, this.deps.settings, plan);
    return { items: input.items, cards: dayOf(input, date).cards };
  }

  /**
   * The daily prompt run for `date` (London day). With `dryRun` nothing is claimed or sent; the report
   * says what would happen. Otherwise each card is claimed in the ledger, sent, and marked.
   */
  async run(date: IsoDate, options: { dryRun?: boolean; planId?: string } = {}): Promise<PromptRunReport> {
    const { store, ledger, clock } = this.deps;
    const dryRun = options.dryRun ?? false;
    const lines: PromptLine[] = [];
    const cards: CardLine[] = [];
    let recovered = 0;
    if (!dryRun) recovered = (await ledger.expireClaims(new Date(clock.now().getTime() - CLAIM_LEASE_MS).toISOString())).length;
    const plans = (await store.listPlans()).filter((p) => !options.planId || p.id === options.planId);
    // A queued run (and a dry run) asks where each person can be reached: every chat is read once for the run, not per person.
    const known = dryRun || this.deps.sendQueue ? await this.delivery.knownChats() : undefined;
    for (const plan of plans) {
      const { items, cards: planned } = await this.plan(plan, date);
      const byKey = new Map(items.map((i) => [i.key, i]));
      const newlyUnreachable: UnreachableLead[] = [];
      const one = (card: CardPlan) =>
        card.person
          ? this.sendCard(plan, byKey, card, card.person, dryRun, false, known)
          : this.roleCard(plan, byKey, card, dryRun, newlyUnreachable);
      // Queued cards are claimed and queued several at a time (each is a few storage round trips); sent in-process, one by one.
      const results = await inLanes(planned, this.deps.sendQueue && !dryRun ? QUEUE_PARALLEL : 1, one);
      for (const [j, card] of planned.entries()) {
        const result = results[j]!;
        cards.push(result.card);
        lines.push(...result.lines);
        if (card.person && result.card.outcome === 'unreachable' && !dryRun) {
          newlyUnreachable.push(this.unreachableEntry(card.person.name, card, result.card.detail ?? 'Teams cannot reach them'));
        }
      }
      if (!dryRun && newlyUnreachable.length > 0) await this.notices.unreachable(plan, date, newlyUnreachable);
    }
    const totals: Record<string, number> = {};
    for (const c of cards) totals[c.outcome] = (totals[c.outcome] ?? 0) + 1;
    this.log.info({ date, dryRun, totals, requests: lines.length, recovered }, 'prompt run finished');
    return { date, dryRun, lines, cards, totals, recovered };
  }

  private unreachableEntry(who: string, card: CardPlan, why: string): UnreachableLead {
    const [first, ...rest] = card.requests;
    return {
      who,
      ...(first
        ? { itemKey: first.itemKey, itemTitle: rest.length > 0 ? `${first.itemTitle} and ${rest.length} more` : first.itemTitle }
        : {}),
      why,
    };
  }

  /**
   * The tab's "Send prompt now": a card for `itemKey` to each person answering for it, straight away,
   * against the item's next (or overdue) milestone. Once per person per item per London day: a
   * second press the same day finds the ledger row and sends nothing more.
   */
  async promptNow(
    planId: string,
    itemKey: string,
    requestedBy: string,
  ): Promise<{ sent: number; alreadySent: number; unreachable: string[] }> {
    const { store, clock, settings } = this.deps;
    const [plan, item] = await Promise.all([store.getPlan(planId), store.getItem(planId, itemKey)]);
    if (!plan || !item) throw new NotFoundError(`No item "${itemKey}" in plan "${planId}".`);
    const date = londonDate(clock.now());
    const [items, directory, planSettings] = await Promise.all([
      store.listItems(planId),
      store.listDirectory(planId),
      settings.settingsFor(planId),
    ]);
    const rules = reminderRules(planSettings, items);
    const milestone = nextMilestone(item, date) ?? overdueMilestone(item, date, 0) ?? item.milestones[item.milestones.length - 1];
    const { asked, unresolved } = resolveRoles(answeringRoles(item, rules.ownerRole), directory);
    const result = { sent: 0, alreadySent: 0, unreachable: [...unresolved.map((role) => `${role}: ${NOBODY}`)] };
    const byKey = new Map([[item.key, item]]);
    for (const a of asked) {
      const request: Request = {
        date,
        planId,
        itemKey,
        itemTitle: item.title,
        reason: 'milestone',
        roles: a.roles,
        person: a.person,
        ...(milestone ? { milestone, daysUntil: daysBetween(date, milestone) } : {}),
        ...(a.deputy ? { deputy: a.deputy } : {}),
      };
      const card: CardPlan = { date, recipient: a.person.id, person: a.person, requests: [request] };
      const { card: line } = await this.sendCard(plan, byKey, card, a.person, false, true);
      if (line.outcome === 'sent') result.sent++;
      else if (line.outcome === 'already-sent') result.alreadySent++;
      else result.unreachable.push(`${a.person.name}: ${line.detail ?? line.outcome}`);
    }
    this.log.info(
      { planId, itemKey, requestedBy, sent: result.sent, alreadySent: result.alreadySent, unreachable: result.unreachable.length },
      'prompt sent on request',
    );
    return result;
  }

  /** A card for a role nobody is mapped to: recorded once a day as unreachable, reported to the co-ordinators. */
  private async roleCard(
    plan: StoredPlan,
    byKey: Map<string, StoredItem>,
    card: CardPlan,
    dryRun: boolean,
    newlyUnreachable: UnreachableLead[],
  ): Promise<{ card: CardLine; lines: PromptLine[] }> {
    const { ledger, clock } = this.deps;
    const role = card.role ?? card.recipient;
    const key: LedgerKey = {
      id: promptIdOf({
        planId: plan.id,
        itemKey: CARD_ITEM,
        milestone: '',
        reason: REASON_CARD,
        personId: `role:${role}`,
        dateKey: card.date,
      }),
      planId: plan.id,
      itemKey: CARD_ITEM,
      milestone: '',
      reason: REASON_CARD,
      personId: `role:${role}`.toLowerCase(),
      personName: role,
      dateKey: card.date,
    };
    const items = card.requests.map((r, i) => cardItemOf(`i${i}`, true, askOf(r), r.itemKey));
    if (!dryRun && (await ledger.claim(key, clock.now().toISOString(), items))) {
      await ledger.markUnreachable(key.id, NOBODY);
      newlyUnreachable.push(this.unreachableEntry(role, card, NOBODY));
    }
    const lines = card.requests.map((r) => this.line(plan, key.id, r, byKey, 'no-person', NOBODY, true));
    return {
      card: {
        planId: plan.id,
        promptId: key.id,
        recipient: role,
        name: role,
        itemKeys: items.map((i) => i.itemKey),
        shown: items.length,
        outcome: 'no-person',
        detail: NOBODY,
      },
      lines,
    };
  }

  private line(
    plan: StoredPlan,
    promptId: string,
    r: Request,
    byKey: Map<string, StoredItem>,
    outcome: string,
    detail: string | undefined,
    onCard: boolean,
  ): PromptLine {
    return {
      planId: plan.id,
      promptId,
      itemKey: r.itemKey,
      itemTitle: byKey.get(r.itemKey)?.title ?? r.itemTitle,
      reason: r.reason,
      ...(r.milestone ? { milestone: r.milestone } : {}),
      ...(r.daysUntil !== undefined ? { daysUntil: r.daysUntil } : {}),
      ...(r.period ? { period: r.period.label } : {}),
      role: r.roles.join(' / '),
      ...(r.person ? { person: { id: r.person.id, name: r.person.name } } : {}),
      ...(r.deputy ? { deputy: r.deputy } : {}),
      onCard,
      outcome,
      ...(detail ? { detail } : {}),
    };
  }

  /** Claims, builds, delivers and marks one person's card. */
  private async sendCard(
    plan: StoredPlan,
    byKey: Map<string, StoredItem>,
    planned: CardPlan,
    person: Recipient,
    dryRun: boolean,
    requested = false,
    known?: PersonRefs,
  ): Promise<{ card: CardLine; lines: PromptLine[] }> {
    const { ledger, clock } = this.deps;
    const first = planned.requests[0]!;
    const key: LedgerKey = requested
      ? {
          id: promptIdOf({
            planId: plan.id,
            itemKey: first.itemKey,
            milestone: '',
            reason: REASON_REQUESTED,
            personId: person.id,
            dateKey: planned.date,
          }),
          planId: plan.id,
          itemKey: first.itemKey,
          milestone: '',
          reason: REASON_REQUESTED,
          personId: person.id.toLowerCase(),
          personName: person.name,
          dateKey: planned.date,
        }
      : {
          id: promptIdOf({
            planId: plan.id,
            itemKey: CARD_ITEM,
            milestone: '',
            reason: REASON_CARD,
            personId: person.id,
            dateKey: planned.date,
          }),
          planId: plan.id,
          itemKey: CARD_ITEM,
          milestone: '',
          reason: REASON_CARD,
          personId: person.id.toLowerCase(),
          personName: person.name,
          dateKey: planned.date,
        };
    const requests = planned.requests.filter((r) => byKey.has(r.itemKey));
    const entries: CardEntry[] = requests.map((r, i) => ({
      item: byKey.get(r.itemKey)!,
      slot: `i${i}`,
      ask: requested ? { ...askOf(r), reason: 'requested' } : askOf(r),
      state: { kind: 'open' },
    }));
    const input: DailyCardInput = {
      plan,
      planId: plan.id,
      date: planned.date,
      promptId: key.id,
      entries,
      myActionsLink: this.deps.myActionsLink,
      deepLink: this.deps.links(plan.id),
    };
    const { shown } = fitDailyCard({ ...input, refreshUserIds: [SIZING_USER_ID] }, SEND_BUDGET_BYTES);
    const items = entries.map((e, i) => cardItemOf(e.slot, i < shown, e.ask, e.item.key));
    const result = (outcome: string, detail?: string) => ({
      card: {
        planId: plan.id,
        promptId: key.id,
        recipient: person.id,
        name: person.name,
        itemKeys: items.map((i) => i.itemKey),
        shown,
        outcome,
        ...(detail ? { detail } : {}),
      },
      lines: requests.map((r, i) => this.line(plan, key.id, r, byKey, outcome, detail, i < shown)),
    });
    if (dryRun) {
      const existing = await ledger.get(key.id);
      if (existing && !['failed', 'unreachable'].includes(existing.state)) return result('already-sent', existing.state);
      const reach = await this.delivery.reach(person, known);
      return reach.ok ? result('would-send') : result('unreachable', reach.why);
    }
    const onCard = entries.slice(0, shown);
    if (this.deps.sendQueue) return this.queueCard(key, items, person, planned.date, requests, entries, input, shown, result, known);
    if (!(await ledger.claim(key, clock.now().toISOString(), items))) return result('already-sent', (await ledger.get(key.id))?.state);
    const outcome: DeliveryOutcome = await this.delivery.deliver(
      person,
      deliveryRequest(plan.id, planned.date, requests, entries),
      (channel) =>
        fitDailyCard(
          {
            ...input,
            entries: onCard,
            more: entries.length - shown,
            ...(channel.teamsUserId ? { refreshUserIds: [channel.teamsUserId] } : {}),
          },
          SEND_BUDGET_BYTES,
        ).card,
    );
    await markOutcome(ledger, key.id, outcome);
    return result(outcome.outcome, outcome.outcome === 'sent' ? undefined : outcome.detail);
  }

  /**
   * STATE_STORE=azure: claims the card as `queued` and puts it on the send queue, built for the
   * person's chat as it is now; a worker in any instance sends it (bot/sendWorker.ts). People the
   * bot cannot reach are recorded at once, as in-process sending does.
   */
  private async queueCard(
    key: LedgerKey,
    items: CardItem[],
    person: Recipient,
    date: IsoDate,
    requests: CardPlan['requests'],
    entries: CardEntry[],
    input: DailyCardInput,
    shown: number,
    result: (outcome: string, detail?: string) => { card: CardLine; lines: PromptLine[] },
    known?: PersonRefs,
  ): Promise<{ card: CardLine; lines: PromptLine[] }> {
    const { ledger, clock } = this.deps;
    const reach = await this.delivery.reach(person, known);
    const claimed = await ledger.claim(key, clock.now().toISOString(), items, { queued: reach.ok });
    if (!claimed) {
      // Still queued from an earlier run: its message may have been lost (that run stopped between
      // claim and queue), so it goes on the queue again. A second message is harmless: only one
      // worker can take the card over, and the others find it taken and drop theirs.
      const state = (await ledger.get(key.id))?.state;
      if (state !== 'queued' || !reach.ok) return result('already-sent', state);
    } else if (!reach.ok) {
      await ledger.markUnreachable(key.id, reach.why);
      return result('unreachable', reach.why);
    }
    // No chat yet (the worker creates it, or e-mails them): the card goes without automatic refresh.
    const userId = reach.ref?.userId;
    const card = fitDailyCard(
      { ...input, entries: entries.slice(0, shown), more: entries.length - shown, ...(userId ? { refreshUserIds: [userId] } : {}) },
      SEND_BUDGET_BYTES,
    ).card;
    // The row as this claim wrote it, so the worker takes it over in one write (none when an earlier run claimed it).
    const token = claimed ? ledger.queuedToken(key.id) : undefined;
    try {
      await this.deps.sendQueue!.enqueue({
        cardId: key.id,
        planId: key.planId,
        date,
        person: { id: person.id, name: person.name, ...(person.email ? { email: person.email } : {}) },
        request: deliveryRequest(key.planId, date, requests, entries),
        card,
        ...(reach.ref ? { chat: reach.ref } : {}),
        ...(token ? { claimToken: token } : {}),
      });
    } catch (err) {
      // Nothing was sent: a later run claims it again.
      await ledger.markFailed(key.id, `could not be put on the send queue: ${(err as Error).message}`);
      return result('failed', 'could not be put on the send queue');
    }
    return claimed ? result('queued') : result('queued', QUEUED_AGAIN);
  }
}
