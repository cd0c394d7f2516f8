/**
 * Delivering today's request to one person: the one place that knows how a card reaches someone.
 * Callers pass the person, what is asked, and the card; they get back an honest outcome for the ledger.
 *
 * Teams (issue 13): the person's stored 1:1 chat with the bot; else, for a person the Directory holds
 * by Entra object id, the bot creates the chat (POST {serviceUrl}/v3/conversations) with the service
 * URL it last saw in the tenant (or BOT_SERVICE_URL); when Teams refuses because the app is not
 * installed for them, it installs the app for them through Graph (appInstaller.ts) and creates the
 * chat again. Every outcome says how the person was reached, or why not, in fixed words (REACHED,
 * NOT_REACHED) that the ledger keeps and the digest's "cannot be reached" list shows.
 */
import { londonDate } from '../domain/calendar';
import { isEmailOnly } from '../domain/emailPeople';
import type { IsoDate } from '../domain/model';
import type { Logger } from '../logger';
import { PersonRefs } from '../state/personRefs';
import { cardAttachment, targetOf } from './activity';
import type { AppInstaller, InstallResult } from './appInstaller';
import type { Card } from './cards/common';
import { personalKey, type ConversationRef, type ConversationStore } from './conversations';
import type { EmailDelivery } from './emailDelivery';
import { SendError, type ServiceTarget, type TeamsSender } from './sender';

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

/** How a person was reached (the ledger's `detail` of a sent card). */
export const REACHED = {
  existing: 'reached: existing chat',
  created: 'reached: created the chat, then sent',
  installed: 'reached: installed the app, then sent',
} as const;

/** Why a person was not reached: each detail starts with one of these. */
export const NOT_REACHED = {
  notInstalled: 'the app is not installed for them',
  userNotFound: 'user not found',
  policy: 'not allowed by policy',
  notPermitted: 'the app could not be installed for them',
  refused: 'Teams refused the chat',
} as const;

const NO_CHAT = `${NOT_REACHED.notInstalled} (no 1:1 conversation with the bot)`;

/** Whether a ledger detail is a refusal met on the way (install or chat creation), not the live state of the directory. */
export function refusedOnTheWay(detail: string | null | undefined): boolean {
  const d = detail ?? '';
  return (
    d.includes('Teams answered') ||
    d.startsWith(NOT_REACHED.userNotFound) ||
    d.startsWith(NOT_REACHED.policy) ||
    d.startsWith(NOT_REACHED.notPermitted) ||
    d.startsWith(NOT_REACHED.refused)
  );
}

export type DeliveryOutcome =
  | { outcome: 'sent'; at: string; conversationId: string; serviceUrl: string; activityId?: string; detail?: string }
  /** Nothing was delivered and the person cannot be reached this way (no chat, app removed, blocked). */
  | { outcome: 'unreachable'; detail: string }
  /** Nothing was delivered (the service refused it); a later run may try again. */
  | { outcome: 'failed'; detail: string }
  /** It may or may not have arrived (the connection was lost after the request left). */
  | { outcome: 'uncertain'; detail: string };

type Failure = Exclude<DeliveryOutcome, { outcome: 'sent' }>;

/** What went wrong in a send, told honestly: unreachable, failed (nothing delivered) or uncertain. */
export function sendFailure(err: unknown): Failure {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SendError && err.unreachable) return { outcome: 'unreachable', detail: message };
  if (err instanceof SendError && err.delivered === 'no') return { outcome: 'failed', detail: message };
  return { outcome: 'uncertain', detail: message };
}

/** An install that did not happen, in the ledger's words. */
function notInstalled(result: Exclude<InstallResult, { outcome: 'installed' | 'already-installed' }>): Failure {
  switch (result.outcome) {
    case 'user-not-found':
      return { outcome: 'unreachable', detail: `${NOT_REACHED.userNotFound}: ${result.detail}` };
    case 'blocked-by-policy':
      return { outcome: 'unreachable', detail: `${NOT_REACHED.policy}: ${result.detail}` };
    case 'not-permitted':
      return { outcome: 'unreachable', detail: `${NOT_REACHED.notPermitted}: ${result.detail}` };
    case 'failed':
      return { outcome: 'failed', detail: `${NOT_REACHED.notPermitted}: ${result.detail}` };
  }
}

