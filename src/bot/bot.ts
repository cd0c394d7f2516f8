/**
 * The bot: its parts, each built once with what it needs, behind one object that the Teams endpoint
 * (botEndpoint.ts), the scheduler, the tab API and the command line call.
 *   prompt run          promptRun.ts
 *   answers on cards    cardAnswer.ts      (over usecases/recordStatus)
 *   digest, escalation  digestRun.ts, coordinatorNotices.ts, reachability.ts
 *   install events      conversationEvents.ts
 *   commands            commands.ts
 */
import type { IsoDate } from '../domain/model';
import type { DigestContent, UnreachableLead } from '../domain/digest';
import type { Escalation } from '../domain/escalation';
import type { StoredItem, StoredPlan } from '../store/planStore';
import type { CardActionResponse, IncomingActivity } from './activity';
import type { BotDeps } from './botDeps';
import { CardAnswers } from './cardAnswer';
import type { Card } from './cards/common';
import { Commands } from './commands';
import { ConversationEvents } from './conversationEvents';
import type { ChannelLink, ConversationRef } from './conversations';
import { CoordinatorNotices } from './coordinatorNotices';
import { DigestRun, type DigestRunReport } from './digestRun';
import { PromptRun, type PromptRunReport } from './promptRun';
import { Reachability } from './reachability';

export type { PromptLine, PromptRunReport } from './promptRun';
export type { DigestRunReport } from './digestRun';

export class Bot {
  private readonly prompts: PromptRun;
  private readonly answers: CardAnswers;
  private readonly digests: DigestRun;
  private readonly reach: Reachability;
  private readonly events: ConversationEvents;
  private readonly commands: Commands;

  constructor(readonly deps: BotDeps) {
    const notices = new CoordinatorNotices(deps);
    this.reach = new Reachability(deps);
    this.prompts = new PromptRun(deps, notices);
    this.answers = new CardAnswers(deps);
    this.digests = new DigestRun(deps, notices, this.reach);
    this.events = new ConversationEvents(deps);
    this.commands = new Commands(deps, this.events);
  }

  runPrompts(date: IsoDate, options?: { dryRun?: boolean; planId?: string }): Promise<PromptRunReport> {
    return this.prompts.run(date, options);
  }

  promptNow(planId: string, itemKey: string, requestedBy: string): Promise<{ sent: number; alreadySent: number; unreachable: string[] }> {
    return this.prompts.promptNow(planId, itemKey, requestedBy);
  }

  handleCardAction(activity: IncomingActivity): Promise<CardActionResponse> {
    return this.answers.handle(activity);
  }

  runDigest(now: Date, options?: { dryRun?: boolean; planId?: string; onlyDue?: boolean }): Promise<DigestRunReport[]> {
    return this.digests.run(now, options);
  }

  buildDigest(plan: StoredPlan, now: Date): Promise<{ content: DigestContent; card: Card }> {
    return this.digests.build(plan, now);
  }

  runEscalations(plan: StoredPlan, now: Date): Promise<Escalation[]> {
    return this.digests.escalate(plan, now);
  }

  unreachableLeads(plan: StoredPlan, items: readonly StoredItem[]): Promise<UnreachableLead[]> {
    return this.reach.unreachableLeads(plan, items);
  }

  remember(activity: IncomingActivity): Promise<ConversationRef | undefined> {
    return this.events.remember(activity);
  }

  /** Keeps the team a channel belongs to (the tab was set up there), so the digest can start a thread in it. */
  linkChannel(link: ChannelLink): Promise<void> {
    return this.deps.conversations.linkChannel(link, this.deps.clock.now().toISOString());
  }

  forget(activity: IncomingActivity): Promise<void> {
    return this.events.forget(activity);
  }

  welcome(activity: IncomingActivity): Promise<void> {
    return this.events.welcome(activity);
  }

  handleMessage(activity: IncomingActivity): Promise<Card> {
    return this.commands.personal(activity);
  }

  handleChannelMessage(activity: IncomingActivity): Promise<Card | undefined> {
    return this.commands.channel(activity);
  }

  /** Background work (replacing cards for other recipients) still running; tests and shutdown await it. */
  idle(): Promise<void> {
    return this.deps.background.idle();
  }
}
