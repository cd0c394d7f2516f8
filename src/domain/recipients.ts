/**
 * Who answers for an item, and who is asked. Pure.
 *
 * - The roles answering for an item are its lead roles; an item with no lead (a commissioned project)
 *   is answered for by its owner role, else the plan's owner role (the "contract manager" setting,
 *   by default the co-ordinator's role).
 * - A role's people are its leads and, marked `deputy`, its deputies. Leads are asked; a lead marked
 *   away is not. When every lead of a role is away, the deputies are asked at once; when there are no
 *   deputies either, the away leads are still asked (there is nobody else).
 * - Roles resolve through the directory whatever their spelling (case, spacing and dashes do not
 *   matter); a role with nobody in the directory is returned as unresolved, never dropped.
 */
import { roleKey } from './leads';
import type { PlanItem } from './model';

export interface DirectoryPerson {
  id: string;
  name: string;
  email?: string;
  /** Marked away in the Directory: not asked while away (the role's deputy is, at once). */
  away?: boolean;
  /** The role's deputy: asked when the leads have not answered within a week, or are away. */
  deputy?: boolean;
}

export interface DirectoryRole {
  role: string;
  people: DirectoryPerson[];
}

/** Role shown for an item that names no lead and has no owner role to fall back on. */
export const NO_LEAD_ROLE = '(no lead named in the plan)';

/** The roles that answer for an item: its leads, else its owner, else the plan's owner role. */
export function answeringRoles(item: Pick<PlanItem, 'leads' | 'owner'>, ownerRole?: string): string[] {
  if (item.leads.length > 0) return item.leads;
  if (item.owner) return [item.owner];
  return ownerRole && ownerRole.trim() ? [ownerRole.trim()] : [];
}

export type RoleIndex = Map<string, DirectoryPerson[]>;

export function roleIndex(directory: readonly DirectoryRole[]): RoleIndex {
  const index: RoleIndex = new Map();
  for (const entry of directory) {
    const key = roleKey(entry.role);
    index.set(key, [...(index.get(key) ?? []), ...entry.people]);
  }
  return index;
}

/** Why a deputy is asked: the leads are away, did not answer within the deputy's delay, or the role has only a deputy. */
export type DeputyBecause = 'lead-away' | 'no-answer' | 'no-lead';

export interface Asked {
  person: DirectoryPerson;
  /** The roles through which this person is asked. */
  roles: string[];
  /** Set when the person is asked as a deputy. */
  deputy?: DeputyBecause;
}

export interface Resolution {
  asked: Asked[];
  /** Roles with nobody in the directory. */
  unresolved: string[];
  /** Roles whose present leads were asked (the ones a deputy may chase later). */
  ledBy: string[];
}

function add(byId: Map<string, Asked>, person: DirectoryPerson, role: string, deputy?: DeputyBecause): void {
  const key = person.id.toLowerCase();
  const found = byId.get(key);
  if (found) {
    if (!found.roles.includes(role)) found.roles.push(role);
    // Asked as a lead through any role wins over being asked as a deputy.
    if (!deputy) delete found.deputy;
  } else byId.set(key, { person, roles: [role], ...(deputy ? { deputy } : {}) });
}

/** Who is asked for these roles today (leads, or deputies standing in for away leads). */
export function resolveRoles(roles: readonly string[], directory: readonly DirectoryRole[] | RoleIndex): Resolution {
  const index = directory instanceof Map ? directory : roleIndex(directory);
  const byId = new Map<string, Asked>();
  const unresolved: string[] = [];
  const ledBy: string[] = [];
  for (const role of roles) {
    const people = index.get(roleKey(role)) ?? [];
    const leads = people.filter((p) => !p.deputy);
    const deputies = people.filter((p) => p.deputy && !p.away);
    const present = leads.filter((p) => !p.away);
    if (present.length > 0) {
      ledBy.push(role);
      for (const p of present) add(byId, p, role);
    } else if (deputies.length > 0) {
      for (const p of deputies) add(byId, p, role, leads.length > 0 ? 'lead-away' : 'no-lead');
    } else if (leads.length > 0) {
      for (const p of leads) add(byId, p, role);
    } else unresolved.push(role);
  }
  return { asked: [...byId.values()], unresolved, ledBy };
}

/** The deputies (not away) of a role. */
export function deputiesOf(role: string, directory: readonly DirectoryRole[] | RoleIndex): DirectoryPerson[] {
  const index = directory instanceof Map ? directory : roleIndex(directory);
  return (index.get(roleKey(role)) ?? []).filter((p) => p.deputy && !p.away);
}

/**
 * People answering for lead roles, each once, with the roles through which they were found (leads
 * only, as "Send prompt now" asks them; see resolveRoles for deputies and away leads).
 */
export function resolveLeads(
  leads: readonly string[],
  directory: readonly DirectoryRole[] | RoleIndex,
): { people: Array<{ person: DirectoryPerson; roles: string[] }>; unresolved: string[] } {
  const { asked, unresolved } = resolveRoles(leads, directory);
  return { people: asked.map(({ person, roles }) => ({ person, roles })), unresolved };
}

/**
 * The plan's co-ordinator role, the default owner of items with no lead: of the roles with
 * "co-ordinator" in their name, the one leading the most items ("Prevent Co-ordinator" in the shared
 * plan); "Co-ordinator" when no role says so.
 */
export function coordinatorRole(items: ReadonlyArray<Pick<PlanItem, 'leads'>>): string {
  const counts = new Map<string, { role: string; n: number }>();
  for (const item of items) {
    for (const role of item.leads) {
      const key = roleKey(role);
      if (!key.includes('coordinator')) continue;
      const found = counts.get(key);
      if (found) found.n++;
      else counts.set(key, { role, n: 1 });
    }
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n || a.role.localeCompare(b.role))[0];
  return best?.role ?? 'Co-ordinator';
}

/** The owner role for items with no lead: the saved setting, else the co-ordinator's role. */
export function ownerRoleOf(saved: string | undefined, items: ReadonlyArray<Pick<PlanItem, 'leads'>>): string {
  return saved && saved.trim() ? saved.trim() : coordinatorRole(items);
}