export interface DeliveryDeps {
  conversations: ConversationStore;
  sender: TeamsSender;
  logger: Logger;
  now: () => Date;
  /** Installs the app for a person through Graph; without it a person without the app is reported. */
  installer?: AppInstaller;
  /** Where to create chats before the bot has seen any activity in the tenant (BOT_SERVICE_URL, TENANT_ID, the bot's id). */
  fallbackService?: ServiceTarget;
  /** E-mail for people held by e-mail only, or whom Teams cannot reach (absent: nobody is e-mailed). */
  email?: EmailDelivery;
}

export class Delivery {
  private readonly log: Logger;

  constructor(private readonly deps: DeliveryDeps) {
    this.log = deps.logger.child({ component: 'delivery' });
  }

  /** The person's chat as stored (from `known` when the caller read every chat at once). */
  private async stored(person: Recipient, known?: PersonRefs): Promise<ConversationRef | undefined> {
    const find = known ? async (id: string) => known.find(id) : (id: string) => this.deps.conversations.findPerson(id);
    return (await find(person.id)) ?? (person.email ? await find(person.email) : undefined);
  }

  /** Every chat the bot keeps, read at once: for a run that reaches many people in a few seconds. */
  async knownChats(): Promise<PersonRefs> {
    return new PersonRefs(await this.deps.conversations.all());
  }

  /** The service URL, tenant and bot account to create a chat with, if any is known. */
  private async service(): Promise<ServiceTarget | undefined> {
    const seen = await this.deps.conversations.latestService();
    const fallback = this.deps.fallbackService;
    if (seen) return { ...fallback, ...seen };
    return fallback?.serviceUrl && fallback.tenantId ? fallback : undefined;
  }

  /**
   * A person the bot may open a chat with: held by Entra object id (not by e-mail only), with a
   * service URL known, and Graph to install the app when Teams asks (without it the bot reaches only
   * people whose chat it keeps, as before: it cannot tell a missing app from a lost install event).
   */
  private async creatable(person: Recipient): Promise<boolean> {
    return !!this.deps.installer && !person.id.includes('@') && (await this.service()) !== undefined;
  }

  /**
   * How the person can be reached now, or why they cannot (without sending anything): their chat, a
   * chat the bot will create (installing the app first if Teams asks), or e-mail.
   */
  async reach(
    person: Recipient,
    known?: PersonRefs,
  ): Promise<{ ok: true; ref?: ConversationRef; email?: string } | { ok: false; why: string }> {
    const address = this.deps.email?.addressOf(person);
    if (isEmailOnly(person))
      return address ? { ok: true, email: address } : { ok: false, why: 'held by e-mail only, and e-mail is not set up (MAIL_SENDER)' };
    const ref = await this.stored(person, known);
    if (ref?.removedAt)
      return address ? { ok: true, email: address } : { ok: false, why: `they removed the app on ${londonDate(ref.removedAt)}` };
    if (ref) return { ok: true, ref };
    if (await this.creatable(person)) return { ok: true };
    if (address) return { ok: true, email: address };
    return { ok: false, why: NO_CHAT };
  }

  /**
   * Sends the card made for the person's channel (or the e-mail); never throws for a send that went
   * wrong. `chat`: the person's chat as `reach` found it moments ago (a queued card is built for it),
   * sent to without looking the person up again; a chat removed since is refused by Teams and reported.
   */
  async deliver(
    person: Recipient,
    request: DeliveryRequest,
    card: (channel: DeliveryChannel) => Card,
    chat?: ConversationRef,
  ): Promise<DeliveryOutcome> {
    const { email } = this.deps;
    if (email && isEmailOnly(person)) return email.deliver(person, request);
    const outcome = await this.deliverInTeams(person, request, card, chat);
    // Teams cannot reach them (no chat, app removed, blocked): e-mail them when the directory has an address.
    if (outcome.outcome === 'unreachable' && email?.addressOf(person)) return email.deliver(person, request);
    return outcome;
  }

