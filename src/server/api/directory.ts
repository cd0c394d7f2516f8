/**
 * The Directory view: the roles answering for the plan's items (lead roles, and the owner role of
 * items with no lead, shown like any role) → people (leads, a deputy, who is away), who has answered
 * and who cannot be reached.
 */
import { foldText } from '../../domain/identity';
import { roleKey } from '../../domain/leads';
import { leadRoles } from '../../domain/filters';
import { answeringRoles } from '../../domain/recipients';
import { isReport, type StatusUpdate } from '../../domain/model';
import type { DirectoryEntry, Person, StoredItem } from '../../store/planStore';

export interface DirectoryPersonView extends Person {
  /** Reports this person has made on the plan. */
  reports: number;
  lastReportAt?: string;
  /** Why the bot cannot reach this person (no 1:1 chat, app removed), when it cannot. */
  unreachable?: string;
}

export interface DirectoryRoleView {
  role: string;
  /** Items this role leads or owns (0 for a role kept in the directory but no longer in the plan). */
  items: number;
  /** True for the role answering for items that name no lead (the plan's owner role, or an item's own). */
  owner?: boolean;
  people: DirectoryPersonView[];
  /** answered: someone in the role has reported; waiting: people known, no report yet; unreachable: no one who can be prompted. */
  state: 'answered' | 'waiting' | 'unreachable';
}

export function directoryView(
  items: readonly StoredItem[],
  directory: readonly DirectoryEntry[],
  history: readonly StatusUpdate[],
  unreachable: ReadonlyArray<{ who: string; why: string }> = [],
  /** The plan's owner role (who answers for items naming no lead). */
  ownerRole?: string,
): DirectoryRoleView[] {
  const why = new Map(unreachable.map((u) => [foldText(u.who), u.why]));
  const byRole = new Map<string, DirectoryEntry>();
  for (const entry of directory) byRole.set(roleKey(entry.role), entry);
  const roles = leadRoles(items);
  const owners = new Set<string>();
  for (const item of items) {
    if (item.leads.length > 0) continue;
    for (const role of answeringRoles(item, ownerRole)) {
      owners.add(roleKey(role));
      if (!roles.some((r) => roleKey(r) === roleKey(role))) roles.push(role);
    }
  }
  for (const entry of directory) if (!roles.some((r) => roleKey(r) === roleKey(entry.role))) roles.push(entry.role);
  return roles.map((role) => {
    const led = items.filter((i) => answeringRoles(i, ownerRole).some((l) => roleKey(l) === roleKey(role)));
    const keys = new Set(led.map((i) => i.key));
    const people = (byRole.get(roleKey(role))?.people ?? []).map((person): DirectoryPersonView => {
      const known = [person.name, person.email, person.id].filter((x): x is string => !!x).map(foldText);
      // A report names its reporter by display name, and by id where the surface knew it.
      const mine = history.filter(
        (u) => isReport(u) && keys.has(u.itemKey) && (known.includes(foldText(u.by)) || (!!u.byId && known.includes(foldText(u.byId)))),
      );
      const view: DirectoryPersonView = { ...person, reports: mine.length };
      const last = mine[mine.length - 1];
      if (last) view.lastReportAt = last.at;
      const cannot = why.get(foldText(person.name)) ?? (person.email ? why.get(foldText(person.email)) : undefined);
      if (cannot) view.unreachable = cannot;
      return view;
    });
    const state = people.some((p) => p.reports > 0) ? 'answered' : people.every((p) => p.unreachable) ? 'unreachable' : 'waiting';
    return { role, items: led.length, ...(owners.has(roleKey(role)) ? { owner: true } : {}), people, state };
  });
}
