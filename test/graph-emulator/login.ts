/**
 * A stand-in for the Microsoft identity platform's token endpoint, client credentials only:
 * `POST {login}/{tenant}/oauth2/v2.0/token` with `client_id`, `client_secret`, `scope`
 * (`{resource}/.default`) and `grant_type=client_credentials`, form-encoded; the answer is
 * `{ token_type: 'Bearer', expires_in, ext_expires_in, access_token }`
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 * Errors as Entra gives them, `{ error, error_description: 'AADSTS…: …', error_codes: [...] }`
 * (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
 *  - unknown tenant: 400 invalid_request AADSTS90002;
 *  - unknown app in the tenant: 400 unauthorized_client AADSTS700016;
 *  - wrong secret: 401 invalid_client AADSTS7000215;
 *  - a resource the app has no service principal for: 400 invalid_resource AADSTS500011.
 * Graph tokens carry the app's consented application permissions in `roles` and are accepted by the
 * linked Graph emulator. Bot Framework tokens are asked of the bot's tenant (single-tenant bots) or of
 * `botframework.com` with the scope `https://api.botframework.com/.default`
 * (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenFor } from './access';
import type { GraphEmulator } from './emulator';

export interface LoginApp {
  clientId: string;
  clientSecret: string;
  /** Application permissions consented for Graph (the token's roles). */
  graphRoles: string[];
  /** False when the app is not a registered bot (no Bot Framework token). */
  bot?: boolean;
}

export interface LoginStandIn {
  /** e.g. http://127.0.0.1:{port}: the `{login}` part of the token URL. */
  url: string;
  apps: LoginApp[];
  /** Token requests received, by scope. */
  requests: Array<{ tenant: string; clientId: string; scope: string }>;
  close(): Promise<void>;
}

const BOT_SCOPE = 'https://api.botframework.com/.default';

export async function startLoginStandIn(options: { tenantId: string; apps: LoginApp[]; graph: GraphEmulator }): Promise<LoginStandIn> {
  const requests: LoginStandIn['requests'] = [];
  const stand: LoginStandIn = { url: '', apps: options.apps, requests, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = tokenAnswer(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
  });

  function fail(status: number, error: string, code: number, text: string) {
    return {
      status,
      body: { error, error_description: `AADSTS${code}: ${text}`, error_codes: [code], timestamp: new Date().toISOString() },
    };
  }

  function tokenAnswer(req: http.IncomingMessage, text: string): { status: number; body: unknown } {
    const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(req.url ?? '/', 'http://login').pathname);
    if (req.method !== 'POST' || !m) return fail(404, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    const tenant = decodeURIComponent(m[1] as string);
    const form = new URLSearchParams(text);
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    requests.push({ tenant, clientId, scope });
    if (tenant !== options.tenantId && tenant !== 'botframework.com') {
      return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    }
    if (form.get('grant_type') !== 'client_credentials')
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const app = stand.apps.find((a) => a.clientId === clientId);
    if (!app) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get('client_secret') !== app.clientSecret) {
      return fail(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    let accessToken: string;
    if (scope === 'https://graph.microsoft.com/.default' || scope === `${new URL(options.graph.baseUrl).origin}/.default`) {
      accessToken = options.graph.issueToken({ appId: app.clientId, roles: app.graphRoles });
    } else if (scope === BOT_SCOPE && app.bot !== false) {
      accessToken = tokenFor({ appId: app.clientId, roles: [] }, 'https://api.botframework.com', options.tenantId);
    } else {
      return fail(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant named ${tenant}.`,
      );
    }
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stand.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stand.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stand;
}
