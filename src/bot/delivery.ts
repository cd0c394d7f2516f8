/**
 * Delivering today's request to one person: the one place that knows how a card reaches someone.
 * Today it finds the person's existing 1:1 conversation with the bot (stored when they installed the
 * app) and posts the card there. Issue 13 replaces the inside (create the 1:1 chat, install the app
 * through Graph, or e-mail a signed link to partners outside the tenant) without changing callers:
 * they pass the person, what is asked, and the card; they get back an honest outcome for the ledger.
 */
import { londonDate } from '../domain/calendar';
import { isEmailOnly } from '../domain/emailPeople';
import type { IsoDate } from '../domain/model';
import type { Logger } from '../logger';
import { cardAttachment, targetOf } from './activity';
import type { Card } from './cards/common';
import type { ConversationRef, ConversationStore } from './conversations';
import type { EmailDelivery } from './emailDelivery';
import { SendError, type TeamsSender } from './sender';

export interface Recipient {
  id: string;
  name: string;
  email?: string;
}

/** What is asked: the items of one plan, each with why. */
export interface DeliveryRequest {
  planId: string;
  date: IsoDate;
  items: Array<{ itemKey: string; reason: string; milestone?: IsoDate; period?: { label: string; end: IsoDate } }>;
  /** The notification text (what a phone shows). */
  summary: string;
}

/** What the card needs from the channel it goes through (Teams user id for automatic refresh). */
export interface DeliveryChannel {
  teamsUserId?: string;
}

export type DeliveryOutcome =
  | {
      outcome: 'sent';
      at: string;
      conversationId: string;
      serviceUrl: string;
      activityId?: string;
      /** How, when not the usual Teams card ("e-mailed from …"). */
      detail?: string;
    }
  /** Nothing was delivered and the person cannot be reached this way (no chat, app removed, blocked). */
  | { outcome: 'unreachable'; detail: string }
  /** Nothing was delivered (the service refused it); a later run may try again. */
  | { outcome: 'failed'; detail: string }
  /** It may or may not have arrived (the connection was lost after the request left). */
  | { outcome: 'uncertain'; detail: string };

/** What went wrong in a send, told honestly: unreachable, failed (nothing delivered) or uncertain. */
export function sendFailure(err: unknown): Exclude<DeliveryOutcome, { outcome: 'sent' }> {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SendError && err.unreachable) return { outcome: 'unreachable', detail: message };
  if (err instanceof SendError && err.delivered === 'no') return { outcome: 'failed', detail: message };
  return { outcome: 'uncertain', detail: message };
}

export class Delivery {
  private readonly log: Logger;

  constructor(
    private readonly deps: {
      conversations: ConversationStore;
      sender: TeamsSender;
      logger: Logger;
      now: () => Date;
      /** E-mail for people held by e-mail only, or whom Teams cannot reach (absent: nobody is e-mailed). */
      email?: EmailDelivery;
    },
  ) {
    this.log = deps.logger.child({ component: 'delivery' });
  }

  /** How the person can be reached now, or why they cannot (without sending anything). */
  reach(person: Recipient): { ok: true; ref?: ConversationRef; email?: string } | { ok: false; why: string } {
    const { conversations, email } = this.deps;
    const address = email?.addressOf(person);
    if (isEmailOnly(person))
      return address ? { ok: true, email: address } : { ok: false, why: 'held by e-mail only, and e-mail is not set up (MAIL_SENDER)' };
    const ref = conversations.findPerson(person.id) ?? (person.email ? conversations.findPerson(person.email) : undefined);
    if (!ref && address) return { ok: true, email: address };
    if (!ref) return { ok: false, why: 'the app is not installed for them (no 1:1 conversation with the bot)' };
    if (ref.removedAt && address) return { ok: true, email: address };
    if (ref.removedAt) return { ok: false, why: `they removed the app on ${londonDate(ref.removedAt)}` };
    return { ok: true, ref };
  }

  /** Sends the card made for the person's channel; never throws for a send that went wrong. */
  async deliver(person: Recipient, request: DeliveryRequest, card: (channel: DeliveryChannel) => Card): Promise<DeliveryOutcome> {
    const { email } = this.deps;
    if (email && isEmailOnly(person)) return email.deliver(person, request);
    const outcome = await this.deliverInTeams(person, request, card);
    // Teams cannot reach them (no chat, app removed, blocked): e-mail them when the directory has an address.
    if (outcome.outcome === 'unreachable' && email?.addressOf(person)) return email.deliver(person, request);
    return outcome;
  }

  private async deliverInTeams(
    person: Recipient,
    request: DeliveryRequest,
    card: (channel: DeliveryChannel) => Card,
  ): Promise<DeliveryOutcome> {
    const reach = this.reach(person);
    if (!reach.ok || !reach.ref) {
      this.log.warn({ planId: request.planId, person: person.id }, 'person cannot be reached in Teams');
      return {
        outcome: 'unreachable',
        detail: reach.ok ? 'the app is not installed for them (no 1:1 conversation with the bot)' : reach.why,
      };
    }
    const { ref } = reach;
    try {
      const sent = await this.deps.sender.send(
        targetOf(ref),
        cardAttachment(card(ref.userId ? { teamsUserId: ref.userId } : {}), request.summary),
      );
      return {
        outcome: 'sent',
        at: this.deps.now().toISOString(),
        conversationId: ref.conversationId,
        serviceUrl: ref.serviceUrl,
        ...(sent.id ? { activityId: sent.id } : {}),
      };
    } catch (err) {
      const failure = sendFailure(err);
      this.log[failure.outcome === 'unreachable' ? 'warn' : 'error'](
        { planId: request.planId, person: person.id, outcome: failure.outcome, status: err instanceof SendError ? err.status : undefined },
        failure.outcome === 'uncertain' ? 'send may or may not have been delivered; not retried' : 'send not delivered',
      );
      return failure;
    }
  }
}
