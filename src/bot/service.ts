/**
 * The bot's behaviour, independent of the HTTP edge: prompt runs (with the send ledger), answers to
 * prompt cards, the weekly digest, escalations to co-ordinators, 1:1 commands, and installs.
 * mount.ts feeds it activities from Teams; the scheduler and the CLI call its runs.
 */
import os from 'node:os';
import { formatInTimeZone } from 'date-fns-tz';
import type { Config } from '../config';
import { validateAnswer } from '../domain/answer';
import type { Clock } from '../domain/clock';
import { computeDigest, type DigestContent, type UnansweredPrompt, type UnreachableLead } from '../domain/digest';
import { computeEscalations, type Escalation } from '../domain/escalation';
import { foldText } from '../domain/identity';
import { roleKey } from '../domain/leads';
import type { IsoDate, StatusUpdate } from '../domain/model';
import {
  computePrompts,
  daysBetween,
  LONDON,
  londonDate,
  nextMilestone,
  overdueMilestone,
  promptIdOf,
  reasonForOffset,
  resolveLeads,
  weekdayOf,
  type Prompt,
  type UnresolvedLead,
  type WeekdayName,
} from '../domain/reminders';
import { ConflictError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { DirectoryEntry, PlanStore, StoredItem, StoredPlan } from '../store/planStore';
import {
  ACTION_DATA_KEYS,
  CARD_CONTENT_TYPE,
  planContentHash,
  VERB_RECORD,
  VERB_REFRESH,
  type Card,
  type PromptActionData,
} from './cards/common';
import { coordinatorCard, digestCard } from './cards/digestCard';
import { promptCard, REQUESTED_NO_MILESTONE } from './cards/promptCard';
import { receiptCard } from './cards/receiptCard';
import { refusalCard, type RefusalReason } from './cards/refusalCard';
import { channelHelpCard, helpCard, itemStatusCard, matchesCard, myActionsCard, type MyItem } from './cards/statusCards';
import { channelKey, personalKey, type ConversationRef, type ConversationStore } from './conversations';
import { isCoordinator, isLeadOf, needsUpn, rolesOf, type BotUser } from './identity';
import type { LedgerRow, SendLedger } from './ledger';
import { SendError, type ConversationTarget, type TeamsSender } from './sender';

/** How long a claim may stay unmarked before it is treated as a crash (see ledger.ts). */
export const CLAIM_LEASE_MS = 15 * 60_000;

/** Rounds of re-read and re-write when other answers to the same item keep getting in first. */
const ANSWER_ATTEMPTS = 5;

/** The same report: a replayed invoke (same person, same values) is recorded once. */
function sameReport(
  u: StatusUpdate,
  change: { to: string; by: string; note?: string; figures?: Record<number, number>; revisedDate?: string },
): boolean {
  const figures = (f?: Record<number, number>) => JSON.stringify(Object.entries(f ?? {}).sort(([a], [b]) => Number(a) - Number(b)));
  return (
    u.by === change.by &&
    u.to === change.to &&
    (u.note ?? '') === (change.note ?? '') &&
    (u.revisedDate ?? '') === (change.revisedDate ?? '') &&
    figures(u.figures) === figures(change.figures)
  );
}

/** Why a card action is not one the bot answers, naming what is wrong (type, verb or missing fields). */
function unknownAction(action: { type?: string; verb?: string } | undefined, ids: Record<string, string | undefined>): string {
  const instead = 'Report in the plan tab instead, or answer the next prompt the bot sends.';
  const quote = (v: unknown) => `"${String(v).slice(0, 40)}"`;
  if (!action || action.type !== 'Action.Execute')
    return `This is not a Delivery Plan card button (an Action.Execute; this is ${action?.type ? quote(action.type) : 'no action at all'}). ${instead}`;
  if (action.verb !== VERB_RECORD && action.verb !== VERB_REFRESH)
    return `${action.verb ? quote(action.verb) : 'An action with no verb'} is not something the Delivery Plan bot does (it knows ${VERB_RECORD} and ${VERB_REFRESH}). ${instead}`;
  const missing = Object.entries(ids)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return `This card has no ${missing.join(', ')} (as text), so the bot cannot tell which item it is about: it is damaged or was not sent by the Delivery Plan bot. ${instead}`;
}

const NOTICE_ITEM = '*';
const REASON_DIGEST = 'digest';
const REASON_ESCALATION = 'escalation';
const REASON_UNREACHABLE_NOTICE = 'notice: unreachable leads';

export interface BotServiceDeps {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  ledger: SendLedger;
  conversations: ConversationStore;
  sender: TeamsSender;
  /** The co-ordinator's per-plan settings from the tab; where a plan has none saved, the environment's. */
  settings?: PlanSettingsSource;
}

/** Per-plan settings as the tab saves them (src/store/settingsStore.ts). */
export interface PlanSettingsSource {
  get(planId: string): { reminderOffsets: number[]; digestDay: WeekdayName; digestHour: number; digestChannel: string; updatedAt?: string };
}

/** One line of a prompt run (or dry run). */
export interface PromptLine {
  planId: string;
  promptId: string;
  itemKey: string;
  itemTitle: string;
  milestone: IsoDate;
  reason: string;
  role: string;
  person?: { id: string; name: string };
  /** would-send | sent | already-sent | unreachable | no-person | failed | uncertain */
  outcome: string;
  detail?: string;
}

export interface PromptRunReport {
  date: IsoDate;
  dryRun: boolean;
  lines: PromptLine[];
  totals: Record<string, number>;
  /** Claims found unmarked from an earlier, interrupted run (not re-sent). */
  recovered: number;
}

export interface DigestRunReport {
  planId: string;
  date: IsoDate;
  content: DigestContent;
  card: Card;
  sentTo?: string;
  outcome: 'sent' | 'already-sent' | 'would-send' | 'no-channel' | 'failed';
  detail?: string;
}

/** An incoming Teams activity, as much of it as the bot reads. */
export interface IncomingActivity {
  type: string;
  name?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  serviceUrl: string;
  channelId?: string;
  action?: string;
  from: { id: string; name?: string; aadObjectId?: string };
  recipient: { id: string; name?: string };
  conversation: { id: string; conversationType?: string; tenantId?: string };
  channelData?: { tenant?: { id?: string }; team?: { id?: string }; eventType?: string; channel?: { id?: string } };
  membersAdded?: Array<{ id: string; aadObjectId?: string; name?: string }>;
  membersRemoved?: Array<{ id: string; aadObjectId?: string; name?: string }>;
  value?: { action?: { type?: string; verb?: string; data?: Record<string, unknown> }; trigger?: string };
}

export type CardActionResponse =
  | { statusCode: 200; type: typeof CARD_CONTENT_TYPE; value: Card }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

/** A message carrying one card; `summary` is the text a notification or a client without cards shows. */
function cardAttachment(card: Card, summary?: string): Record<string, unknown> {
  return { type: 'message', ...(summary ? { summary } : {}), attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] };
}

