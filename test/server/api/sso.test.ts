/** SSO tokens against a real JWKS endpoint served locally: issuer, audience, signature and expiry are all checked. */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { PLAN_ID, startHarness, type Harness } from './harness';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

describe('tab API with Teams SSO', () => {
  const good = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rogue = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: http.Server;
  let h: Harness;
  let jwksHits = 0;

  beforeAll(async () => {
    const jwk = good.publicKey.export({ format: 'jwk' });
    jwks = http.createServer((_req, res) => {
      jwksHits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'key-1', use: 'sig', alg: 'RS256' }] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
    const uri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
    h = await startHarness({
      LOCAL_MODE: 'false',
      TENANT_ID: TENANT,
      CLIENT_ID: CLIENT,
      AUTH_JWKS_URI: uri,
      API_AUDIENCES: `api://plan.example.gov.uk/${CLIENT}`,
      COORDINATOR_IDS: 'oid-coord',
    });
    await h.store.setPeople(PLAN_ID, 'Communications Manager', [{ id: 'oid-casey', name: 'Casey Comms', email: 'casey@example.gov.uk' }]);
  });
  afterAll(async () => {
    await h.close();
    await new Promise<void>((r) => jwks.close(() => r()));
  });

  function token(
    claims: Record<string, unknown> = {},
    options: { key?: crypto.KeyObject; kid?: string; expiresIn?: number | null } = {},
  ): string {
    return jwt.sign(
      {
        oid: 'oid-casey',
        name: 'Casey Comms',
        preferred_username: 'casey@example.gov.uk',
        tid: TENANT,
        scp: 'access_as_user',
        aud: `api://plan.example.gov.uk/${CLIENT}`,
        iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        ...claims,
      },
      (options.key ?? good.privateKey).export({ type: 'pkcs8', format: 'pem' }),
      {
        algorithm: 'RS256',
        keyid: options.kid ?? 'key-1',
        ...(options.expiresIn === null ? {} : { expiresIn: options.expiresIn ?? 3600 }),
      },
    );
  }
  const me = (t?: string) => h.call('GET', `/api/me?plan=${PLAN_ID}`, t ? { headers: { authorization: `Bearer ${t}` } } : {});

  it('accepts a token of the tenant for this app and knows the caller and their roles', async () => {
    const res = await me(token());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'oid-casey',
      name: 'Casey Comms',
      email: 'casey@example.gov.uk',
      localMode: false,
      coordinator: false,
      roles: ['Communications Manager'],
      today: '2018-09-05',
      windowDays: 28,
      tabEntityId: 'plan',
    });
    expect((await me(token({ aud: CLIENT, iss: `https://sts.windows.net/${TENANT}/`, oid: 'oid-coord' }))).body.coordinator).toBe(true);
  });

  it('refuses a request without a token outside local mode', async () => {
    const res = await me();
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/Sign in through Teams/);
    expect((await h.call('GET', '/api/plans', { headers: { 'x-dev-user': 'casey@example.gov.uk' } })).status).toBe(401);
  });

  it.each([
    ['another audience', token({ aud: 'api://someone-else' }), /audience/],
    ['another issuer', token({ iss: 'https://login.microsoftonline.com/other/v2.0' }), /issuer/],
    ['a key the tenant does not publish', token({}, { key: rogue.privateKey }), /signature/],
    ['an unknown key id', token({}, { kid: 'key-9' }), /not signed by a key of this tenant/],
    ['an expired token', token({}, { expiresIn: -120 }), /expired/],
    ['a token that never expires', token({}, { expiresIn: null }), /has no expiry/],
    ['a token without the access_as_user scope', token({ scp: 'User.Read' }), /does not carry the access_as_user scope/],
    ['an app-only token (no scp at all)', token({ scp: undefined, roles: ['Sites.Selected'] }), /does not carry the access_as_user scope/],
    ['another tenant id claim', token({ tid: 'other-tenant' }), /another tenant/],
    ['a malformed token', 'not.a.jwt', /not valid/],
  ])('refuses %s', async (_what, t, message) => {
    const res = await me(t);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthenticated');
    expect(res.body.message).toMatch(message);
  });

  it('caches the tenant keys rather than fetching them per request', async () => {
    const before = jwksHits;
    for (let i = 0; i < 5; i++) expect((await me(token())).status).toBe(200);
    expect(jwksHits).toBe(before);
  });

  it('applies lead rights to SSO callers', async () => {
    const [other] = (
      await h.call('GET', `/api/plans/${PLAN_ID}/items?q=elected%20members`, { headers: { authorization: `Bearer ${token()}` } })
    ).body;
    const res = await h.call('POST', `/api/plans/${PLAN_ID}/items/${other.key}/status`, {
      body: { to: 'green', version: other.version },
      headers: { authorization: `Bearer ${token()}` },
    });
    expect(res.status).toBe(403);
  });
});
