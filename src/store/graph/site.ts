/** Finding the team's site and the app's lists in it. */
import { ConfigError, NotFoundError } from '../../errors';
import { GraphRequestError, type GraphHttp } from '../../graph/graphHttp';
import { LISTS, type ListIds } from './schema';

export interface GraphList {
  id: string;
  displayName: string;
  name?: string;
}

/** `contoso.sharepoint.com:/sites/prevent` → the site id. https://learn.microsoft.com/en-us/graph/api/site-getbypath */
export async function resolveSiteId(http: GraphHttp, site: string): Promise<string> {
  const match = /^([^:/]+):(\/.+?)\/*$/.exec(site);
  if (!match) throw new ConfigError(`SHAREPOINT_SITE must be hostname:/sites/path, not "${site}"`);
  try {
    const response = await http.get<{ id: string }>(`/sites/${match[1]}:${encodeURI(match[2] as string)}`);
    return response.body.id;
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 404) throw new NotFoundError(`No SharePoint site ${site}`);
    throw error;
  }
}

export async function listsOf(http: GraphHttp, siteId: string): Promise<GraphList[]> {
  return http.getAll<GraphList>(`/sites/${siteId}/lists?$select=id,displayName,name`);
}

/** The ids of the app's lists; ConfigError naming the command to run when they are not there. */
export async function resolveLists(http: GraphHttp, site: string): Promise<{ siteId: string; lists: ListIds }> {
  const siteId = await resolveSiteId(http, site);
  const existing = await listsOf(http, siteId);
  const ids: Partial<ListIds> = {};
  const missing: string[] = [];
  for (const def of LISTS) {
    const found = existing.find((l) => l.displayName === def.displayName);
    if (found) ids[def.key] = found.id;
    else missing.push(def.displayName);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `The site ${site} has no ${missing.join(', ')} list${missing.length > 1 ? 's' : ''}: run "dplan provision --site ${site}" first`,
    );
  }
  return { siteId, lists: ids as ListIds };
}
