/** Who is talking to the bot, and what they may do: a lead of an item, or a co-ordinator. */
import { roleKey } from '../domain/leads';
import type { DirectoryEntry, StoredItem } from '../store/planStore';

export interface BotUser {
  /** Teams user id ("29:…"). */
  id: string;
  aadObjectId?: string;
  name: string;
  /** User principal name, when it was looked up. */
  upn?: string;
}

/** Every id the user may be listed under, lower-cased. */
export function userIds(user: BotUser): string[] {
  return [user.id, user.aadObjectId, user.upn].filter((x): x is string => !!x).map((x) => x.toLowerCase());
}

export function isCoordinator(user: BotUser, coordinatorIds: readonly string[]): boolean {
  const ids = new Set(userIds(user));
  return coordinatorIds.some((c) => ids.has(c.toLowerCase()));
}

/** The directory roles the user answers for. */
export function rolesOf(user: BotUser, directory: readonly DirectoryEntry[]): string[] {
  const ids = new Set(userIds(user));
  return directory
    .filter((e) => e.people.some((p) => ids.has(p.id.toLowerCase()) || (p.email !== undefined && ids.has(p.email.toLowerCase()))))
    .map((e) => e.role);
}

export function isLeadOf(user: BotUser, item: Pick<StoredItem, 'leads'>, directory: readonly DirectoryEntry[]): boolean {
  const roles = new Set(rolesOf(user, directory).map(roleKey));
  return item.leads.some((l) => roles.has(roleKey(l)));
}

/** Whether a check by id alone could miss the user (co-ordinators or directory listed by UPN/email). */
export function needsUpn(user: BotUser, coordinatorIds: readonly string[], directory: readonly DirectoryEntry[]): boolean {
  if (user.upn) return false;
  return coordinatorIds.some((c) => c.includes('@')) || directory.some((e) => e.people.some((p) => p.id.includes('@') || !!p.email));
}
