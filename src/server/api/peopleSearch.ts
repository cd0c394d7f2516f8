/**
 * People search for the directory. In Teams: Microsoft Graph `GET /users?$search=…` on behalf of the
 * signed-in user (so only people they may see), through the app's one Graph client with its retries
 * (https://learn.microsoft.com/graph/search-query-parameter: `$search` on users needs
 * `ConsistencyLevel: eventual`). In local mode: the people already in the plans' directories.
 */
import type { GraphHttp } from '../../graph/graphHttp';
import type { PlanStore } from '../../store/planStore';
import { UnavailableError } from './errors';

export interface PersonHit {
  id: string;
  name: string;
  email: string | null;
}

interface GraphUser {
  id: string;
  displayName?: string;
  mail?: string | null;
  userPrincipalName?: string;
}

export async function searchGraphPeople(graph: GraphHttp, q: string): Promise<PersonHit[]> {
  const term = q.replace(/["\\]/g, ' ').trim();
  const path = `/users?$search=${encodeURIComponent(`"displayName:${term}" OR "mail:${term}"`)}&$select=id,displayName,mail,userPrincipalName&$top=10`;
  let body: { value?: GraphUser[] };
  try {
    body = (await graph.get<{ value?: GraphUser[] }>(path, { headers: { ConsistencyLevel: 'eventual' } })).body;
  } catch (err) {
    const status = (err as { status?: number }).status;
    throw new UnavailableError(
      `Microsoft Graph could not search people just now${status ? ` (${status})` : ''}. Type the person's name and email instead.`,
    );
  }
  return (body.value ?? []).map((u) => ({
    id: u.id,
    name: u.displayName ?? u.userPrincipalName ?? u.id,
    email: u.mail ?? u.userPrincipalName ?? null,
  }));
}

export async function searchDirectoryPeople(store: PlanStore, q: string): Promise<PersonHit[]> {
  const folded = q.toLowerCase();
  const seen = new Map<string, PersonHit>();
  for (const plan of await store.listPlans()) {
    for (const entry of await store.listDirectory(plan.id)) {
      for (const p of entry.people) {
        const hit = p.name.toLowerCase().includes(folded) || p.email?.toLowerCase().includes(folded);
        if (hit && !seen.has(p.id)) seen.set(p.id, { id: p.id, name: p.name, email: p.email ?? null });
      }
    }
  }
  return [...seen.values()].slice(0, 10);
}
