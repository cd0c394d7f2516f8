/**
 * Who is talking to the bot, as an Actor (usecases/actor.ts). Teams gives the Teams user id and the
 * Entra object id; co-ordinators and the directory may name people by UPN or e-mail, which the bot
 * learns from the conversation's member record only when it could matter, once per person (kept in
 * the people cache, peopleCache.ts), so an answer does not call Teams.
 */
import type { DirectoryEntry } from '../store/planStore';
import { actorOf, type Actor } from '../usecases/actor';
import { replyTarget, type IncomingActivity } from './activity';
import type { TeamsMember } from './peopleCache';
import type { ConversationTarget } from './sender';

/** Where a person's Teams profile comes from: the people cache (peopleCache.ts), or a test's stand-in. */
export interface MemberSource {
  member(target: ConversationTarget, userId: string): Promise<TeamsMember | null | undefined>;
}

/** Whether a check by id alone could miss the user (co-ordinators or directory entries listed by UPN or e-mail). */
export function needsUpn(coordinatorIds: readonly string[], directory: readonly DirectoryEntry[]): boolean {
  return coordinatorIds.some((c) => c.includes('@')) || directory.some((e) => e.people.some((p) => p.id.includes('@') || !!p.email));
}

export async function actorFromActivity(
  activity: IncomingActivity,
  directory: readonly DirectoryEntry[],
  coordinatorIds: readonly string[],
  people: MemberSource,
): Promise<Actor> {
  const { from } = activity;
  let upn: string | undefined;
  let aadObjectId = from.aadObjectId;
  if (needsUpn(coordinatorIds, directory)) {
    const member = await people.member(replyTarget(activity), from.id);
    upn = member?.userPrincipalName ?? member?.email;
    aadObjectId ??= member?.aadObjectId;
  }
  return actorOf({
    name: from.name ?? upn ?? from.id,
    ids: [from.id, aadObjectId, upn],
    ...(aadObjectId ? { id: aadObjectId } : upn ? { id: upn } : {}),
    via: 'teams',
  });
}
