/**
 * Cards to the co-ordinators (1:1): escalations, leads nobody can reach, and the digest when the
 * plan's channel cannot be posted to. Once per co-ordinator, reason and day (send ledger).
 */
import { londonDate } from '../domain/calendar';
import type { UnreachableLead } from '../domain/digest';
import type { Escalation } from '../domain/escalation';
import type { IsoDate } from '../domain/model';
import { promptIdOf } from '../domain/reminders';
import type { Logger } from '../logger';
import type { StoredPlan } from '../store/planStore';
import { cardAttachment, targetOf } from './activity';
import type { BotDeps } from './botDeps';
import type { Card } from './cards/common';
import { coordinatorCard } from './cards/digestCard';
import { recordSendFailure } from './sendOutcome';

/** Ledger rows that are not about one item (digests, notices) use this item key. */
export const NOTICE_ITEM = '*';
export const REASON_DIGEST = 'digest';
export const REASON_ESCALATION = 'escalation';
export const REASON_UNREACHABLE_NOTICE = 'notice: unreachable leads';

/** What each kind of notice is, in words (for "could not be sent …"). */
export const NOTICE_WORDS: Record<string, string> = {
  [REASON_DIGEST]: 'the weekly digest',
  [REASON_ESCALATION]: 'the "needs your attention" card',
  [REASON_UNREACHABLE_NOTICE]: 'the list of leads Teams cannot reach',
};

export class CoordinatorNotices {
  private readonly log: Logger;

  constructor(private readonly deps: BotDeps) {
    this.log = deps.logger.child({ component: 'coordinatorNotices' });
  }

  /** Leads found unreachable in today's prompt run. */
  unreachable(plan: StoredPlan, date: IsoDate, leads: UnreachableLead[]): Promise<void> {
    return this.send(plan, date, REASON_UNREACHABLE_NOTICE, this.card(plan, date, [], leads));
  }

  /**
   * The weekly escalations. Leads Teams cannot reach are listed in the digest the same morning, so
   * this card counts them and points there rather than sending the same list twice.
   */
  escalations(plan: StoredPlan, date: IsoDate, escalations: Escalation[], unreachableInDigest: number): Promise<void> {
    return this.send(
      plan,
      date,
      REASON_ESCALATION,
      this.card(plan, date, escalations, [], { count: unreachableInDigest, where: "this week's digest" }),
    );
  }

  /** The digest, when it could not go to the plan's channel, saying why at the top. */
  digest(plan: StoredPlan, date: IsoDate, card: Card, why: string): Promise<void> {
    const notice = {
      type: 'TextBlock',
      text: `This week's digest could not be posted in the plan's channel: ${why}. Here it is instead.`,
      wrap: true,
      weight: 'Bolder',
      color: 'Attention',
    };
    return this.send(plan, date, REASON_DIGEST, { ...card, body: [notice, ...card.body] });
  }

  private card(
    plan: StoredPlan,
    date: IsoDate,
    escalations: Escalation[],
    unreachable: UnreachableLead[],
    elsewhere?: { count: number; where: string },
  ): Card {
    return coordinatorCard({
      planTitle: `${plan.plan.organisation} ${plan.plan.title}`,
      date,
      escalations,
      unreachable: unreachable.map((u) => ({ who: u.who, ...(u.itemTitle ? { itemTitle: u.itemTitle } : {}), why: u.why })),
      ...(elsewhere ? { unreachableElsewhere: elsewhere } : {}),
      deepLink: this.deps.links(plan.id),
    });
  }

  /** How a co-ordinator is named: their Teams name, else their directory name, else their e-mail, else "a co-ordinator". */
  private async nameOf(planId: string, coordinator: string, teamsName?: string): Promise<string> {
    if (teamsName) return teamsName;
    const id = coordinator.trim().toLowerCase();
    for (const entry of await this.deps.store.listDirectory(planId)) {
      const person = entry.people.find((p) => p.id.toLowerCase() === id || p.email?.toLowerCase() === id);
      if (person) return person.name;
    }
    return id.includes('@') ? coordinator.trim() : 'whose name the bot does not know yet';
  }

  private async send(plan: StoredPlan, date: IsoDate, reason: string, card: Card): Promise<void> {
    const { coordinatorIds, conversations, ledger, sender, clock } = this.deps;
    if (coordinatorIds.length === 0) {
      this.log.error(
        { planId: plan.id, reason },
        'no co-ordinator configured (COORDINATOR_IDS): this notice goes nowhere but the log and the digest',
      );
      return;
    }
    for (const coordinator of coordinatorIds) {
      const ref = await conversations.findPerson(coordinator);
      const id = promptIdOf({ planId: plan.id, itemKey: NOTICE_ITEM, milestone: '', reason, personId: coordinator, dateKey: date });
      const key = {
        id,
        planId: plan.id,
        itemKey: NOTICE_ITEM,
        milestone: '',
        reason,
        personId: coordinator.toLowerCase(),
        personName: await this.nameOf(plan.id, coordinator, ref?.name),
        dateKey: date,
      };
      if (!(await ledger.claim(key, clock.now().toISOString()))) continue;
      if (!ref || ref.removedAt) {
        await ledger.markUnreachable(
          id,
          ref?.removedAt
            ? `they removed the app on ${londonDate(ref.removedAt)}`
            : 'the app is not installed for them (no 1:1 chat with the bot)',
        );
        this.log.error({ planId: plan.id, reason }, 'a co-ordinator cannot be reached in Teams');
        continue;
      }
      try {
        const sent = await sender.send(targetOf(ref), cardAttachment(card));
        await ledger.markSent(id, {
          at: clock.now().toISOString(),
          conversationId: ref.conversationId,
          serviceUrl: ref.serviceUrl,
          ...(sent.id ? { activityId: sent.id } : {}),
        });
      } catch (err) {
        await recordSendFailure(ledger, this.log, id, err);
      }
    }
  }
}
