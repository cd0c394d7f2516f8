/**
 * The daily prompt run (and "Send prompt now"): who is due a card today, each prompt claimed in the
 * send ledger before it is sent and marked after, so that nothing is sent twice by re-runs,
 * restarts or a second instance. Leads nobody can reach are reported to the co-ordinators.
 */
import { daysBetween, londonDate } from '../domain/calendar';
import type { UnreachableLead } from '../domain/digest';
import { nextMilestone, overdueMilestone } from '../domain/milestones';
import type { IsoDate } from '../domain/model';
import { computePrompts, promptIdOf, reasonForOffset, resolveLeads, type Prompt, type UnresolvedLead } from '../domain/reminders';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { StoredItem, StoredPlan } from '../store/planStore';
import { cardAttachment, targetOf } from './activity';
import type { BotDeps } from './botDeps';
import { promptCard, REQUESTED_NO_MILESTONE } from './cards/promptCard';
import type { CoordinatorNotices } from './coordinatorNotices';
import { recordSendFailure } from './sendOutcome';

/** How long a claim may stay unmarked before it is treated as a crash (see ledger.ts). */
export const CLAIM_LEASE_MS = 15 * 60_000;

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

const NOBODY = 'nobody in the lead directory for this role';

/** The notification text of a prompt: "Update needed: <title> (due in 14 days)". */
function promptSummary(prompt: Prompt): string {
  const when =
    prompt.reason === 'due today'
      ? 'due today'
      : prompt.reason.startsWith('overdue')
        ? 'overdue'
        : prompt.reason === REQUESTED_NO_MILESTONE
          ? 'ongoing'
          : `due in ${prompt.reason}`;
  return `Update needed: ${prompt.itemTitle.slice(0, 80)} (${when})`;
}

export class PromptRun {
  private readonly log: Logger;

  constructor(
    private readonly deps: BotDeps,
    private readonly notices: CoordinatorNotices,
  ) {
    this.log = deps.logger.child({ component: 'promptRun' });
  }

  /**
   * The daily prompt run for `date` (London day). With `dryRun` nothing is claimed or sent; the report
   * says what would happen. Otherwise each prompt is claimed in the ledger, sent, and marked.
   */
  async run(date: IsoDate, options: { dryRun?: boolean; planId?: string } = {}): Promise<PromptRunReport> {
    const { store, ledger, clock, settings } = this.deps;
    const dryRun = options.dryRun ?? false;
    const lines: PromptLine[] = [];
    let recovered = 0;
    if (!dryRun) recovered = ledger.expireClaims(new Date(clock.now().getTime() - CLAIM_LEASE_MS).toISOString()).length;
    const plans = (await store.listPlans()).filter((p) => !options.planId || p.id === options.planId);
    for (const plan of plans) {
      const [items, directory, planSettings] = await Promise.all([
        store.listItems(plan.id),
        store.listDirectory(plan.id),
        settings.settingsFor(plan.id),
      ]);
      const computed = computePrompts({
        planId: plan.id,
        items,
        directory,
        date,
        options: { offsets: planSettings.reminderOffsets, overdueWeekday: planSettings.digestDay },
      });
      const byKey = new Map(items.map((i) => [i.key, i]));
      const newlyUnreachable: UnreachableLead[] = [];
      for (const u of computed.unresolved) {
        const line = this.unresolvedLine(u, date);
        if (!dryRun && this.claimUnresolved(plan, u, line, date)) {
          newlyUnreachable.push({ who: u.role, itemKey: u.itemKey, itemTitle: u.itemTitle, why: NOBODY });
        }
        lines.push(line);
      }
      for (const prompt of computed.prompts) {
        const line = await this.deliver(plan, byKey.get(prompt.itemKey)!, prompt, dryRun);
        if (line.outcome === 'unreachable' && !dryRun) {
          newlyUnreachable.push({
            who: prompt.person.name,
            itemKey: prompt.itemKey,
            itemTitle: prompt.itemTitle,
            why: line.detail ?? 'Teams cannot reach them',
          });
        }
        lines.push(line);
      }
      if (!dryRun && newlyUnreachable.length > 0) await this.notices.unreachable(plan, date, newlyUnreachable);
    }
    const totals: Record<string, number> = {};
    for (const l of lines) totals[l.outcome] = (totals[l.outcome] ?? 0) + 1;
    this.log.info({ date, dryRun, totals, recovered }, 'prompt run finished');
    return { date, dryRun, lines, totals, recovered };
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
    const { store, clock } = this.deps;
    const [plan, item] = await Promise.all([store.getPlan(planId), store.getItem(planId, itemKey)]);
    if (!plan || !item) throw new NotFoundError(`No item "${itemKey}" in plan "${planId}".`);
    const date = londonDate(clock.now());
    const milestone = nextMilestone(item, date) ?? overdueMilestone(item, date, 0) ?? item.milestones[item.milestones.length - 1];
    const daysUntil = milestone ? daysBetween(date, milestone) : 0;
    // "in 23 days", "due today" or overdue: the card words the milestone as the scheduled prompts do.
    const reason = !milestone ? REQUESTED_NO_MILESTONE : daysUntil < 0 ? 'overdue (requested)' : reasonForOffset(daysUntil);
    const { people, unresolved } = resolveLeads(item.leads, await store.listDirectory(planId));
    const result = { sent: 0, alreadySent: 0, unreachable: [...unresolved.map((role) => `${role}: ${NOBODY}`)] };
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
      const line = await this.deliver(plan, item, prompt, false);
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
      detail: NOBODY,
    };
  }

  /** Records once per day that a role had nobody to prompt; true the first time. */
  private claimUnresolved(plan: StoredPlan, u: UnresolvedLead, line: PromptLine, date: IsoDate): boolean {
    const { ledger, clock } = this.deps;
    const key = {
      id: line.promptId,
      planId: plan.id,
      itemKey: u.itemKey,
      milestone: u.milestone,
      reason: u.reason,
      personId: `role:${u.role}`,
      personName: u.role,
      dateKey: date,
    };
    if (!ledger.claim(key, clock.now().toISOString())) return false;
    ledger.markUnreachable(line.promptId, NOBODY);
    return true;
  }

  private async deliver(plan: StoredPlan, item: StoredItem, prompt: Prompt, dryRun: boolean): Promise<PromptLine> {
    const { ledger, conversations, sender, clock } = this.deps;
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
      clock.now().toISOString(),
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
      const sent = await sender.send(targetOf(ref), cardAttachment(card, promptSummary(prompt)));
      ledger.markSent(prompt.id, {
        at: clock.now().toISOString(),
        conversationId: ref.conversationId,
        serviceUrl: ref.serviceUrl,
        ...(sent.id ? { activityId: sent.id } : {}),
        itemVersion: item.version,
      });
      return { ...line, outcome: 'sent' };
    } catch (err) {
      return { ...line, ...recordSendFailure(ledger, this.log, prompt.id, err) };
    }
  }
}
