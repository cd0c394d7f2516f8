/**
 * Who is acting: one shape for a person whichever surface they use (a Teams card, the tab, an
 * e-mailed link, the command line), and the one way of telling whether they are a co-ordinator or
 * which lead roles they hold. Ids compare without regard to case or surrounding spaces.
 */
import type { ReportChannel } from '../domain/model';
import type { DirectoryEntry } from '../store/planStore';

export interface Actor {
  /** Display name, as history shows who reported. */
  name: string;
  /** Every id the person is known by: Entra object id, user principal name or e-mail, Teams user id. */
  ids: string[];
  /** The id recorded with what they do (Entra object id, else e-mail), where known. */
  id?: string;
  via: ReportChannel;
  /** The clearly marked development identity of local mode, which acts as a co-ordinator. */
  developer?: boolean;
}

export function normalisedId(id: string): string {
  return id.trim().toLowerCase();
}

/** An actor from whatever ids a surface knows (empty and repeated ones dropped). */
export function actorOf(input: {
  name: string;
  ids: Array<string | undefined>;
  id?: string;
  via: ReportChannel;
  developer?: boolean;
}): Actor {
  const ids = [...new Set(input.ids.filter((x): x is string => !!x && x.trim() !== '').map(normalisedId))];
  return {
    name: input.name,
    ids,
    via: input.via,
    ...(input.id ? { id: input.id } : {}),
    ...(input.developer ? { developer: true } : {}),
  };
}

/** Co-ordinators are named in COORDINATOR_IDS by object id or UPN; the development identity is one too. */
export function isCoordinator(actor: Actor, coordinatorIds: readonly string[]): boolean {
  if (actor.developer) return true;
  const ids = new Set(actor.ids);
  return coordinatorIds.some((c) => ids.has(normalisedId(c)));
}

/** The directory roles the actor answers for: a person listed by id or by e-mail. */
export function rolesOf(actor: Actor, directory: readonly DirectoryEntry[]): string[] {
  const ids = new Set(actor.ids);
  return directory
    .filter((e) => e.people.some((p) => ids.has(normalisedId(p.id)) || (p.email !== undefined && ids.has(normalisedId(p.email)))))
    .map((e) => e.role);
}
