/**
 * Access tokens for Graph, as AuthenticationProviders for the Graph client:
 * - client credentials (app-only; the app holds `Sites.Selected`, granted per site by an admin):
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * - on-behalf-of, exchanging the tab's SSO token for a Graph token acting as the signed-in user:
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 * - a fixed token (GRAPH_TOKEN) for the local emulator and tests: never sent to Microsoft.
 * Tokens are never logged.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';

/** The `.default` scope of the Graph resource behind `baseUrl` (national clouds have their own host). */
export function defaultScopeFor(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

export class StaticTokenProvider implements AuthenticationProvider {
  constructor(private readonly token: string) {}
  async getAccessToken(): Promise<string> {
    return this.token;
  }
}

export interface ClientCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

function confidentialClient(credentials: ClientCredentials): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      authority: `https://login.microsoftonline.com/${credentials.tenantId}`,
      clientSecret: credentials.clientSecret,
    },
  });
}

/** App-only tokens; msal caches them and renews them before they expire. */
export class ClientCredentialsTokenProvider implements AuthenticationProvider {
  private readonly app: ConfidentialClientApplication;
  constructor(
    credentials: ClientCredentials,
    private readonly scope: string,
  ) {
    this.app = confidentialClient(credentials);
  }
  async getAccessToken(): Promise<string> {
    const result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope] });
    if (!result?.accessToken) throw new Error('No app-only token was issued for Graph');
    return result.accessToken;
  }
}

/** The part of msal's ConfidentialClientApplication the on-behalf-of exchange uses. */
export type OnBehalfOfClient = Pick<ConfidentialClientApplication, 'acquireTokenOnBehalfOf'>;

/** Delegated tokens for one signed-in user, from the tab's SSO token (the user assertion). */
export class OnBehalfOfTokenProvider implements AuthenticationProvider {
  private readonly app: OnBehalfOfClient;
  constructor(
    credentials: ClientCredentials,
    private readonly userAssertion: string,
    private readonly scopes: string[],
    app?: OnBehalfOfClient,
  ) {
    this.app = app ?? confidentialClient(credentials);
  }
  async getAccessToken(): Promise<string> {
    const result = await this.app.acquireTokenOnBehalfOf({ oboAssertion: this.userAssertion, scopes: this.scopes });
    if (!result?.accessToken) throw new Error('No on-behalf-of token was issued for Graph');
    return result.accessToken;
  }
}
