/**
 * The plan's SharePoint site and lists, as the app sees them with its own token:
 *  - the site by path (https://learn.microsoft.com/en-us/graph/api/site-getbypath); 403 means the app
 *    has no role on it under Sites.Selected (https://learn.microsoft.com/en-us/graph/api/site-post-permissions);
 *  - the four lists, and every column's type, index and uniqueness read back
 *    (https://learn.microsoft.com/en-us/graph/api/list-list-columns) against src/store/graph/schema.ts:
 *    a column that is not indexed makes every filtered read fail (400).
 */
import type { GraphHttp } from '../graph/graphHttp';
import { GraphRequestError, MissingGrantError } from '../graph/graphErrors';
import { checkColumns, readColumns } from '../store/graph/provision';
import { LISTS, type ListIds } from '../store/graph/schema';
import { listsOf } from '../store/graph/site';
import { fail, messageOf, pass, type CheckResult } from './checkResult';

export function grantAdvice(site: string, clientId: string, role: 'write' | 'manage' = 'write'): string {
  return (
    `Grant the app the ${role} role on the site (Sites.Selected): infra/sharepoint/grant-sites-selected.sh --app-id ${clientId} --site ${site} --role ${role} ` +
    `(or the .ps1), which calls POST /sites/{site-id}/permissions with {"roles":["${role}"],"grantedToIdentities":[{"application":{"id":"${clientId}"}}]}; ` +
    'docs/deployment.md step 5.'
  );
}

export async function checkSite(http: GraphHttp, site: string, clientId: string): Promise<{ result: CheckResult; siteId?: string }> {
  const title = `SharePoint site ${site}`;
  const match = /^([^:/]+):(\/.+?)\/*$/.exec(site);
  if (!match)
    return {
      result: fail(
        'site',
        title,
        'SHAREPOINT_SITE is not hostname:/sites/path',
        'Set SHAREPOINT_SITE, e.g. contoso.sharepoint.com:/sites/prevent.',
      ),
    };
  try {
    const answer = await http.get<{ id: string; webUrl?: string }>(`/sites/${match[1]}:${encodeURI(match[2] as string)}`);
    return { result: pass('site', title, `reachable: ${answer.body.webUrl ?? answer.body.id}`), siteId: answer.body.id };
  } catch (error) {
    if (error instanceof MissingGrantError) {
      return { result: fail('site', title, 'Graph answers 403: the app has no role on this site', grantAdvice(site, clientId)) };
    }
    if (error instanceof GraphRequestError && error.status === 404) {
      return { result: fail('site', title, 'no such site (404)', 'Check SHAREPOINT_SITE: the host name and the path after /sites/.') };
    }
    return { result: fail('site', title, messageOf(error), 'Check SHAREPOINT_SITE and GRAPH_BASE_URL.') };
  }
}

/** One line per list: present, and every column as the app needs it. */
export async function checkLists(
  http: GraphHttp,
  siteId: string,
  site: string,
  clientId: string,
): Promise<{ results: CheckResult[]; lists?: ListIds }> {
  let present;
  try {
    present = await listsOf(http, siteId);
  } catch (error) {
    const advice = error instanceof MissingGrantError ? grantAdvice(site, clientId) : "Check the site and the app's role on it.";
    return { results: [fail('lists', 'Lists of the site', messageOf(error), advice)] };
  }
  const results: CheckResult[] = [];
  const ids: Partial<ListIds> = {};
  for (const def of LISTS) {
    const id = `list-${def.key}`;
    const title = `List "${def.displayName}"`;
    const found = present.find((l) => l.displayName === def.displayName);
    if (!found) {
      results.push(
        fail(
          id,
          title,
          'missing',
          `Run "dplan provision --site ${site}" with the manage role on the site (docs/deployment.md step 6), then step the role down to write.`,
        ),
      );
      continue;
    }
    ids[def.key] = found.id;
    try {
      const problems = checkColumns(def, await readColumns(http, siteId, found.id));
      if (problems.length === 0) {
        results.push(pass(id, title, `${def.columns.length} columns with the types, indexes and unique values provisioned`));
      } else {
        results.push(
          fail(
            id,
            title,
            problems.map((p) => `column ${p.column} ${p.problem}`).join('; '),
            'In SharePoint: List settings → Indexed columns (and the column\'s "Enforce unique values"); or delete the column and run dplan provision again.',
          ),
        );
      }
    } catch (error) {
      results.push(fail(id, title, messageOf(error), "Check the app's role on the site."));
    }
  }
  return { results, ...(Object.keys(ids).length === LISTS.length ? { lists: ids as ListIds } : {}) };
}
