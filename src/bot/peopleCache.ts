/**
 * Who a Teams user is (user principal name, e-mail), looked up once and kept until it expires, so a
 * card answer never calls Teams (GET /v3/conversations/{id}/members/{user}) nor waits behind the
 * send rate limiter: the profile is learnt when the person installs the app or first writes, from
 * the conversation reference that already holds their UPN, or at worst once per expiry.
 *
 * The cache is a small port (PeopleCache) with a SQLite adapter in the bot's database and an
 * in-memory adapter (STATE_STORE=azure, where the bot's SQLite file is never opened: each instance
 * keeps its own, and a profile looked up again after a restart costs one call to Teams). An Azure
 * Table adapter would implement the same two methods.
 */
import type { Logger } from '../logger';
import type { BotDatabase } from './botDb';
import type { ConversationStore } from './conversations';
import type { ConversationTarget, TeamsSender } from './sender';

export interface TeamsMember {
  userPrincipalName?: string;
  email?: string;
  aadObjectId?: string;
  name?: string;
}

/** The port: a person's profile by Teams user id (lower case), until it expires. */
export interface PeopleCache {
  /** The profile, or undefined when unknown or expired at `now`. */
  get(userId: string, now: Date): Promise<TeamsMember | undefined>;
  put(userId: string, member: TeamsMember, fetchedAt: Date, expiresAt: Date): Promise<void>;
}

export class SqlitePeopleCache implements PeopleCache {
  constructor(private readonly db: BotDatabase) {}

  get(userId: string, now: Date): Promise<TeamsMember | undefined> {
    const r = this.db.prepare('SELECT member, expires_at FROM people_cache WHERE user_id = ?').get(userId.toLowerCase()) as
      { member: string; expires_at: string } | undefined;
    if (!r || r.expires_at <= now.toISOString()) return Promise.resolve(undefined);
    return Promise.resolve(JSON.parse(r.member) as TeamsMember);
  }

  put(userId: string, member: TeamsMember, fetchedAt: Date, expiresAt: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO people_cache (user_id, member, fetched_at, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET member = excluded.member, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
      )
      .run(userId.toLowerCase(), JSON.stringify(member), fetchedAt.toISOString(), expiresAt.toISOString());
    return Promise.resolve();
  }
}

/** Profiles kept in this process only (STATE_STORE=azure until an Azure Table adapter exists). */
export class MemoryPeopleCache implements PeopleCache {
  private readonly rows = new Map<string, { member: TeamsMember; expiresAt: string }>();

  get(userId: string, now: Date): Promise<TeamsMember | undefined> {
    const r = this.rows.get(userId.toLowerCase());
    return Promise.resolve(r && r.expiresAt > now.toISOString() ? { ...r.member } : undefined);
  }

  put(userId: string, member: TeamsMember, _fetchedAt: Date, expiresAt: Date): Promise<void> {
    this.rows.set(userId.toLowerCase(), { member: { ...member }, expiresAt: expiresAt.toISOString() });
    return Promise.resolve();
  }
}

/** Looks a Teams user up: the cache, then what the bot already keeps, then (once) Teams. */
export class PeopleLookup {
  private readonly log: Logger;
  /** Calls made to Teams (for tests and measurements). */
  readonly stats = { cached: 0, fromReference: 0, askedTeams: 0 };

  constructor(
    private readonly deps: {
      cache: PeopleCache;
      sender: Pick<TeamsSender, 'member'>;
      conversations: ConversationStore;
      ttlMs: number;
      now: () => Date;
      logger: Logger;
    },
  ) {
    this.log = deps.logger.child({ component: 'people' });
  }

  /**
   * The same shape as TeamsSender.member, so identity.ts takes either. A person Teams says it does
   * not know (404) is kept as an empty profile too, so they are not asked about again until it expires;
   * a look-up that failed otherwise is not kept.
   */
  async member(target: ConversationTarget, userId: string): Promise<TeamsMember | undefined> {
    const { cache, conversations, sender, now } = this.deps;
    const at = now();
    const cached = await cache.get(userId, at).catch((err: unknown) => {
      this.log.warn({ err: (err as Error).message }, 'people cache could not be read; asking Teams');
      return undefined;
    });
    if (cached) {
      this.stats.cached++;
      return cached;
    }
    const ref = await conversations.findPerson(userId);
    let member: TeamsMember | null | undefined;
    if (ref?.upn) {
      this.stats.fromReference++;
      member = {
        userPrincipalName: ref.upn,
        ...(ref.aadObjectId ? { aadObjectId: ref.aadObjectId } : {}),
        ...(ref.name ? { name: ref.name } : {}),
      };
    } else {
      this.stats.askedTeams++;
      member = await sender.member(target, userId);
    }
    if (member === null) member = {};
    if (member) await this.keep(userId, member, at);
    return member;
  }

  private async keep(userId: string, member: TeamsMember, at: Date): Promise<void> {
    const known: TeamsMember = {
      ...(member.userPrincipalName ? { userPrincipalName: member.userPrincipalName } : {}),
      ...(member.email ? { email: member.email } : {}),
      ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}),
      ...(member.name ? { name: member.name } : {}),
    };
    await this.deps.cache.put(userId, known, at, new Date(at.getTime() + this.deps.ttlMs)).catch((err: unknown) => {
      this.log.warn({ err: (err as Error).message }, 'people cache could not be written');
    });
  }
}
