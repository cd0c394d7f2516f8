/**
 * The weekly run: each plan's digest to its channel (once a day at most, by the send ledger), and
 * escalations to the co-ordinators. The scheduler ticks hourly; each plan goes on its own day and hour.
 */
import { londonDate, londonHour, reminderWindow, weekdayOf } from '../domain/calendar';
import { computeDigest, type DigestContent } from '../domain/digest';
import { computeEscalations, type Escalation } from '../domain/escalation';
import type { IsoDate } from '../domain/model';
import { promptIdOf } from '../domain/reminders';
import type { Logger } from '../logger';
import type { StoredPlan } from '../store/planStore';
import type { BotDeps } from './botDeps';
import type { Card } from './cards/common';
import { digestCard } from './cards/digestCard';
import { digestTarget, postDigest } from './digestChannel';
import { NOTICE_ITEM, REASON_DIGEST, type CoordinatorNotices } from './coordinatorNotices';
import type { Reachability } from './reachability';
import { recordSendFailure } from './sendOutcome';

export interface DigestRunReport {
  planId: string;
  date: IsoDate;
  content: DigestContent;
  card: Card;
  sentTo?: string;
  outcome: 'sent' | 'already-sent' | 'would-send' | 'no-channel' | 'failed';
  detail?: string;
}

export class DigestRun {
  private readonly log: Logger;

  constructor(
    private readonly deps: BotDeps,
    private readonly notices: CoordinatorNotices,
    private readonly reachability: Reachability,
  ) {
    this.log = deps.logger.child({ component: 'digestRun' });
  }

  /** The digest for one plan at `now` (content and card), without sending it. */
  async build(plan: StoredPlan, now: Date): Promise<{ content: DigestContent; card: Card }> {
    const { store, settings, links } = this.deps;
    const date = londonDate(now);
    const [items, history, planSettings] = await Promise.all([
      store.listItems(plan.id),
      store.history(plan.id),
      settings.settingsFor(plan.id),
    ]);
    const { unanswered, unreachable } = await this.reachability.weekFacts(plan, items, date);
    const channel = await digestTarget(this.deps.conversations, planSettings.digestChannel);
    const content = computeDigest({
      planTitle: `${plan.plan.organisation} ${plan.plan.title}`,
      items,
      history,
      now,
      unanswered,
      unreachable,
      deepLink: links(plan.id, channel.kind === 'none' ? undefined : channel.channelId),
      windowDays: reminderWindow(planSettings.reminderOffsets),
    });
    return { content, card: digestCard(content) };
  }

  /**
   * The weekly run: each plan's digest to the channel, and escalations to the co-ordinators. With
   * `onlyDue` (the scheduler's hourly tick) only plans whose digest day has come and whose hour has
   * passed; the ledger makes every later tick that day a no-op.
   */
  async run(now: Date, options: { dryRun?: boolean; planId?: string; onlyDue?: boolean } = {}): Promise<DigestRunReport[]> {
    const { store, ledger, settings, sender } = this.deps;
    const date = londonDate(now);
    const reports: DigestRunReport[] = [];
    for (const plan of await store.listPlans()) {
      if (options.planId && plan.id !== options.planId) continue;
      const planSettings = await settings.settingsFor(plan.id);
      if (options.onlyDue && !(weekdayOf(date) === planSettings.digestDay && londonHour(now) >= planSettings.digestHour)) continue;
      const { content, card } = await this.build(plan, now);
      const channel = await digestTarget(this.deps.conversations, planSettings.digestChannel);
      const report: DigestRunReport = { planId: plan.id, date, content, card, outcome: 'would-send' };
      reports.push(report);
      if (options.dryRun) {
        if (channel.kind === 'none') report.outcome = 'no-channel';
        continue;
      }
      if (channel.kind === 'none') {
        report.outcome = 'no-channel';
        report.detail = channel.why;
        this.log.error({ planId: plan.id }, `weekly digest not posted: ${report.detail}; sending it to the co-ordinators instead`);
        await this.notices.digest(plan, date, card, channel.why);
      } else {
        const id = promptIdOf({
          planId: plan.id,
          itemKey: NOTICE_ITEM,
          milestone: '',
          reason: REASON_DIGEST,
          personId: channel.key,
          dateKey: date,
        });
        const key = {
          id,
          planId: plan.id,
          itemKey: NOTICE_ITEM,
          milestone: '',
          reason: REASON_DIGEST,
          personId: channel.key,
          personName: 'plan channel',
          dateKey: date,
        };
        if (!(await ledger.claim(key, now.toISOString()))) {
          report.outcome = 'already-sent';
        } else {
          try {
            const sent = await postDigest(sender, channel, card, `Weekly digest: ${plan.plan.title}`);
            await ledger.markSent(id, {
              at: now.toISOString(),
              ...sent,
              detail: channel.kind === 'thread' ? `posted as a new thread in channel ${channel.channelId}` : 'posted in the channel',
            });
            report.outcome = 'sent';
            report.sentTo = channel.channelId;
          } catch (err) {
            report.outcome = 'failed';
            const failure = await recordSendFailure(ledger, this.log, id, err);
            report.detail = failure.detail;
            // Nothing reached the channel: the co-ordinators get the digest 1:1, with why.
            if (failure.outcome !== 'uncertain')
              await this.notices.digest(plan, date, card, `Teams refused the post in channel ${channel.channelId} (${failure.detail})`);
          }
        }
      }
      await this.escalate(plan, now);
    }
    return reports;
  }

  /** Items overdue or Red for two weeks, listed to every co-ordinator with whoever cannot be reached. */
  async escalate(plan: StoredPlan, now: Date): Promise<Escalation[]> {
    const { store, settings } = this.deps;
    const date = londonDate(now);
    const [items, history, windowDays] = await Promise.all([
      store.listItems(plan.id),
      store.history(plan.id),
      settings.windowDays(plan.id),
    ]);
    const escalations = computeEscalations({ items, history, date, windowDays });
    // Who cannot be reached is in the digest; the co-ordinator's card is sent only for escalations.
    if (escalations.length > 0) {
      const { unreachable } = await this.reachability.weekFacts(plan, items, date);
      await this.notices.escalations(plan, date, escalations, unreachable.length);
    }
    return escalations;
  }
}