function ok(card: Card): CardActionResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
}

function targetOf(ref: ConversationRef): ConversationTarget {
  const t: ConversationTarget = { serviceUrl: ref.serviceUrl, conversationId: ref.conversationId };
  if (ref.tenantId) t.tenantId = ref.tenantId;
  if (ref.botId) t.botId = ref.botId;
  if (ref.botName) t.botName = ref.botName;
  return t;
}

export function defaultInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${Date.now().toString(36)}`;
}

export class BotService {
  private readonly pending = new Set<Promise<unknown>>();
  /** Personal references created (or re-created after removal) and not greeted yet. */
  private readonly newlyInstalled = new Set<string>();
  /** Card replacements in progress, per item (see inOrder). */
  private readonly replacing = new Map<string, Promise<void>>();

  constructor(private readonly deps: BotServiceDeps) {}

  private get log(): Logger {
    return this.deps.logger;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** Background work (replacing cards for other recipients) still running; tests and shutdown await it. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private background(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'background bot work failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Deep link to the plan tab (https://teams.microsoft.com/l/entity/<appId>/<entityId>?webUrl=…&label=…&context=…). */
  deepLink(planId?: string, channelId?: string): string | undefined {
    const { config } = this.deps;
    const appId = config.TEAMS_APP_ID ?? config.CLIENT_ID;
    const webUrl = `${(config.PUBLIC_URL ?? `http://localhost:${config.PORT || 3978}`).replace(/\/+$/, '')}/tab/`;
    // Without a Teams app id there is no Teams deep link: link the tab's web address instead.
    if (!appId) return webUrl;
    const context: Record<string, string> = {};
    if (planId) context.subEntityId = planId;
    if (channelId) context.channelId = channelId;
    const params = new URLSearchParams();
    params.set('webUrl', webUrl);
    params.set('label', 'Delivery plan');
    if (Object.keys(context).length > 0) params.set('context', JSON.stringify(context));
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${encodeURIComponent(config.TAB_ENTITY_ID)}?${params.toString().replace(/\+/g, '%20')}`;
  }

  /** Settings the co-ordinator saved in the tab for this plan, if any. */
  private saved(planId?: string): ReturnType<PlanSettingsSource['get']> | undefined {
    const settings = planId ? this.deps.settings?.get(planId) : undefined;
    return settings?.updatedAt ? settings : undefined;
  }

  /** Prompt offsets of a plan: saved in the tab, else PROMPT_OFFSETS_BY_PLAN[planId], else PROMPT_OFFSETS. */
  offsets(planId?: string): number[] {
    return (
      this.saved(planId)?.reminderOffsets ??
      (planId ? this.deps.config.PROMPT_OFFSETS_BY_PLAN[planId] : undefined) ??
      this.deps.config.PROMPT_OFFSETS
    );
  }

  /** The plan's digest day and hour (London): saved in the tab, else DIGEST_DAY / DIGEST_HOUR. */
  digestTime(planId?: string): { day: WeekdayName; hour: number } {
    const saved = this.saved(planId);
    return saved
      ? { day: saved.digestDay, hour: saved.digestHour }
      : { day: this.deps.config.DIGEST_DAY, hour: this.deps.config.DIGEST_HOUR };
  }

  /** Overdue items are prompted weekly on the plan's digest day. */
  private overdueWeekday(planId?: string): WeekdayName {
    return this.digestTime(planId).day;
  }

  private windowDays(planId?: string): number {
    return Math.max(0, ...this.offsets(planId));
  }

  // ---------------------------------------------------------------- prompts

  /**
   * The daily prompt run for `date` (London day). With `dryRun` nothing is claimed or sent; the report
   * says what would happen. Otherwise each prompt is claimed in the ledger, sent, and marked.
   */
  async runPrompts(date: IsoDate, options: { dryRun?: boolean; planId?: string } = {}): Promise<PromptRunReport> {
    const { store, ledger } = this.deps;
    const dryRun = options.dryRun ?? false;
    const lines: PromptLine[] = [];
    let recovered = 0;
    if (!dryRun) recovered = ledger.expireClaims(new Date(this.now().getTime() - CLAIM_LEASE_MS).toISOString()).length;
    const plans = (await store.listPlans()).filter((p) => !options.planId || p.id === options.planId);
    for (const plan of plans) {
      const [items, directory] = await Promise.all([store.listItems(plan.id), store.listDirectory(plan.id)]);
      const computed = computePrompts({
        planId: plan.id,
        items,
        directory,
        date,
        options: { offsets: this.offsets(plan.id), overdueWeekday: this.overdueWeekday(plan.id) },
      });
      const byKey = new Map(items.map((i) => [i.key, i]));
      const newlyUnreachable: UnreachableLead[] = [];
      for (const u of computed.unresolved) {
        const line = this.unresolvedLine(u, date);
        if (!dryRun) {
          const claimed = ledger.claim(
            {
              id: line.promptId,
              planId: plan.id,
              itemKey: u.itemKey,
              milestone: u.milestone,
              reason: u.reason,
              personId: `role:${u.role}`,
              personName: u.role,
              dateKey: date,
            },
            this.now().toISOString(),
          );
          if (claimed) {
            ledger.markUnreachable(line.promptId, 'nobody in the lead directory for this role');
            newlyUnreachable.push({
              who: u.role,
              itemKey: u.itemKey,
              itemTitle: u.itemTitle,
              why: 'nobody in the lead directory for this role',
            });
          }
        }
        lines.push(line);
      }
      for (const prompt of computed.prompts) {
        const item = byKey.get(prompt.itemKey)!;
        const line = await this.deliverPrompt(plan, item, prompt, dryRun);
        if (line.outcome === 'unreachable' && !dryRun)
          newlyUnreachable.push({
            who: prompt.person.name,
            itemKey: prompt.itemKey,
            itemTitle: prompt.itemTitle,
            why: line.detail ?? 'Teams cannot reach them',
          });
        lines.push(line);
      }
      if (!dryRun && newlyUnreachable.length > 0)
        await this.notifyCoordinators(plan, date, [], newlyUnreachable, REASON_UNREACHABLE_NOTICE);
    }
    const totals: Record<string, number> = {};
    for (const l of lines) totals[l.outcome] = (totals[l.outcome] ?? 0) + 1;
    const report = { date, dryRun, lines, totals, recovered };
    this.log.info({ date, dryRun, totals, recovered }, 'prompt run finished');
    return report;
  }

  /**
   * The tab's "Send prompt now": one prompt card for `itemKey` to each of its leads, straight away,
   * against the item's next (or overdue) milestone. Once per person per item per London day: a
   * second press the same day finds the ledger row and sends nothing more.
   */
  async promptNow(
    planId: string,
    itemKey: string,
    requestedBy: string,
  ): Promise<{ sent: number; alreadySent: number; unreachable: string[] }> {
    const { store } = this.deps;
    const [plan, item] = await Promise.all([store.getPlan(planId), store.getItem(planId, itemKey)]);
    if (!plan || !item) throw new NotFoundError(`No item "${itemKey}" in plan "${planId}".`);
    const date = londonDate(this.now());
    const milestone = nextMilestone(item, date) ?? overdueMilestone(item, date, 0) ?? item.milestones[item.milestones.length - 1];
    const daysUntil = milestone ? daysBetween(date, milestone) : 0;
    // "in 23 days", "due today" or overdue: the card words the milestone as the scheduled prompts do.
    const reason = !milestone ? REQUESTED_NO_MILESTONE : daysUntil < 0 ? 'overdue (requested)' : reasonForOffset(daysUntil);
    const { people, unresolved } = resolveLeads(item.leads, await store.listDirectory(planId));
    const result = {
      sent: 0,
      alreadySent: 0,
      unreachable: [...unresolved.map((role) => `${role}: nobody in the lead directory for this role`)],
    };
    for (const { person, roles } of people) {
      const prompt: Prompt = {
        id: promptIdOf({ planId, itemKey, milestone: milestone ?? date, reason, personId: person.id, dateKey: date }),
        planId,
        itemKey,
        itemTitle: item.title,
        milestone: milestone ?? date,
        reason,
        daysUntil,
        roles,
        person,
        dateKey: date,
      };
      const line = await this.deliverPrompt(plan, item, prompt, false);
      if (line.outcome === 'sent') result.sent++;
      else if (line.outcome === 'already-sent') result.alreadySent++;
      else result.unreachable.push(`${person.name}: ${line.detail ?? line.outcome}`);
    }
    this.log.info(
      { planId, itemKey, requestedBy, sent: result.sent, alreadySent: result.alreadySent, unreachable: result.unreachable.length },
      'prompt sent on request',
    );
    return result;
  }

  private unresolvedLine(u: UnresolvedLead, date: IsoDate): PromptLine {
    const promptId = promptIdOf({
      planId: u.planId,
      itemKey: u.itemKey,
      milestone: u.milestone,
      reason: u.reason,
      personId: `role:${u.role}`,
      dateKey: date,
    });
    return {
      planId: u.planId,
      promptId,
      itemKey: u.itemKey,
      itemTitle: u.itemTitle,
      milestone: u.milestone,
      reason: u.reason,
      role: u.role,
      outcome: 'no-person',
      detail: 'nobody in the lead directory for this role',
    };
  }

  private async deliverPrompt(plan: StoredPlan, item: StoredItem, prompt: Prompt, dryRun: boolean): Promise<PromptLine> {
    const { ledger, conversations, sender } = this.deps;
    const line: PromptLine = {
      planId: plan.id,
      promptId: prompt.id,
      itemKey: prompt.itemKey,
      itemTitle: prompt.itemTitle,
      milestone: prompt.milestone,
      reason: prompt.reason,
      role: prompt.roles.join(' / '),
      person: { id: prompt.person.id, name: prompt.person.name },
      outcome: 'would-send',
    };
    const ref =
      conversations.findPerson(prompt.person.id) ?? (prompt.person.email ? conversations.findPerson(prompt.person.email) : undefined);
    const unreachableWhy = !ref
      ? 'the app is not installed for them (no 1:1 conversation with the bot)'
      : ref.removedAt
        ? `they removed the app on ${londonDate(ref.removedAt)}`
        : undefined;
    const existing = ledger.get(prompt.id);
    if (dryRun) {
      if (existing && !['failed', 'unreachable'].includes(existing.state))
        return { ...line, outcome: 'already-sent', detail: existing.state };
      if (unreachableWhy) return { ...line, outcome: 'unreachable', detail: unreachableWhy };
      return line;
    }
    const claimed = ledger.claim(
      {
        id: prompt.id,
        planId: plan.id,
        itemKey: prompt.itemKey,
        milestone: prompt.milestone,
        reason: prompt.reason,
        personId: prompt.person.id.toLowerCase(),
        personName: prompt.person.name,
        dateKey: prompt.dateKey,
      },
      this.now().toISOString(),
    );
    if (!claimed) return { ...line, outcome: 'already-sent', detail: ledger.get(prompt.id)?.state };
    if (unreachableWhy || !ref) {
      ledger.markUnreachable(prompt.id, unreachableWhy ?? 'unreachable');
      this.log.warn({ planId: plan.id, itemKey: prompt.itemKey, person: prompt.person.id }, 'lead cannot be reached in Teams');
      return { ...line, outcome: 'unreachable', detail: unreachableWhy };
    }
    const card = promptCard({
      plan,
      item,
      milestone: prompt.milestone,
      reason: prompt.reason,
      promptId: prompt.id,
      ...(ref.userId ? { refreshUserIds: [ref.userId] } : {}),
    });
    try {
      const summary = `Update needed: ${prompt.itemTitle.slice(0, 80)} (${prompt.reason === 'due today' ? 'due today' : prompt.reason.startsWith('overdue') ? 'overdue' : prompt.reason === REQUESTED_NO_MILESTONE ? 'ongoing' : `due in ${prompt.reason}`})`;
      const sent = await sender.send(targetOf(ref), cardAttachment(card, summary));
      ledger.markSent(prompt.id, {
        at: this.now().toISOString(),
        conversationId: ref.conversationId,
        serviceUrl: ref.serviceUrl,
        ...(sent.id ? { activityId: sent.id } : {}),
        itemVersion: item.version,
      });
      return { ...line, outcome: 'sent' };
    } catch (err) {
      return { ...line, ...this.recordSendFailure(prompt.id, err) };
    }
  }

  private recordSendFailure(ledgerId: string, err: unknown): { outcome: string; detail: string } {
    const { ledger } = this.deps;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof SendError && err.unreachable) {
      ledger.markUnreachable(ledgerId, message);
      this.log.warn({ ledgerId, status: err.status }, 'Teams says the person cannot be reached');
      return { outcome: 'unreachable', detail: message };
    }
    if (err instanceof SendError && err.delivered === 'no') {
      ledger.markFailed(ledgerId, message);
      this.log.error({ ledgerId, status: err.status }, 'send failed; a later run may retry');
      return { outcome: 'failed', detail: message };
    }
    ledger.markUncertain(ledgerId, message);
    this.log.error({ ledgerId }, 'send may or may not have been delivered; not retried');
    return { outcome: 'uncertain', detail: message };
  }

  // ---------------------------------------------------------------- answers

  /** Handles an `adaptiveCard/action` invoke: records an answer (verb recordStatus) or refreshes a card. */
  async handleCardAction(activity: IncomingActivity): Promise<CardActionResponse> {
    const action = activity.value?.action;
    const data = (action?.data ?? {}) as Record<string, unknown>;
    const planId = typeof data.planId === 'string' ? data.planId : undefined;
    const itemKey = typeof data.itemKey === 'string' ? data.itemKey : undefined;
    const version = typeof data.version === 'string' ? data.version : undefined;
    if (
      !action ||
      action.type !== 'Action.Execute' ||
      !planId ||
      !itemKey ||
      !version ||
      (action.verb !== VERB_RECORD && action.verb !== VERB_REFRESH)
    ) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: unknownAction(action, { planId, itemKey, version }) },
      };
    }
    const actionData: PromptActionData = {
      planId,
      itemKey,
      version,
      ...(typeof data.promptId === 'string' ? { promptId: data.promptId } : {}),
      ...(typeof data.content === 'string' ? { content: data.content } : {}),
      ...(typeof data.seen === 'string' ? { seen: data.seen } : {}),
    };
    const { store } = this.deps;
    const [plan, item] = await Promise.all([store.getPlan(planId), store.getItem(planId, itemKey)]);
    const prompt = actionData.promptId ? this.deps.ledger.get(actionData.promptId) : undefined;
    const refreshUserIds = [activity.from.id];
    if (action.verb === VERB_REFRESH) {
      if (!item) return ok(refusalCard({ reason: { kind: 'not-found' }, values: {} }));
      if (item.version !== version && item.lastUpdate) return ok(receiptCard({ ...(plan ? { plan } : {}), item, ...this.linkFor(planId) }));
      return ok(
        promptCard({
          ...(plan ? { plan } : {}),
          item,
          ...(prompt ? { milestone: prompt.milestone, reason: prompt.reason } : {}),
          ...(actionData.promptId ? { promptId: actionData.promptId } : {}),
          refreshUserIds,
        }),
      );
    }

    // No prototype: a "__proto__" key in the card data stays a key, not the source of inherited values.
    const values = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) if (!ACTION_DATA_KEYS.includes(k)) values[k] = v;
    const refuse = (reason: RefusalReason, current?: StoredItem): CardActionResponse => {
      this.log.info({ planId, itemKey, refused: reason.kind }, 'answer not recorded');
      return ok(
        refusalCard({
          ...(plan ? { plan } : {}),
          ...(current ? { item: current } : {}),
          reason,
          values,
          ...(prompt ? { milestone: prompt.milestone, promptReason: prompt.reason } : {}),
          ...(actionData.promptId ? { promptId: actionData.promptId } : {}),
          // No `refresh` on a refusal: an automatic refresh would replace the values it keeps.
        }),
      );
    };
    if (!item) return refuse({ kind: 'not-found' });

    const directory = await store.listDirectory(planId);
    const user = await this.identify(activity, directory);
    if (!isLeadOf(user, item, directory) && !isCoordinator(user, this.deps.config.COORDINATOR_IDS))
      return refuse({ kind: 'forbidden' }, item);

    const now = this.now();
    const by = user.name || user.upn || user.id;
    let current = item;
    for (let attempt = 1; ; attempt++) {
      // Stale first: the person should see what changed before being asked to fix their values.
      const stale = current.version === version ? undefined : this.staleness(current, actionData, prompt);
      if (stale) return refuse(stale, current);
      const result = validateAnswer(values, current.outputs, londonDate(now));
      if (!result.ok) return refuse({ kind: 'invalid', problems: result.problems.map((p) => p.message) }, current);
      const change = {
        to: result.answer.rag,
        by,
        at: now.toISOString(),
        ...(result.answer.note ? { note: result.answer.note } : {}),
        ...(result.answer.figures ? { figures: result.answer.figures } : {}),
        ...(result.answer.revisedDate ? { revisedDate: result.answer.revisedDate } : {}),
      };

      // Reports recorded since the card was made: the same answer replayed, or other leads' reports.
      let earlier: StatusUpdate[] = [];
      if (current.version !== version) {
        const since = (await store.history(planId, itemKey)).filter((u) => u.at > (actionData.seen ?? ''));
        if (since.some((u) => sameReport(u, change))) {
          this.log.info({ planId, itemKey }, 'answer replayed; already recorded, not recorded twice');
          return ok(receiptCard({ ...(plan ? { plan } : {}), item: current, ...this.linkFor(planId) }));
        }
        earlier = since.filter((u) => u.by !== by);
      }

      let updated: StoredItem;
      try {
        updated = await store.updateStatus(planId, itemKey, change, current.version);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Another answer got in between our read and our write: read again and decide again.
        const again = await store.getItem(planId, itemKey);
        if (!again) return refuse({ kind: 'not-found' });
        if (attempt >= ANSWER_ATTEMPTS)
          return refuse({ kind: 'stale', why: 'reported', ...(again.lastUpdate ? { by: again.lastUpdate.by } : {}) }, again);
        current = again;
        continue;
      }
      this.log.info(
        { planId, itemKey, rag: result.answer.rag, after: earlier.length },
        earlier.length > 0 ? 'answer recorded after a report by another lead' : 'answer recorded',
      );
      const before = earlier.length > 0 ? { earlier: earlier.map((u) => ({ by: u.by, to: u.to, at: u.at })) } : {};
      const receipt = receiptCard({ ...(plan ? { plan } : {}), item: updated, ...this.linkFor(planId), ...before, toAnswerer: true });
      // Every open prompt card for this item (every recipient, every day) becomes the receipt; after a
      // race, so do the cards the earlier report just replaced, so that none shows only the earlier one.
      const open = this.deps.ledger.markAnswered(planId, itemKey, now.toISOString(), by);
      const raced = earlier.length > 0 ? this.deps.ledger.answeredSince(planId, itemKey, earlier.map((u) => u.at).sort()[0]!) : [];
      const rows = [...open, ...raced.filter((r) => !open.some((o) => o.id === r.id))];
      const forOthers = receiptCard({ ...(plan ? { plan } : {}), item: updated, ...this.linkFor(planId), ...before });
      this.inOrder(`${planId}|${itemKey}`, () => this.replaceCards(rows, forOthers));
      return ok(receipt);
    }
  }

  /**
   * Why a card whose item version is no longer current must not be answered, or undefined when the
   * change since it was sent is only other status reports (then the answer is recorded after them).
   */
  private staleness(current: StoredItem, data: PromptActionData, prompt: LedgerRow | undefined): RefusalReason | undefined {
    const reported = { ...(current.lastUpdate ? { by: current.lastUpdate.by, at: current.lastUpdate.at } : {}) };
    // A card made before cards carried a content fingerprint cannot tell: any change is stale.
    if (data.content === undefined) return { kind: 'stale', why: 'reported', ...reported };
    if (planContentHash(current) !== data.content) return { kind: 'stale', why: 'changed' };
    if (prompt && this.deps.ledger.newerPrompt(prompt)) return { kind: 'stale', why: 'superseded' };
    return undefined;
  }

  /** Runs card replacements for one item one after another, so the latest receipt is the one left showing. */
  private inOrder(key: string, work: () => Promise<void>): void {
    const previous = this.replacing.get(key) ?? Promise.resolve();
    const next = previous.then(work);
    const settled = next.catch(() => undefined);
    this.replacing.set(key, settled);
    void settled.then(() => {
      if (this.replacing.get(key) === settled) this.replacing.delete(key);
    });
    this.background(next);
  }

  private linkFor(planId: string): { deepLink?: string } {
    const link = this.deepLink(planId || undefined);
    return link ? { deepLink: link } : {};
  }

  private async replaceCards(
    rows: Array<{ id: string; conversationId?: string; serviceUrl?: string; activityId?: string }>,
    card: Card,
  ): Promise<void> {
    for (const row of rows) {
      if (!row.conversationId || !row.serviceUrl || !row.activityId) continue;
      const ref = this.deps.conversations.findPersonByConversation(row.conversationId);
      const target: ConversationTarget = ref ? targetOf(ref) : { serviceUrl: row.serviceUrl, conversationId: row.conversationId };
      try {
        await this.deps.sender.update(target, row.activityId, cardAttachment(card));
      } catch (err) {
        this.log.warn({ ledgerId: row.id, err: (err as Error).message }, 'could not replace a prompt card with the receipt');
      }
    }
  }

  private async identify(activity: IncomingActivity, directory: readonly DirectoryEntry[]): Promise<BotUser> {
    const user: BotUser = {
      id: activity.from.id,
      name: activity.from.name ?? activity.from.id,
      ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
    };
    if (needsUpn(user, this.deps.config.COORDINATOR_IDS, directory)) {
      const member = await this.deps.sender.member(
        { serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id },
        activity.from.id,
      );
      if (member?.userPrincipalName) user.upn = member.userPrincipalName;
      else if (member?.email) user.upn = member.email;
      if (!user.aadObjectId && member?.aadObjectId) user.aadObjectId = member.aadObjectId;
    }
    return user;
  }

  // ---------------------------------------------------------------- digest and escalations

  private async planFacts(
    plan: StoredPlan,
    date: IsoDate,
  ): Promise<{ items: StoredItem[]; history: StatusUpdate[]; unanswered: UnansweredPrompt[]; unreachable: UnreachableLead[] }> {
    const { store, ledger } = this.deps;
    const [items, history] = await Promise.all([store.listItems(plan.id), store.history(plan.id)]);
    const byKey = new Map(items.map((i) => [i.key, i]));
    const since = new Date(Date.parse(`${date}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    const rows = ledger.between(plan.id, since, date);
    const unanswered: UnansweredPrompt[] = [];
    const unreachable: UnreachableLead[] = [];
    for (const r of rows) {
      if (r.itemKey === NOTICE_ITEM) {
        if (r.state === 'unreachable' || r.state === 'failed')
          unreachable.push({ who: r.personName, why: `${r.reason} not delivered: ${r.detail ?? r.state}` });
        continue;
      }
      const item = byKey.get(r.itemKey);
      if (r.state === 'sent' && !r.answeredAt && item && r.dateKey < date) {
        const answeredElsewhere = item.lastUpdate && r.sentAt && item.lastUpdate.at > r.sentAt;
        if (!answeredElsewhere)
          unanswered.push({ personId: r.personId, personName: r.personName, itemKey: r.itemKey, itemTitle: item.title, sentOn: r.dateKey });
      }
      // Sends that went wrong at Teams (the live directory/install state is added below).
      if (r.state === 'uncertain' || r.state === 'failed' || (r.state === 'unreachable' && (r.detail ?? '').includes('Teams answered'))) {
        unreachable.push({
          who: r.personName,
          itemKey: r.itemKey,
          ...(item ? { itemTitle: item.title } : {}),
          why: r.state === 'uncertain' ? 'a prompt may not have arrived (interrupted send)' : (r.detail ?? r.state),
        });
      }
    }
    unreachable.push(...(await this.unreachableLeads(plan, items)));
    return { items, history, unanswered, unreachable };
  }

  /** Lead roles of open items with nobody in the directory, and leads the bot has no 1:1 chat with. */
  async unreachableLeads(plan: StoredPlan, items: readonly StoredItem[]): Promise<UnreachableLead[]> {
    const directory = await this.deps.store.listDirectory(plan.id);
    const byRole = new Map(directory.map((e) => [roleKey(e.role), e]));
    const roles = new Map<string, string>();
    for (const item of items) if (item.status !== 'complete') for (const l of item.leads) roles.set(roleKey(l), l);
    const out: UnreachableLead[] = [];
    const seen = new Set<string>();
    for (const [folded, role] of roles) {
      const entry = byRole.get(folded);
      if (!entry || entry.people.length === 0) {
        out.push({ who: role, why: 'nobody in the lead directory for this role' });
        continue;
      }
      for (const person of entry.people) {
        if (seen.has(person.id.toLowerCase())) continue;
        seen.add(person.id.toLowerCase());
        const ref =
          this.deps.conversations.findPerson(person.id) ?? (person.email ? this.deps.conversations.findPerson(person.email) : undefined);
        if (!ref) out.push({ who: person.name, why: 'the app is not installed for them (no 1:1 chat with the bot)' });
        else if (ref.removedAt) out.push({ who: person.name, why: `removed the app on ${londonDate(ref.removedAt)}` });
      }
    }
    return out;
  }

  /** The digest for one plan at `now` (content and card), without sending it. */
  async buildDigest(plan: StoredPlan, now: Date): Promise<{ content: DigestContent; card: Card }> {
    const date = londonDate(now);
    const facts = await this.planFacts(plan, date);
    const channel = this.digestChannel(plan.id);
    const link = this.deepLink(plan.id, channel?.conversationId);
    const content = computeDigest({
      planTitle: `${plan.plan.organisation} ${plan.plan.title}`,
      items: facts.items,
      history: facts.history,
      now,
      unanswered: facts.unanswered,
      unreachable: facts.unreachable,
      ...(link ? { deepLink: link } : {}),
      windowDays: this.windowDays(plan.id),
    });
    return { content, card: digestCard(content) };
  }

  /** The channel conversation id the plan's digest goes to, if one is named (tab settings, else DIGEST_CONVERSATION_ID). */
  private digestChannelId(planId: string): string | undefined {
    return this.saved(planId)?.digestChannel || this.deps.config.DIGEST_CONVERSATION_ID || undefined;
  }

  private digestChannel(planId: string): ConversationRef | undefined {
    const named = this.digestChannelId(planId);
    if (named) return this.deps.conversations.get(channelKey(named));
    return this.deps.conversations.channels()[0];
  }

  /**
   * The weekly run: each plan's digest to the channel, and escalations to the co-ordinators. With
   * `onlyDue` (the scheduler's hourly tick) only plans whose digest day has come and whose hour has
   * passed; the ledger makes every later tick that day a no-op.
   */
  async runDigest(now: Date, options: { dryRun?: boolean; planId?: string; onlyDue?: boolean } = {}): Promise<DigestRunReport[]> {
    const { store, ledger } = this.deps;
    const date = londonDate(now);
    const hour = Number(formatInTimeZone(now, LONDON, 'H'));
    const reports: DigestRunReport[] = [];
    const plans = (await store.listPlans()).filter((p) => {
      if (options.planId && p.id !== options.planId) return false;
      if (!options.onlyDue) return true;
      const due = this.digestTime(p.id);
      return weekdayOf(date) === due.day && hour >= due.hour;
    });
    for (const plan of plans) {
      const { content, card } = await this.buildDigest(plan, now);
      const channel = this.digestChannel(plan.id);
      const report: DigestRunReport = { planId: plan.id, date, content, card, outcome: 'would-send' };
      if (options.dryRun) {
        if (!channel) report.outcome = 'no-channel';
        reports.push(report);
        continue;
      }
      if (!channel) {
        report.outcome = 'no-channel';
        const named = this.digestChannelId(plan.id);
        report.detail = named ? `the app has no reference for channel ${named}` : 'the app is not installed in any team channel';
        this.log.error({ planId: plan.id }, `weekly digest not posted: ${report.detail}; sending it to the co-ordinators instead`);
        await this.notifyCoordinators(plan, date, [], [], REASON_DIGEST, card);
      } else {
        const id = promptIdOf({
          planId: plan.id,
          itemKey: NOTICE_ITEM,
          milestone: '',
          reason: REASON_DIGEST,
          personId: channel.key,
          dateKey: date,
        });
        if (
          !ledger.claim(
            {
              id,
              planId: plan.id,
              itemKey: NOTICE_ITEM,
              milestone: '',
              reason: REASON_DIGEST,
              personId: channel.key,
              personName: 'plan channel',
              dateKey: date,
            },
            now.toISOString(),
          )
        ) {
          report.outcome = 'already-sent';
        } else {
          try {
            const sent = await this.deps.sender.send(targetOf(channel), cardAttachment(card, `Weekly digest: ${plan.plan.title}`));
            ledger.markSent(id, {
              at: now.toISOString(),
              conversationId: channel.conversationId,
              serviceUrl: channel.serviceUrl,
              ...(sent.id ? { activityId: sent.id } : {}),
            });
            report.outcome = 'sent';
            report.sentTo = channel.conversationId;
          } catch (err) {
            const failure = this.recordSendFailure(id, err);
            report.outcome = 'failed';
            report.detail = failure.detail;
          }
        }
      }
      await this.runEscalations(plan, now);
      reports.push(report);
    }
    return reports;
  }

  /** Items overdue or Red for two weeks, listed to every co-ordinator. */
  async runEscalations(plan: StoredPlan, now: Date): Promise<Escalation[]> {
    const date = londonDate(now);
    const [items, history] = await Promise.all([this.deps.store.listItems(plan.id), this.deps.store.history(plan.id)]);
    const escalations = computeEscalations({ items, history, date, windowDays: this.windowDays(plan.id) });
    const facts = await this.planFacts(plan, date);
    if (escalations.length > 0 || facts.unreachable.length > 0)
      await this.notifyCoordinators(plan, date, escalations, facts.unreachable, REASON_ESCALATION);
    return escalations;
  }

  private async notifyCoordinators(
    plan: StoredPlan,
    date: IsoDate,
    escalations: Escalation[],
    unreachable: UnreachableLead[],
    reason: string,
    cardOverride?: Card,
  ): Promise<void> {
    const { config, conversations, ledger, sender } = this.deps;
    const card =
      cardOverride ??
      coordinatorCard({
        planTitle: `${plan.plan.organisation} ${plan.plan.title}`,
        date,
        escalations,
        unreachable: unreachable.map((u) => ({ who: u.who, ...(u.itemTitle ? { itemTitle: u.itemTitle } : {}), why: u.why })),
        ...this.linkFor(plan.id),
      });
    if (config.COORDINATOR_IDS.length === 0) {
      this.log.error(
        { planId: plan.id, reason, escalations: escalations.length, unreachable: unreachable.length },
        'no co-ordinator configured (COORDINATOR_IDS): this notice goes nowhere but the log and the digest',
      );
      return;
    }
    for (const coordinator of config.COORDINATOR_IDS) {
      const ref = conversations.findPerson(coordinator);
      const id = promptIdOf({ planId: plan.id, itemKey: NOTICE_ITEM, milestone: '', reason, personId: coordinator, dateKey: date });
      const key = {
        id,
        planId: plan.id,
        itemKey: NOTICE_ITEM,
        milestone: '',
        reason,
        personId: coordinator.toLowerCase(),
        personName: ref?.name ?? coordinator,
        dateKey: date,
      };
      if (!ledger.claim(key, this.now().toISOString())) continue;
      if (!ref || ref.removedAt) {
        ledger.markUnreachable(id, ref ? 'the co-ordinator removed the app' : 'the app is not installed for the co-ordinator');
        this.log.error({ planId: plan.id, reason }, 'a co-ordinator cannot be reached in Teams');
        continue;
      }
      try {
        const sent = await sender.send(targetOf(ref), cardAttachment(card));
        ledger.markSent(id, {
          at: this.now().toISOString(),
          conversationId: ref.conversationId,
          serviceUrl: ref.serviceUrl,
          ...(sent.id ? { activityId: sent.id } : {}),
        });
      } catch (err) {
        this.recordSendFailure(id, err);
      }
    }
  }

  // ---------------------------------------------------------------- conversation events and commands

  /** Stores (or refreshes) the reference of the conversation an activity came from. */
  remember(activity: IncomingActivity): ConversationRef | undefined {
    const at = this.now().toISOString();
    const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    const base = {
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      botId: activity.recipient.id,
      ...(activity.recipient.name ? { botName: activity.recipient.name } : {}),
      ...(tenantId ? { tenantId } : {}),
    };
    const type = activity.conversation.conversationType ?? 'personal';
    if (type === 'personal') {
      const key = personalKey(activity.from);
      const before = this.deps.conversations.get(key);
      if (!before || before.removedAt) this.newlyInstalled.add(key);
      this.deps.conversations.save(
        {
          key,
          kind: 'personal',
          userId: activity.from.id,
          ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
          ...(activity.from.name ? { name: activity.from.name } : {}),
          ...base,
        },
        at,
      );
      const ref = this.deps.conversations.get(key);
      if (ref && !ref.upn) {
        // Co-ordinators and directory entries may be UPNs: learn this person's once.
        this.background(
          this.deps.sender
            .member({ serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id }, activity.from.id)
            .then((m) => {
              const upn = m?.userPrincipalName ?? m?.email;
              if (upn) this.deps.conversations.setUpn(key, upn);
            }),
        );
      }
      return ref;
    }
    if (type === 'channel') {
      // The digest goes to the team's General channel (its id is the team id) unless configured otherwise.
      const teamId = activity.channelData?.team?.id;
      const conversationId = teamId ?? activity.conversation.id.split(';')[0]!;
      const key = channelKey(conversationId);
      this.deps.conversations.save({ key, kind: 'channel', ...base, conversationId, ...(teamId ? { teamId } : {}) }, at);
      return this.deps.conversations.get(key);
    }
    return undefined;
  }

  /** The app was removed (personal or team scope): nothing more is sent there. */
  forget(activity: IncomingActivity): void {
    const at = this.now().toISOString();
    const type = activity.conversation.conversationType ?? 'personal';
    const key =
      type === 'personal'
        ? personalKey(activity.from)
        : channelKey(activity.channelData?.team?.id ?? activity.conversation.id.split(';')[0]!);
    const removed = this.deps.conversations.markRemoved(key, at);
    this.log.info({ kind: type, removed }, 'app removed from a conversation');
  }

  /**
   * Says hello once per install: a personal install brings both an installationUpdate and a
   * conversationUpdate, and only the first of them (the one that created the reference) greets.
   */
  async welcome(activity: IncomingActivity): Promise<void> {
    if ((activity.conversation.conversationType ?? 'personal') !== 'personal') return;
    const key = personalKey(activity.from);
    if (!this.newlyInstalled.delete(key)) return;
    await this.reply(activity, helpCard());
  }

  async reply(activity: IncomingActivity, card: Card): Promise<void> {
    const target: ConversationTarget = {
      serviceUrl: activity.serviceUrl,
      conversationId: activity.conversation.id,
      botId: activity.recipient.id,
      ...(activity.recipient.name ? { botName: activity.recipient.name } : {}),
    };
    const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    if (tenantId) target.tenantId = tenantId;
    await this.deps.sender.send(target, { ...cardAttachment(card), ...(activity.id ? { replyToId: activity.id } : {}) });
  }

  /** A 1:1 message: help, my actions, status <item>. Returns the card replied with. */
  async handleMessage(activity: IncomingActivity): Promise<Card> {
    this.remember(activity);
    const text = (activity.text ?? '')
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const lower = text.toLowerCase();
    let card: Card;
    if (/^(my actions|my items|mine)$/.test(lower)) card = await this.myActions(activity);
    else if (/^status\b/.test(lower)) card = await this.status(text.slice('status'.length).trim());
    else card = helpCard();
    await this.reply(activity, card);
    return card;
  }

  /** A message in a team (the bot was @mentioned): remember the team; `help` says what the bot posts there. */
  async handleChannelMessage(activity: IncomingActivity): Promise<Card | undefined> {
    this.remember(activity);
    const text = (activity.text ?? '')
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
    if (text !== 'help' && text !== '') return undefined;
    const { config } = this.deps;
    const card = channelHelpCard({ day: config.DIGEST_DAY, hour: config.DIGEST_HOUR, ...this.linkFor('') });
    await this.reply(activity, card);
    return card;
  }

  private async myActions(activity: IncomingActivity): Promise<Card> {
    const { store } = this.deps;
    const date = londonDate(this.now());
    const mine: MyItem[] = [];
    let name = activity.from.name ?? activity.from.id;
    for (const plan of await store.listPlans()) {
      const directory = await store.listDirectory(plan.id);
      const user = await this.identify(activity, directory);
      name = user.name;
      const roles = new Set(rolesOf(user, directory).map(roleKey));
      if (roles.size === 0) continue;
      for (const item of await store.listItems(plan.id)) {
        if (!item.leads.some((l) => roles.has(roleKey(l)))) continue;
        const next = nextMilestone(item, date);
        const overdue = overdueMilestone(item, date, this.windowDays(plan.id));
        mine.push({ plan, item, ...(next ? { next } : {}), ...(overdue ? { overdue } : {}) });
      }
    }
    mine.sort(
      (a, b) =>
        (a.overdue ? 0 : 1) - (b.overdue ? 0 : 1) ||
        (a.next ?? '9999').localeCompare(b.next ?? '9999') ||
        a.item.title.localeCompare(b.item.title),
    );
    return myActionsCard(name, mine);
  }

  private async status(query: string): Promise<Card> {
    const { store } = this.deps;
    if (!query) return helpCard();
    const date = londonDate(this.now());
    const folded = foldText(query);
    const matches: Array<{ plan: StoredPlan; item: StoredItem }> = [];
    for (const plan of await store.listPlans()) {
      for (const item of await store.listItems(plan.id)) {
        if (item.key.toLowerCase() === folded) return itemStatusCard(plan, item, nextMilestone(item, date));
        if (foldText(item.title).includes(folded)) matches.push({ plan, item });
      }
    }
    if (matches.length === 1) return itemStatusCard(matches[0]!.plan, matches[0]!.item, nextMilestone(matches[0]!.item, date));
    if (matches.length === 0) return matchesCard(query, []);
    return matchesCard(
      query,
      matches.map((m) => m.item),
    );
  }
}
