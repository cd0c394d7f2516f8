/**
 * Signing keys from a JWKS endpoint (the tenant's for SSO tokens, the Bot Framework's for bot
 * activities), read with node:crypto and cached by key id. (jwks-rsa 4 pulls in ESM-only jose, which
 * the CommonJS build and jest cannot load.)
 */
import crypto from 'node:crypto';

interface Jwk {
  kid?: string;
  kty?: string;
  use?: string;
  n?: string;
  e?: string;
  x5c?: string[];
}

/** kid → PEM public key, from the JWKS endpoint; refetched every 6 hours or for an unknown kid (at most once a minute). */
export function createJwksCache(jwksUri: string, fetchImpl: typeof fetch = fetch): (kid: string) => Promise<string | undefined> {
  let keys = new Map<string, string>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;
  const refresh = async (): Promise<void> => {
    const res = await fetchImpl(jwksUri, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`JWKS ${jwksUri} answered ${res.status}`);
    const body = (await res.json()) as { keys?: Jwk[] };
    const next = new Map<string, string>();
    for (const jwk of body.keys ?? []) {
      if (!jwk.kid || jwk.kty !== 'RSA' || (jwk.use && jwk.use !== 'sig')) continue;
      try {
        // The modulus and exponent when given (Entra publishes both), else the first certificate.
        const key =
          jwk.n && jwk.e
            ? crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
            : new crypto.X509Certificate(Buffer.from(jwk.x5c?.[0] ?? '', 'base64')).publicKey;
        next.set(jwk.kid, key.export({ type: 'spki', format: 'pem' }).toString());
      } catch {
        // A key we cannot read is skipped; tokens signed with it fail as "not signed by a key of this tenant".
      }
    }
    keys = next;
    fetchedAt = Date.now();
  };
  return async (kid) => {
    const stale = Date.now() - fetchedAt > 6 * 3600_000;
    const unknownAndMayRetry = !keys.has(kid) && Date.now() - fetchedAt > 60_000;
    if (stale || unknownAndMayRetry) {
      inflight ??= refresh().finally(() => (inflight = undefined));
      await inflight;
    }
    return keys.get(kid);
  };
}
