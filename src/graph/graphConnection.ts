/**
 * Graph connections from configuration: the app's own (a fixed token for the local emulator, else
 * client credentials) and one acting for a signed-in user (on-behalf-of the tab's SSO token). Every
 * Graph call in the app goes through a GraphHttp built here, with its retries and error mapping.
 */
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';
import {
  ClientCredentialsTokenProvider,
  defaultScopeFor,
  OnBehalfOfTokenProvider,
  StaticTokenProvider,
  type ClientCredentials,
  type OnBehalfOfClient,
} from './auth';
import { GraphHttp } from './graphHttp';

type GraphConfig = Pick<Config, 'TENANT_ID' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'GRAPH_TOKEN' | 'GRAPH_BASE_URL' | 'GRAPH_MAX_RETRIES'>;

export function appCredentials(config: GraphConfig): ClientCredentials | undefined {
  return config.TENANT_ID && config.CLIENT_ID && config.CLIENT_SECRET
    ? { tenantId: config.TENANT_ID, clientId: config.CLIENT_ID, clientSecret: config.CLIENT_SECRET }
    : undefined;
}

/** The app's own credential: a fixed token (emulator) or app-only client credentials. */
function appAuth(config: GraphConfig): AuthenticationProvider {
  if (config.GRAPH_TOKEN) return new StaticTokenProvider(config.GRAPH_TOKEN);
  const credentials = appCredentials(config);
  if (!credentials) throw new ConfigError('Graph needs TENANT_ID, CLIENT_ID and CLIENT_SECRET (or GRAPH_TOKEN for the local emulator)');
  return new ClientCredentialsTokenProvider(credentials, defaultScopeFor(config.GRAPH_BASE_URL));
}

/** The Graph connection the configuration describes, with the app's credential unless another is given. */
export function graphHttpFrom(config: GraphConfig, logger: Logger, auth: AuthenticationProvider = appAuth(config)): GraphHttp {
  return new GraphHttp({ baseUrl: config.GRAPH_BASE_URL, auth, logger, retry: { maxRetries: config.GRAPH_MAX_RETRIES } });
}

/** A Graph connection acting as the signed-in user: their SSO token exchanged on behalf of them. */
export function graphHttpForUser(config: GraphConfig, logger: Logger, ssoToken: string, app?: OnBehalfOfClient): GraphHttp {
  const credentials = appCredentials(config);
  if (!credentials) throw new ConfigError('On-behalf-of needs TENANT_ID, CLIENT_ID and CLIENT_SECRET');
  return graphHttpFrom(config, logger, new OnBehalfOfTokenProvider(credentials, ssoToken, [defaultScopeFor(config.GRAPH_BASE_URL)], app));
}

/** The app's own Graph connection when the configuration allows one (credentials or the emulator's token), else undefined. */
export function appGraphIfConfigured(config: GraphConfig, logger: Logger): GraphHttp | undefined {
  return config.GRAPH_TOKEN || appCredentials(config) ? graphHttpFrom(config, logger) : undefined;
}
