/**
 * Delivering a request by e-mail, for people outside Teams (partners held by e-mail only) or whom
 * Teams cannot reach: a signed answer link for exactly the items asked (auth/answerLink.ts) in a
 * plain HTML mail (answerMail.ts), sent from the configured mailbox through Graph or written to the
 * local outbox (graph/mailer.ts). The outcome is as honest as a Teams send: a dropped connection to
 * Graph is `uncertain` (never re-sent), a refusal is `failed`.
 */
import type { AnswerLinkSigner } from '../auth/answerLink';
import { isEmailOnly, mailAddressOf } from '../domain/emailPeople';
import { nextMilestone } from '../domain/milestones';
import { AmbiguousWriteError } from '../graph/graphErrors';
import type { Mailer } from '../graph/mailer';
import type { Logger } from '../logger';
import type { PlanStore } from '../store/planStore';
import { answerMailHtml, answerMailSubject } from './answerMail';
import type { DeliveryOutcome, DeliveryRequest, Recipient } from './delivery';

/** The ledger's service address for a send by e-mail (its conversation id is `mailto:<address>`). */
export const EMAIL_SERVICE = 'mailto:';

export interface EmailDeliveryDeps {
  store: PlanStore;
  mailer: Mailer;
  signer: AnswerLinkSigner;
  /** The answer page's address for a token (PUBLIC_URL/answer/<token>). */
  answerUrl(token: string): string;
  logger: Logger;
  now(): Date;
  /**
   * Also e-mail people in the tenant whom Teams cannot reach (true with a real mailbox, MAIL_SENDER);
   * the local outbox takes only people held by e-mail only.
   */
  fallback: boolean;
}

export class EmailDelivery {
  private readonly log: Logger;

  constructor(private readonly deps: EmailDeliveryDeps) {
    this.log = deps.logger.child({ component: 'emailDelivery' });
  }

  /** The address this person would be e-mailed at (held by e-mail only, or, with a real mailbox, anyone with an address). */
  addressOf(person: Recipient): string | undefined {
    return isEmailOnly(person) || this.deps.fallback ? mailAddressOf(person) : undefined;
  }

  async deliver(person: Recipient, request: DeliveryRequest): Promise<DeliveryOutcome> {
    const address = this.addressOf(person);
    if (!address) return { outcome: 'unreachable', detail: 'no e-mail address in the directory' };
    const { store, signer, mailer } = this.deps;
    const plan = await store.getPlan(request.planId);
    const items = await Promise.all(request.items.map(async (r) => ({ asked: r, item: await store.getItem(request.planId, r.itemKey) })));
    const found = items.filter((x) => x.item);
    if (!plan || found.length === 0) return { outcome: 'failed', detail: 'the plan or its items are no longer there' };
    const { token, link } = signer.sign({
      planId: request.planId,
      personId: person.id,
      name: person.name,
      email: address,
      itemKeys: found.map((x) => x.asked.itemKey),
    });
    const html = answerMailHtml({
      name: person.name,
      planTitle: plan.plan.title,
      organisation: plan.plan.organisation,
      date: request.date,
      items: found.map(({ asked, item }) => {
        const due = nextMilestone(item!, request.date);
        return {
          title: item!.title,
          reason: asked.reason,
          ...(asked.milestone ? { milestone: asked.milestone } : {}),
          ...(due ? { due } : {}),
          ...(asked.period ? { period: asked.period } : {}),
        };
      }),
      link: this.deps.answerUrl(token),
      expiresAt: link.expiresAt,
    });
    try {
      await mailer.send({
        to: { address, name: person.name },
        subject: answerMailSubject({ planTitle: plan.plan.title, count: found.length }),
        html,
      });
      this.log.info({ planId: request.planId, person: person.id, link: link.id, items: found.length }, 'request e-mailed');
      return {
        outcome: 'sent',
        at: this.deps.now().toISOString(),
        conversationId: `mailto:${address.toLowerCase()}`,
        serviceUrl: EMAIL_SERVICE,
        detail: `e-mailed from ${mailer.from}`,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ planId: request.planId, person: person.id, link: link.id }, 'request not e-mailed');
      return err instanceof AmbiguousWriteError
        ? { outcome: 'uncertain', detail: `the e-mail may or may not have been sent: ${message}` }
        : { outcome: 'failed', detail: `the e-mail was not sent: ${message}` };
    }
  }
}
