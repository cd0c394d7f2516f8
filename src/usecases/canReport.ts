/**
 * Who may report on an item: a person in the directory for one of the roles answering for it, or a
 * co-ordinator. The one rule every surface asks.
 */
import { roleKey } from '../domain/leads';
import type { PlanItem } from '../domain/model';
import { answeringRoles } from '../domain/recipients';
import type { DirectoryEntry } from '../store/planStore';
import { isCoordinator, rolesOf, type Actor } from './actor';

/** The roles that answer for an item: its leads, else its owner, else the plan's owner role. */
export { answeringRoles };

export type ReportRight = { ok: true; as: 'lead' | 'coordinator'; roles: string[] } | { ok: false; message: string; roles: string[] };

export function canReport(
  actor: Actor,
  item: Pick<PlanItem, 'leads' | 'owner'>,
  directory: readonly DirectoryEntry[],
  coordinatorIds: readonly string[],
  /** The plan's owner role, for items with no lead and no owner of their own. */
  ownerRole?: string,
): ReportRight {
  const roles = rolesOf(actor, directory);
  const mine = new Set(roles.map(roleKey));
  const answering = answeringRoles(item, ownerRole);
  if (answering.some((r) => mine.has(roleKey(r)))) return { ok: true, as: 'lead', roles };
  if (isCoordinator(actor, coordinatorIds)) return { ok: true, as: 'coordinator', roles };
  const ledBy = answering.length > 0 ? `this item is led by ${answering.join(', ')}` : 'this item names no lead';
  return {
    ok: false,
    roles,
    message:
      roles.length > 0
        ? `You lead ${roles.join(', ')}; ${ledBy}. Only its leads or a co-ordinator can report on it.`
        : `You are not listed as a lead in this plan's directory, so you can report only on items you lead (${ledBy}). Ask a co-ordinator to add you.`,
  };
}
