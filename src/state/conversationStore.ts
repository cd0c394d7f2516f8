/**
 * The conversation references port: where the bot can reach a person (their 1:1 chat with the bot)
 * or a team's channel. Stored when the app is installed (and refreshed on every message); marked
 * removed when it is uninstalled, so that sends report "app removed" rather than failing at Teams.
 * Adapters: embedded SQLite (bot/conversations.ts) and Azure Table storage
 * (state/azure/azureConversationStore.ts); one contract suite (test/state/conversationsContract.ts).
 */
export interface ConversationRef {
  key: string;
  kind: 'personal' | 'channel';
  /** Teams user id ("29:…") for personal chats. */
  userId?: string;
  /** Entra object id for personal chats. */
  aadObjectId?: string;
  /** User principal name (looked up on install). */
  upn?: string;
  name?: string;
  conversationId: string;
  serviceUrl: string;
  tenantId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  installedAt: string;
  updatedAt: string;
  removedAt?: string;
}

export type NewConversationRef = Omit<ConversationRef, 'installedAt' | 'updatedAt' | 'removedAt' | 'upn'>;

/** Where the bot can create a conversation in the tenant (delivery.ts creates 1:1 chats with it). */
export type LatestService = Pick<ConversationRef, 'serviceUrl' | 'tenantId' | 'botId' | 'botName'>;

/** A channel and the team it belongs to (a team's General channel has the team's id). */
export interface ChannelLink {
  channelId: string;
  teamId: string;
  tenantId?: string;
}

export interface ConversationStore {
  /** Inserts or refreshes a reference (clears `removedAt`: the app is installed again); ids not given are kept. */
  save(ref: NewConversationRef, at: string): Promise<void>;
  setUpn(key: string, upn: string): Promise<void>;
  /** False when there is no such reference. */
  markRemoved(key: string, at: string): Promise<boolean>;
  get(key: string): Promise<ConversationRef | undefined>;
  /** A person's 1:1 reference by any of their ids (Entra object id, Teams user id, UPN), case-insensitive; installed ones first, then the latest. */
  findPerson(id: string): Promise<ConversationRef | undefined>;
  /** The reference holding a conversation id (personal or channel), the latest. */
  findPersonByConversation(conversationId: string): Promise<ConversationRef | undefined>;
  /** Channels the app is installed in, most recent first. */
  channels(): Promise<ConversationRef[]>;
  /**
   * The service URL, tenant and bot account of the most recently updated reference that named a
   * tenant (Teams gives every activity its service URL); undefined before any.
   */
  latestService(): Promise<LatestService | undefined>;
  /** Keeps the team a channel belongs to (from the tab's set-up there, or the bot's events); a tenant not given is kept. */
  linkChannel(link: ChannelLink, at: string): Promise<void>;
  channelLink(channelId: string): Promise<ChannelLink | undefined>;
  /** Every reference, by key. */
  all(): Promise<ConversationRef[]>;
}
