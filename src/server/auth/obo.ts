/**
 * On-behalf-of: exchanges the tab's SSO token for a Microsoft Graph token acting as the signed-in
 * user (people search when the co-ordinator fills in the directory). MSAL caches the result.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Config } from '../../config';
import { ConfigError } from '../../errors';

let cached: { key: string; app: ConfidentialClientApplication } | undefined;

export async function graphTokenOnBehalfOf(config: Config, userToken: string): Promise<string> {
  if (!config.TENANT_ID || !config.CLIENT_ID || !config.CLIENT_SECRET) {
    throw new ConfigError('Graph on-behalf-of needs TENANT_ID, CLIENT_ID and CLIENT_SECRET');
  }
  const key = `${config.TENANT_ID}|${config.CLIENT_ID}`;
  if (!cached || cached.key !== key) {
    cached = {
      key,
      app: new ConfidentialClientApplication({
        auth: {
          clientId: config.CLIENT_ID,
          clientSecret: config.CLIENT_SECRET,
          authority: `https://login.microsoftonline.com/${config.TENANT_ID}`,
        },
      }),
    };
  }
  const result = await cached.app.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: ['https://graph.microsoft.com/.default'] });
  if (!result?.accessToken) throw new ConfigError('Graph did not grant a token on behalf of the user (consent missing?)');
  return result.accessToken;
}
