/**
 * Install, uninstall and every message: the bot keeps the reference of each conversation it is in (a
 * person's 1:1 chat, a team's channel), so it can post there later; says hello once per install.
 */
import type { Logger } from '../logger';
import { conversationKind, replyTarget, tenantOf, cardAttachment, type IncomingActivity } from './activity';
import type { BotDeps } from './botDeps';
import type { Card } from './cards/common';
import { helpCard } from './cards/statusCards';
import { channelKey, personalKey, type ConversationRef } from './conversations';

/** The team's General channel has the team's id; a message in a channel thread carries ";messageid=…". */
function channelConversationId(activity: IncomingActivity): string {
  return activity.channelData?.team?.id ?? activity.conversation.id.split(';')[0]!;
}

export class ConversationEvents {
  private readonly log: Logger;
  /** Personal references created (or re-created after removal) and not greeted yet. */
  private readonly newlyInstalled = new Set<string>();

  constructor(private readonly deps: BotDeps) {
    this.log = deps.logger.child({ component: 'conversations' });
  }

  /** Stores (or refreshes) the reference of the conversation an activity came from. */
  async remember(activity: IncomingActivity): Promise<ConversationRef | undefined> {
    const { conversations, clock } = this.deps;
    const at = clock.now().toISOString();
    const tenantId = tenantOf(activity);
    const base = {
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      botId: activity.recipient.id,
      ...(activity.recipient.name ? { botName: activity.recipient.name } : {}),
      ...(tenantId ? { tenantId } : {}),
    };
    const kind = conversationKind(activity);
    if (kind === 'personal') {
      const key = personalKey(activity.from);
      const before = await conversations.get(key);
      if (!before || before.removedAt) this.newlyInstalled.add(key);
      await conversations.save(
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
      const ref = await conversations.get(key);
      if (ref && !ref.upn) this.learnUpn(activity, key);
      return ref;
    }
    if (kind === 'channel') {
      // The digest goes to the team's General channel (its id is the team id) unless configured otherwise.
      const teamId = activity.channelData?.team?.id;
      // Any channel the bot hears from is one of this team's: keep which, so it can post there later.
      const channelId = activity.channelData?.channel?.id;
      if (teamId) {
        await conversations.linkChannel({ channelId: teamId, teamId, ...(tenantId ? { tenantId } : {}) }, at);
        if (channelId && channelId !== teamId)
          await conversations.linkChannel({ channelId, teamId, ...(tenantId ? { tenantId } : {}) }, at);
      }
      const key = channelKey(channelConversationId(activity));
      await conversations.save(
        { key, kind: 'channel', ...base, conversationId: channelConversationId(activity), ...(teamId ? { teamId } : {}) },
        at,
      );
      return await conversations.get(key);
    }
    return undefined;
  }

  /** Co-ordinators and directory entries may be UPNs: learn this person's once, in the background. */
  private learnUpn(activity: IncomingActivity, key: string): void {
    const { people, conversations, background } = this.deps;
    background.run(
      people.member({ serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id }, activity.from.id).then(async (m) => {
        const upn = m?.userPrincipalName ?? m?.email;
        if (upn) await conversations.setUpn(key, upn);
      }),
    );
  }

  /** The app was removed (personal or team scope): nothing more is sent there. */
  async forget(activity: IncomingActivity): Promise<void> {
    const kind = conversationKind(activity);
    const key = kind === 'personal' ? personalKey(activity.from) : channelKey(channelConversationId(activity));
    const removed = await this.deps.conversations.markRemoved(key, this.deps.clock.now().toISOString());
    this.log.info({ kind, removed }, 'app removed from a conversation');
  }

  /**
   * Says hello once per install: a personal install brings both an installationUpdate and a
   * conversationUpdate, and only the first of them (the one that created the reference) greets.
   */
  async welcome(activity: IncomingActivity): Promise<void> {
    if (conversationKind(activity) !== 'personal') return;
    if (!this.newlyInstalled.delete(personalKey(activity.from))) return;
    await this.reply(activity, helpCard());
  }

  async reply(activity: IncomingActivity, card: Card): Promise<void> {
    await this.deps.sender.send(replyTarget(activity), { ...cardAttachment(card), ...(activity.id ? { replyToId: activity.id } : {}) });
  }
}
