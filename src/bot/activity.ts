/** The incoming Teams activity as the bot reads it, and the small pieces every handler uses to answer. */
import type { Card } from './cards/common';
import { CARD_CONTENT_TYPE } from './cards/common';
import type { ConversationRef } from './conversations';
import type { ConversationTarget } from './sender';

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

export function cardResponse(card: Card): CardActionResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
}

/** A message carrying one card; `summary` is the text a notification or a client without cards shows. */
export function cardAttachment(card: Card, summary?: string): Record<string, unknown> {
  return { type: 'message', ...(summary ? { summary } : {}), attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] };
}

export function targetOf(ref: ConversationRef): ConversationTarget {
  const t: ConversationTarget = { serviceUrl: ref.serviceUrl, conversationId: ref.conversationId };
  if (ref.tenantId) t.tenantId = ref.tenantId;
  if (ref.botId) t.botId = ref.botId;
  if (ref.botName) t.botName = ref.botName;
  return t;
}

export function tenantOf(activity: IncomingActivity): string | undefined {
  return activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
}

/** Where a reply to the activity goes. */
export function replyTarget(activity: IncomingActivity): ConversationTarget {
  const target: ConversationTarget = {
    serviceUrl: activity.serviceUrl,
    conversationId: activity.conversation.id,
    botId: activity.recipient.id,
    ...(activity.recipient.name ? { botName: activity.recipient.name } : {}),
  };
  const tenantId = tenantOf(activity);
  if (tenantId) target.tenantId = tenantId;
  return target;
}

/** The words of a message: @mentions of the bot removed, white space collapsed. */
export function messageText(activity: Pick<IncomingActivity, 'text'>): string {
  return (activity.text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "personal", "channel" or "groupChat"; Teams omits it in some 1:1 events. */
export function conversationKind(activity: IncomingActivity): string {
  return activity.conversation.conversationType ?? 'personal';
}
