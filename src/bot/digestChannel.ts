/**
 * Where a plan's digest goes in Teams, and posting it there. The channel is the one kept with the
 * plan's settings (the tab was set up there, or a co-ordinator typed it), else the first team the app
 * was added to (its General channel). The bot keeps a reference per team (from its install events)
 * and which team each channel belongs to (channel_links: from the tab's set-up and the bot's events),
 * so it can post in any channel of a team it is in, not only General, by starting a new thread there:
 *   POST {serviceUrl}/v3/conversations { isGroup: true, channelData: { channel: { id } }, activity }
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation
 */
import { londonDate } from '../domain/calendar';
import { cardAttachment, targetOf } from './activity';
import type { Card } from './cards/common';
import { channelKey, type ConversationRef, type ConversationStore } from './conversations';
import type { ServiceTarget, TeamsSender } from './sender';

export type DigestTarget =
  /** A channel the bot keeps a reference for (a team's General channel): posted to directly. */
  | { kind: 'reference'; key: string; channelId: string; ref: ConversationRef }
  /** Another channel of a team the bot is in: a new thread is started in it. */
  | { kind: 'thread'; key: string; channelId: string; service: ServiceTarget }
  | { kind: 'none'; why: string };

/** Where the digest goes: `named` is the plan's channel from its settings (empty: the first team the app is in). */
export async function digestTarget(conversations: ConversationStore, named: string): Promise<DigestTarget> {
  if (!named) {
    const first = (await conversations.channels())[0];
    return first
      ? { kind: 'reference', key: first.key, channelId: first.conversationId, ref: first }
      : { kind: 'none', why: 'the app is not installed in any team channel' };
  }
  const ref = await conversations.get(channelKey(named));
  if (ref && !ref.removedAt) return { kind: 'reference', key: ref.key, channelId: named, ref };
  const link = await conversations.channelLink(named);
  if (!link)
    return {
      kind: 'none',
      why: `the bot does not know which team channel ${named} belongs to: set the Plan tab up in that channel again, or @mention the bot there`,
    };
  const team = await conversations.get(channelKey(link.teamId));
  if (!team) return { kind: 'none', why: `the app is not installed in the team of channel ${named}: add it to the team` };
  if (team.removedAt)
    return { kind: 'none', why: `the app was removed from the team of channel ${named} on ${londonDate(team.removedAt)}` };
  const tenantId = team.tenantId ?? link.tenantId;
  return {
    kind: 'thread',
    key: channelKey(named),
    channelId: named,
    service: {
      serviceUrl: team.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      ...(team.botId ? { botId: team.botId } : {}),
      ...(team.botName ? { botName: team.botName } : {}),
    },
  };
}

/** Posts the card to the target; throws SendError as the sender does. */
export async function postDigest(
  sender: TeamsSender,
  target: Exclude<DigestTarget, { kind: 'none' }>,
  card: Card,
  summary: string,
): Promise<{ conversationId: string; serviceUrl: string; activityId?: string }> {
  if (target.kind === 'reference') {
    const sent = await sender.send(targetOf(target.ref), cardAttachment(card, summary));
    return { conversationId: target.ref.conversationId, serviceUrl: target.ref.serviceUrl, ...(sent.id ? { activityId: sent.id } : {}) };
  }
  const thread = await sender.createChannelThread(target.service, target.channelId, cardAttachment(card, summary));
  return {
    conversationId: thread.id,
    serviceUrl: target.service.serviceUrl,
    ...(thread.activityId ? { activityId: thread.activityId } : {}),
  };
}
