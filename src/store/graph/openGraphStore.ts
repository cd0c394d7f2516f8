/** Builds the SharePoint (Graph) store from configuration. */
import type { Config } from '../../config';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logger';
import type { PlanStore } from '../planStore';
import { ClientCredentialsTokenProvider, defaultScopeFor, StaticTokenProvider } from './auth';
import { GraphHttp } from './graphHttp';
import { GraphPlanStore } from './graphListStore';

/** The Graph connection the configuration describes: a fixed token (emulator) or app-only client credentials. */
export function graphHttpFrom(config: Config, logger: Logger): GraphHttp {
  let auth;
  if (config.GRAPH_TOKEN) {
    auth = new StaticTokenProvider(config.GRAPH_TOKEN);
  } else if (config.TENANT_ID && config.CLIENT_ID && config.CLIENT_SECRET) {
    auth = new ClientCredentialsTokenProvider(
      { tenantId: config.TENANT_ID, clientId: config.CLIENT_ID, clientSecret: config.CLIENT_SECRET },
      defaultScopeFor(config.GRAPH_BASE_URL),
    );
  } else {
    throw new ConfigError('Graph needs TENANT_ID, CLIENT_ID and CLIENT_SECRET (or GRAPH_TOKEN for the local emulator)');
  }
  return new GraphHttp({ baseUrl: config.GRAPH_BASE_URL, auth, logger, retry: { maxRetries: config.GRAPH_MAX_RETRIES } });
}

export async function openGraphStore(config: Config, logger: Logger): Promise<PlanStore> {
  if (!config.SHAREPOINT_SITE) throw new ConfigError('SHAREPOINT_SITE is required when STORE=graph');
  logger.info({ store: 'graph', site: config.SHAREPOINT_SITE, graph: config.GRAPH_BASE_URL }, 'opening the SharePoint store');
  return new GraphPlanStore({ http: graphHttpFrom(config, logger), site: config.SHAREPOINT_SITE, pageSize: config.GRAPH_PAGE_SIZE, logger });
}
