/** Who is calling the tab API, and what they may do. */
import type { Config } from '../../config';
import { roleKey } from '../../domain/leads';
import type { PlanItem } from '../../domain/model';
import type { DirectoryEntry } from '../../store/planStore';

export interface Caller {
  /** Entra object id (oid) in Teams; `local-dev` (or the X-Dev-User value) in local mode. */
  id: string;
  name: string;
  /** User principal name / email, when known. */
  email?: string;
  tenantId?: string;
  /** True for the development identity of local mode. */
  local: boolean;
  /** The SSO token the tab sent (never logged): the assertion for on-behalf-of. */
  token?: string;
}

/** The clearly marked identity every request gets in local mode (no SSO). */
export const DEV_IDENTITY: Caller = {
  id: 'local-dev',
  name: 'Development identity (local mode)',
  email: 'dev@localhost',
  local: true,
};

function same(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Co-ordinators: COORDINATOR_IDS (object ids or UPNs); in local mode the development identity too. */
export function isCoordinator(caller: Caller, config: Config): boolean {
  if (caller.local && caller.id === DEV_IDENTITY.id) return true;
  const ids = (config as Config & { COORDINATOR_IDS?: string[] }).COORDINATOR_IDS ?? [];
  return ids.some((id) => same(id, caller.id) || same(id, caller.email));
}

/** The lead roles the caller answers for, from the plan's directory. */
export function rolesOf(caller: Caller, directory: readonly DirectoryEntry[]): string[] {
  return directory
    .filter((entry) => entry.people.some((p) => same(p.id, caller.id) || same(p.email, caller.email) || same(p.email, caller.id)))
    .map((entry) => entry.role);
}

/** A lead may report on an item when one of their roles leads it. */
export function leadsItem(roles: readonly string[], item: Pick<PlanItem, 'leads'>): boolean {
  const mine = new Set(roles.map(roleKey));
  return item.leads.some((l) => mine.has(roleKey(l)));
}
