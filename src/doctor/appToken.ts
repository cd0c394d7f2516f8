/**
 * An app-only access token, asked of the Microsoft identity platform as the app itself: the client
 * credentials grant, `POST {login}/{tenant}/oauth2/v2.0/token` with `client_id`, `client_secret`,
 * `scope={resource}/.default` and `grant_type=client_credentials`
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 * The doctor asks directly rather than through msal-node so that it can be pointed at any login
 * host (msal refuses an authority that is not https, so a local stand-in could not test it) and so
 * that it can show Entra's own error (`AADSTS…`) with what to do about it
 * (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).
 * Tokens are never printed or logged.
 */

export type TokenAnswer =
  | { ok: true; token: string; claims: { roles?: string[]; aud?: string; appid?: string; tid?: string } }
  | { ok: false; detail: string; advice: string };

export interface TokenRequest {
  /** e.g. https://login.microsoftonline.com */
  loginUrl: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** `{resource}/.default` */
  scope: string;
}

/** What to do about an Entra error, by its AADSTS number. */
function adviceFor(code: number | undefined, request: TokenRequest): string {
  switch (code) {
    case 7000215:
      return 'CLIENT_SECRET is not a current secret of the app registration: create one under Certificates & secrets and set CLIENT_SECRET to its Value (not its Secret ID).';
    case 7000222:
      return 'The client secret has expired: create a new one under Certificates & secrets, put it in Key Vault and restart the app (docs/deployment.md, "Rotating the client secret").';
    case 700016:
      return `CLIENT_ID ${request.clientId} is not an app registration in tenant ${request.tenant}: check CLIENT_ID and TENANT_ID against the registration's Overview page.`;
    case 90002:
      return `TENANT_ID ${request.tenant} is not a tenant: use the Directory (tenant) ID from the registration's Overview page.`;
    case 500011:
      return `The tenant has no ${request.scope.replace(/\/\.default$/, '')} for this app: for the bot, register it with an Azure Bot resource (docs/deployment.md step 2).`;
    case 700024:
    case 7000112:
      return 'The app registration is disabled or its client assertion is not valid: check the registration in Entra.';
    default:
      return 'Check TENANT_ID, CLIENT_ID and CLIENT_SECRET against the app registration in Entra.';
  }
}

export async function requestAppToken(request: TokenRequest, fetchFn: typeof fetch = fetch): Promise<TokenAnswer> {
  const url = `${request.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}/oauth2/v2.0/token`;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: request.clientId,
        client_secret: request.clientSecret,
        scope: request.scope,
        grant_type: 'client_credentials',
      }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return {
      ok: false,
      detail: `no answer from ${new URL(url).origin}: ${(error as Error).message}`,
      advice: 'Check that this machine reaches the Microsoft login host (proxy, firewall), or DOCTOR_LOGIN_URL.',
    };
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
    error_codes?: number[];
  };
  if (response.ok && body.access_token) return { ok: true, token: body.access_token, claims: claimsOf(body.access_token) };
  const description = (body.error_description ?? response.statusText).split(/\r?\n/)[0] ?? '';
  return {
    ok: false,
    detail: `${response.status} ${body.error ?? 'error'}: ${description}`,
    advice: adviceFor(body.error_codes?.[0], request),
  };
}

/** The claims of a JWT access token (read, not verified: it comes straight from the token endpoint). */
function claimsOf(token: string): { roles?: string[] } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: string[] };
  } catch {
    return {};
  }
}
