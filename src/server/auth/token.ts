/**
 * Validation of the tab's SSO token (Teams `authentication.getAuthToken`): an RS256 JWT issued by
 * the tenant (v1 or v2 issuer), for this app (CLIENT_ID or an API_AUDIENCES entry), signed by one of
 * the tenant's published keys. The keys are fetched from the JWKS endpoint and cached by kid; an
 * unknown kid refetches (keys roll over), at most once a minute. (jwks-rsa 4 pulls in ESM-only jose,
 * which the CommonJS build and jest cannot load, so node:crypto reads the JWKs instead.)
 */
import jwt, { type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import type { Config } from '../../config';
import { createJwksCache } from '../../auth/jwksCache';
import type { Caller } from './caller';

export class AuthError extends Error {
  readonly code = 'unauthenticated';
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export type TokenValidator = (token: string) => Promise<Caller>;

/** The delegated scope the app exposes for Teams SSO ("Expose an API" in the app registration). */
export const SSO_SCOPE = 'access_as_user';

export interface TokenValidatorOptions {
  tenantId: string;
  audiences: string[];
  jwksUri: string;
}

export function tokenOptionsFrom(config: Config): TokenValidatorOptions | undefined {
  if (!config.TENANT_ID || !config.CLIENT_ID) return undefined;
  return {
    tenantId: config.TENANT_ID,
    audiences: [config.CLIENT_ID, `api://${config.CLIENT_ID}`, ...config.API_AUDIENCES],
    jwksUri: config.AUTH_JWKS_URI ?? `https://login.microsoftonline.com/${config.TENANT_ID}/discovery/v2.0/keys`,
  };
}

export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const keys = createJwksCache(options.jwksUri);
  const issuers: [string, ...string[]] = [
    `https://login.microsoftonline.com/${options.tenantId}/v2.0`,
    `https://sts.windows.net/${options.tenantId}/`,
  ];
  const getKey = (header: JwtHeader, callback: (err: Error | null, key?: string) => void): void => {
    if (!header.kid) {
      callback(new AuthError('The token names no signing key (kid)'));
      return;
    }
    keys(header.kid).then(
      (key) => (key ? callback(null, key) : callback(new AuthError('The token is not signed by a key of this tenant'))),
      () => callback(new AuthError('The tenant signing keys could not be fetched; try again shortly')),
    );
  };
  return (token) =>
    new Promise<Caller>((resolve, reject) => {
      jwt.verify(
        token,
        getKey,
        { algorithms: ['RS256'], issuer: issuers, audience: options.audiences as [string, ...string[]], clockTolerance: 60 },
        (err, decoded) => {
          if (err || !decoded || typeof decoded === 'string') {
            reject(new AuthError(describe(err)));
            return;
          }
          const claims = decoded as JwtPayload & {
            oid?: string;
            name?: string;
            preferred_username?: string;
            upn?: string;
            tid?: string;
            scp?: string;
          };
          // A token that never expires is not one Entra issues for Teams SSO: refuse it.
          if (typeof claims.exp !== 'number') {
            reject(new AuthError('The token has no expiry (exp): it is not a Teams sign-in token'));
            return;
          }
          // Teams SSO asks for the app's access_as_user scope; a token for another of its scopes (or an
          // app-only token, which has no scp) does not let the tab act as the user.
          // https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-register-aad
          if (!(claims.scp ?? '').split(' ').includes(SSO_SCOPE)) {
            reject(new AuthError(`The token does not carry the ${SSO_SCOPE} scope: sign in through the Delivery Plan tab in Teams`));
            return;
          }
          if (claims.tid && claims.tid !== options.tenantId) {
            reject(new AuthError('The token is from another tenant'));
            return;
          }
          const id = claims.oid ?? claims.sub;
          if (!id) {
            reject(new AuthError('The token does not identify a user'));
            return;
          }
          const email = claims.preferred_username ?? claims.upn;
          const caller: Caller = { id, name: claims.name ?? email ?? id, local: false, token };
          if (email) caller.email = email;
          if (claims.tid) caller.tenantId = claims.tid;
          resolve(caller);
        },
      );
    });
}

function describe(err: unknown): string {
  if (err instanceof AuthError) return err.message;
  if (err instanceof jwt.TokenExpiredError) return 'Your sign-in has expired: reload the tab to sign in again';
  if (err instanceof jwt.NotBeforeError)
    return 'The token is not valid yet (nbf is in the future): check the clock of this server and of the device, then reload the tab';
  if (err instanceof jwt.JsonWebTokenError) {
    // Our own refusal from the key lookup, without jsonwebtoken's wording around it.
    const fromKeys = /^error in secret or public key callback: (.*)$/s.exec(err.message);
    if (fromKeys) return fromKeys[1] as string;
    if (/malformed|invalid token/.test(err.message)) return 'The token is not valid: it is not a JSON Web Token (header.payload.signature)';
    if (/invalid algorithm/.test(err.message))
      return 'The token is not valid: it is not signed with RS256, as Microsoft Entra ID signs sign-in tokens';
    if (/audience/.test(err.message)) return 'The token is not for this app (audience)';
    if (/issuer/.test(err.message)) return 'The token is not from this tenant (issuer)';
    if (/signature/.test(err.message)) return 'The token signature is not valid';
    return `The token is not valid: ${err.message}`;
  }
  return 'The token could not be validated';
}
