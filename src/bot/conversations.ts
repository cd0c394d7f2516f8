/**
 * Conversation references' embedded adapter (STATE_STORE=sqlite), in the bot's SQLite file. The port
 * is state/conversationStore.ts.
 */
import type { BotDatabase } from './botDb';
import type { ChannelLink, ConversationRef, ConversationStore, LatestService, NewConversationRef } from '../state/conversationStore';

export type { ChannelLink, ConversationRef, ConversationStore, LatestService, NewConversationRef } from '../state/conversationStore';

interface Row {
  key: string;
  kind: 'personal' | 'channel';
  user_id: string | null;
  aad_object_id: string | null;
  upn: string | null;
  name: string | null;
  conversation_id: string;
  service_url: string;
  tenant_id: string | null;
  bot_id: string | null;
  bot_name: string | null;
  team_id: string | null;
  installed_at: string;
  updated_at: string;
  removed_at: string | null;
}

function fromRow(r: Row): ConversationRef {
  const ref: ConversationRef = {
    key: r.key,
    kind: r.kind,
    conversationId: r.conversation_id,
    serviceUrl: r.service_url,
    installedAt: r.installed_at,
    updatedAt: r.updated_at,
  };
  if (r.user_id) ref.userId = r.user_id;
  if (r.aad_object_id) ref.aadObjectId = r.aad_object_id;
  if (r.upn) ref.upn = r.upn;
  if (r.name) ref.name = r.name;
  if (r.tenant_id) ref.tenantId = r.tenant_id;
  if (r.bot_id) ref.botId = r.bot_id;
  if (r.bot_name) ref.botName = r.bot_name;
  if (r.team_id) ref.teamId = r.team_id;
  if (r.removed_at) ref.removedAt = r.removed_at;
  return ref;
}

/** Key of a personal reference: the Entra object id when Teams gives one, else the Teams user id. */
export function personalKey(user: { aadObjectId?: string; id: string }): string {
  return `user:${(user.aadObjectId ?? user.id).toLowerCase()}`;
}

export function channelKey(conversationId: string): string {
  return `channel:${conversationId}`;
}

export class SqliteConversationStore implements ConversationStore {
  constructor(private readonly db: BotDatabase) {}

  /** Inserts or refreshes a reference (clears `removedAt`: the app is installed again). */
  async save(ref: NewConversationRef, at: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO conversation_refs (key, kind, user_id, aad_object_id, name, conversation_id, service_url, tenant_id, bot_id, bot_name, team_id, installed_at, updated_at, removed_at)
         VALUES (@key, @kind, @userId, @aadObjectId, @name, @conversationId, @serviceUrl, @tenantId, @botId, @botName, @teamId, @at, @at, NULL)
         ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, user_id = COALESCE(excluded.user_id, user_id), aad_object_id = COALESCE(excluded.aad_object_id, aad_object_id),
           name = COALESCE(excluded.name, name), conversation_id = excluded.conversation_id, service_url = excluded.service_url, tenant_id = COALESCE(excluded.tenant_id, tenant_id),
           bot_id = COALESCE(excluded.bot_id, bot_id), bot_name = COALESCE(excluded.bot_name, bot_name), team_id = COALESCE(excluded.team_id, team_id),
           installed_at = CASE WHEN removed_at IS NULL THEN installed_at ELSE excluded.installed_at END, updated_at = excluded.updated_at, removed_at = NULL`,
      )
      .run({ userId: null, aadObjectId: null, name: null, tenantId: null, botId: null, botName: null, teamId: null, ...ref, at });
  }

  async setUpn(key: string, upn: string): Promise<void> {
    this.db.prepare('UPDATE conversation_refs SET upn = ? WHERE key = ?').run(upn, key);
  }

  async markRemoved(key: string, at: string): Promise<boolean> {
    return this.db.prepare('UPDATE conversation_refs SET removed_at = ?, updated_at = ? WHERE key = ?').run(at, at, key).changes === 1;
  }

  async get(key: string): Promise<ConversationRef | undefined> {
    const r = this.db.prepare('SELECT * FROM conversation_refs WHERE key = ?').get(key) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** A person's 1:1 reference by any of their ids (Entra object id, Teams user id), case-insensitive. */
  async findPerson(id: string): Promise<ConversationRef | undefined> {
    const lower = id.toLowerCase();
    const r = this.db
      .prepare(
        `SELECT * FROM conversation_refs WHERE kind = 'personal' AND (key = ? OR lower(aad_object_id) = ? OR lower(user_id) = ? OR lower(upn) = ?) ORDER BY removed_at IS NOT NULL, updated_at DESC LIMIT 1`,
      )
      .get(`user:${lower}`, lower, lower, lower) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** The reference holding a conversation id (personal or channel). */
  async findPersonByConversation(conversationId: string): Promise<ConversationRef | undefined> {
    const r = this.db
      .prepare('SELECT * FROM conversation_refs WHERE conversation_id = ? ORDER BY updated_at DESC LIMIT 1')
      .get(conversationId) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Channels the app is installed in, most recent first. */
  async channels(): Promise<ConversationRef[]> {
    return (
      this.db
        .prepare(`SELECT * FROM conversation_refs WHERE kind = 'channel' AND removed_at IS NULL ORDER BY updated_at DESC`)
        .all() as Row[]
    ).map(fromRow);
  }

  /**
   * Where the bot can create a conversation in the tenant: the service URL, tenant and bot account
   * of the latest activity that named a tenant (Teams gives every activity its service URL).
   */
  async latestService(): Promise<LatestService | undefined> {
    const r = this.db.prepare('SELECT * FROM conversation_refs WHERE tenant_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1').get() as
      Row | undefined;
    if (!r) return undefined;
    const ref = fromRow(r);
    return {
      serviceUrl: ref.serviceUrl,
      ...(ref.tenantId ? { tenantId: ref.tenantId } : {}),
      ...(ref.botId ? { botId: ref.botId } : {}),
      ...(ref.botName ? { botName: ref.botName } : {}),
    };
  }

  /** Keeps the team a channel belongs to (from the tab's set-up there, or the bot's events). */
  async linkChannel(link: ChannelLink, at: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO channel_links (channel_id, team_id, tenant_id, updated_at) VALUES (@channelId, @teamId, @tenantId, @at)
         ON CONFLICT (channel_id) DO UPDATE SET team_id = excluded.team_id, tenant_id = COALESCE(excluded.tenant_id, tenant_id), updated_at = excluded.updated_at`,
      )
      .run({ tenantId: null, ...link, at });
  }

  async channelLink(channelId: string): Promise<ChannelLink | undefined> {
    const r = this.db.prepare('SELECT * FROM channel_links WHERE channel_id = ?').get(channelId) as
      { channel_id: string; team_id: string; tenant_id: string | null } | undefined;
    return r ? { channelId: r.channel_id, teamId: r.team_id, ...(r.tenant_id ? { tenantId: r.tenant_id } : {}) } : undefined;
  }

  async all(): Promise<ConversationRef[]> {
    return (this.db.prepare('SELECT * FROM conversation_refs ORDER BY key').all() as Row[]).map(fromRow);
  }
}
