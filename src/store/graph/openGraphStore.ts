/** Builds the SharePoint (Graph) store from configuration. */
import type { Config } from '../../config';
import { ConfigError } from '../../errors';
import type { OnBehalfOfClient } from '../../graph/auth';
import { graphHttpForUser, graphHttpFrom } from '../../graph/graphConnection';
import type { GraphHttp } from '../../graph/graphHttp';
import type { Logger } from '../../logger';
import type { PlanStore } from '../planStore';
import { GraphPlanStore } from './graphListStore';

function storeOn(config: Config, logger: Logger, http: GraphHttp, refreshMs: number): PlanStore {
  if (!config.SHAREPOINT_SITE) throw new ConfigError('SHAREPOINT_SITE is required when STORE=graph');
  return new GraphPlanStore({
    http,
    site: config.SHAREPOINT_SITE,
    pageSize: config.GRAPH_PAGE_SIZE,
    logger,
    cacheMaxAgeMs: config.GRAPH_CACHE_MAX_AGE_MS,
    cacheRefreshMs: refreshMs,
  });
}

export async function openGraphStore(config: Config, logger: Logger): Promise<PlanStore> {
  logger.info({ store: 'graph', site: config.SHAREPOINT_SITE, graph: config.GRAPH_BASE_URL }, 'opening the SharePoint store');
  return storeOn(config, logger, graphHttpFrom(config, logger), config.GRAPH_CACHE_REFRESH_MS);
}

/**
 * The store acting as the signed-in user: the tab's SSO token is exchanged on behalf of the user,
 * so SharePoint records the person as the author of what they change. `app` is msal's client by default.
 * It lives for one request: no background checks.
 */
export function openGraphStoreForUser(config: Config, logger: Logger, ssoToken: string, app?: OnBehalfOfClient): PlanStore {
  return storeOn(config, logger, graphHttpForUser(config, logger, ssoToken, app), 0);
}