  private async deliverInTeams(
    person: Recipient,
    request: DeliveryRequest,
    card: (channel: DeliveryChannel) => Card,
    chat?: ConversationRef,
  ): Promise<DeliveryOutcome> {
    const ref = chat && !chat.removedAt ? chat : await this.stored(person);
    if (ref?.removedAt) return this.unreachable(request, person, `they removed the app on ${londonDate(ref.removedAt)}`);
    if (!ref && (isEmailOnly(person) || !(await this.creatable(person)))) return this.unreachable(request, person, NO_CHAT);
    const opened = ref ? { ref, how: REACHED.existing } : await this.openChat(person);
    if ('outcome' in opened) {
      this.log.warn({ planId: request.planId, person: person.id, outcome: opened.outcome }, `no chat with the person: ${opened.detail}`);
      return opened;
    }
    return this.send(opened.ref, opened.how, person, request, card);
  }

  private unreachable(request: DeliveryRequest, person: Recipient, why: string): DeliveryOutcome {
    this.log.warn({ planId: request.planId, person: person.id }, 'person cannot be reached in Teams');
    return { outcome: 'unreachable', detail: why };
  }

  private async send(
    ref: ConversationRef,
    how: string,
    person: Recipient,
    request: DeliveryRequest,
    card: (channel: DeliveryChannel) => Card,
  ): Promise<DeliveryOutcome> {
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
        detail: how,
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

  /** Creates the person's 1:1 chat, installing the app for them first when Teams says it is not installed. */
  private async openChat(person: Recipient): Promise<{ ref: ConversationRef; how: string } | Failure> {
    const service = (await this.service())!;
    const first = await this.create(person, service);
    if ('ref' in first) return { ref: first.ref, how: REACHED.created };
    if (!first.notInstalled) return first.failure;
    const { installer } = this.deps;
    if (!installer)
      return {
        outcome: 'unreachable',
        detail: `${NOT_REACHED.notInstalled} and the bot cannot install it (no Microsoft Graph connection): ${first.failure.detail}`,
      };
    const installed = await installer.install(person.id);
    if (installed.outcome !== 'installed' && installed.outcome !== 'already-installed') return notInstalled(installed);
    this.log.info({ person: person.id, install: installed.outcome }, 'app installed for the person through Graph');
    const second = await this.create(person, service);
    if ('ref' in second) return { ref: second.ref, how: REACHED.installed };
    // Installed, yet Teams still refuses: nothing was sent; a later run tries again.
    return { outcome: 'failed', detail: `${NOT_REACHED.refused} after the app was installed for them: ${second.failure.detail}` };
  }

  private async create(
    person: Recipient,
    service: ServiceTarget,
  ): Promise<{ ref: ConversationRef } | { notInstalled: boolean; failure: Failure }> {
    const { conversations, sender, now } = this.deps;
    let id: string;
    try {
      ({ id } = await sender.createPersonal(service, person.id));
    } catch (err) {
      // Teams answers 403 (BotNotInConversationRoster) or 404 while the app is not installed for the user:
      // https://github.com/MicrosoftDocs/msteams-docs/issues/11125 and
      // https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/744
      const notInstalled = err instanceof SendError && err.unreachable;
      const failure = sendFailure(err);
      // Creating a chat delivers nothing: an unknown answer is a failure, tried again next run.
      return {
        notInstalled,
        failure: failure.outcome === 'uncertain' ? { outcome: 'failed', detail: `${NOT_REACHED.refused}: ${failure.detail}` } : failure,
      };
    }
    // Kept outside the try: a state store that fails here is not Teams refusing the chat.
    const key = personalKey({ id: person.id, aadObjectId: person.id });
    await conversations.save(
      {
        key,
        kind: 'personal',
        aadObjectId: person.id,
        name: person.name,
        conversationId: id,
        serviceUrl: service.serviceUrl,
        ...(service.tenantId ? { tenantId: service.tenantId } : {}),
        ...(service.botId ? { botId: service.botId } : {}),
        ...(service.botName ? { botName: service.botName } : {}),
      },
      now().toISOString(),
    );
    return { ref: (await conversations.get(key))! };
  }
}
