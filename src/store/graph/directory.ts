/**
 * The lead directory in SharePoint: one row per role of a plan, its people kept exactly as JSON
 * (PeopleJson) and, for people using the list, in the multi-person column People.
 *
 * A multi-value person column is written as `PeopleLookupId` with
 * `"PeopleLookupId@odata.type": "Collection(Edm.Int32)"` and the numeric ids of the people in the
 * site's User Information List (https://learn.microsoft.com/en-us/graph/api/listitem-update; the
 * annotated collection form as in https://github.com/microsoftgraph/microsoft-graph-docs/issues/2991).
 * Someone not yet known to the site has no id (SharePoint adds people when they first use it): they
 * stay in the directory, only not in the person column.
 */
import type { Person } from '../planStore';
import { odataString, type Fields, type GraphItem } from './graphFields';
import { createOnce } from './keyedWrite';
import { itemsUrl, type StoreContext } from './listReads';

/** SharePoint's hidden list of a site's users, addressed by title; person columns hold its item ids. */
const USER_INFORMATION_LIST = 'User Information List';

/** The People column's value for these people: their User Information List ids, as Edm.Int32. */
export async function peopleColumn(ctx: StoreContext, people: Person[]): Promise<Fields> {
  return { 'PeopleLookupId@odata.type': 'Collection(Edm.Int32)', PeopleLookupId: await userLookupIds(ctx, people) };
}

async function userLookupIds(ctx: StoreContext, people: Person[]): Promise<number[]> {
  // Partners held by e-mail only (`mailto:` ids) are outside the tenant: never users of the site.
  const withEmail = people.filter((p): p is Person & { email: string } => Boolean(p.email) && !p.id.toLowerCase().startsWith('mailto:'));
  if (withEmail.length === 0) return [];
  const { siteId } = await ctx.locate();
  const answers = await ctx.http.batch<{ value: GraphItem[] }>(
    withEmail.map((p, i) => ({
      id: String(i),
      method: 'GET' as const,
      url: `/sites/${siteId}/lists/${encodeURIComponent(USER_INFORMATION_LIST)}/items?expand=fields&$top=1&$filter=${encodeURIComponent('fields/EMail eq ')}${odataString(p.email)}`,
      // EMail is not indexed in that list; it is small, so the warning does not apply.
      headers: { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' },
    })),
    { idempotent: true },
  );
  const ids: number[] = [];
  answers.forEach((answer, i) => {
    const found = answer.status === 200 ? answer.body.value[0] : undefined;
    if (found && /^\d+$/.test(String(found.id))) ids.push(Number(found.id));
    else
      ctx.logger?.info(
        { person: withEmail[i]!.id, status: answer.status },
        'person not yet known to the site; left out of the People column',
      );
  });
  return ids;
}

/**
 * Writes a role's row: PATCH when it exists (last writer wins, as for a person editing the list),
 * else created once by its unique RoleRef; a row someone else created first is patched instead.
 */
export async function writeRole(ctx: StoreContext, existing: GraphItem | undefined, fields: Fields): Promise<GraphItem> {
  const located = await ctx.locate();
  let row = existing;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!row) {
      const made = await createOnce(ctx, 'leads', 'RoleRef', fields);
      if (made.created) return made.row;
      row = made.row;
    }
    const patched = await ctx.http.request<Fields>('PATCH', `${itemsUrl(located, 'leads')}/${row.id}/fields`, {
      body: fields,
      idempotent: true,
      accept: [404, 409],
    });
    if (patched.status === 409) continue; // another save got in first ("Save Conflict"): the last writer wins, so write again
    if (patched.status !== 404) return { id: row.id, eTag: String(patched.body['@odata.etag']), fields: patched.body };
    row = undefined; // removed meanwhile: create it again
  }
  throw new Error(`Could not record the people for role ${String(fields.Title)}`);
}

export async function deleteRole(ctx: StoreContext, row: GraphItem): Promise<void> {
  const located = await ctx.locate();
  await ctx.http.request('DELETE', `${itemsUrl(located, 'leads')}/${row.id}`, { idempotent: true, accept: [404] });
}
