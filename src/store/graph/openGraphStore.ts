/** Builds the SharePoint (Graph) store from configuration. */
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { Config } from '../../config';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logger';
import type { PlanStore } from '../planStore';
import {
  ClientCredentialsTokenProvider,
  defaultScopeFor,
  OnBehalfOfTokenProvider,
  StaticTokenProvider,
  type ClientCredentials,
  type OnBehalfOfClient,
} from './auth';
import { GraphHttp } from './graphHttp';
import { GraphPlanStore } from './graphListStore';

function appCredentials(config: Config): ClientCredentials | undefined {
  return config.TENANT_ID && config.CLIENT_ID && config.CLIENT_SECRET
    ? { tenantId: config.TENANT_ID, clientId: config.CLIENT_ID, clientSecret: config.CLIENT_SECRET }
    : undefined;
}

/** The app's own credential: a fixed token (emulator) or app-only client credentials. */
function appAuth(config: Config): AuthenticationProvider {
  if (config.GRAPH_TOKEN) return new StaticTokenProvider(config.GRAPH_TOKEN);
  const credentials = appCredentials(config);
  if (!credentials) throw new ConfigError('Graph needs TENANT_ID, CLIENT_ID and CLIENT_SECRET (or GRAPH_TOKEN for the local emulator)');
  return new ClientCredentialsTokenProvider(credentials, defaultScopeFor(config.GRAPH_BASE_URL));
}

/** The Graph connection the configuration describes, with the app's credential unless another is given. */
export function graphHttpFrom(config: Config, logger: Logger, auth: AuthenticationProvider = appAuth(config)): GraphHttp {
  return new GraphHttp({ baseUrl: config.GRAPH_BASE_URL, auth, logger, retry: { maxRetries: config.GRAPH_MAX_RETRIES } });
}

function storeOn(config: Config, logger: Logger, http: GraphHttp): PlanStore {
  if (!config.SHAREPOINT_SITE) throw new ConfigError('SHAREPOINT_SITE is required when STORE=graph');
  return new GraphPlanStore({ http, site: config.SHAREPOINT_SITE, pageSize: config.GRAPH_PAGE_SIZE, logger });
}

export async function openGraphStore(config: Config, logger: Logger): Promise<PlanStore> {
  logger.info({ store: 'graph', site: config.SHAREPOINT_SITE, graph: config.GRAPH_BASE_URL }, 'opening the SharePoint store');
  return storeOn(config, logger, graphHttpFrom(config, logger));
}

/**
 * The store acting as the signed-in user: the tab's SSO token is exchanged on behalf of the user,
 * so SharePoint records the person as the author of what they change. `app` is msal's client by default.
 */
export function openGraphStoreForUser(config: Config, logger: Logger, ssoToken: string, app?: OnBehalfOfClient): PlanStore {
  const credentials = appCredentials(config);
  if (!credentials) throw new ConfigError('On-behalf-of needs TENANT_ID, CLIENT_ID and CLIENT_SECRET');
  const auth = new OnBehalfOfTokenProvider(credentials, ssoToken, [defaultScopeFor(config.GRAPH_BASE_URL)], app);
  return storeOn(config, logger, graphHttpFrom(config, logger, auth));
}
