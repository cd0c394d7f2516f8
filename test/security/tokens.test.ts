/**
 * Forged, expired and misdirected tokens outside local mode, against local signing keys: the tab API
 * (our validator: issuer, audience, tenant, signature via the tenant's JWKS) and the bot endpoint
 * (the Teams SDK's validation of Bot Framework tokens, its keys moved to 127.0.0.1 with
 * BOT_OPENID_METADATA_URL). Every token would have written a report if accepted; each is refused with
 * 401, the server stays up, the store is unchanged, and no request leaves 127.0.0.1.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { BOT, ITEMS, PEOPLE, TENANT, send, startSecurityApp, type SecurityApp } from './support/securityApp';

const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER_APP = 'ffffffff-0000-1111-2222-333333333333';
const TAB_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const BF_ISSUER = 'https://api.botframework.com';

const tenantKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const botFrameworkKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogueKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string;

let keys: http.Server;
let botKeyFetches = 0;
let app: SecurityApp;
/** Hosts the process tried to reach other than 127.0.0.1. */
const outside: string[] = [];

function watchOutboundTraffic(): void {
  const realFetch = globalThis.fetch;
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
    if (host !== '127.0.0.1') {
      outside.push(host);
      return Promise.reject(new Error(`test: no traffic to ${host}`));
    }
    return realFetch(input, init);
  });
  for (const mod of [http, https]) {
    const real = mod.request.bind(mod) as (...args: unknown[]) => http.ClientRequest;
    jest.spyOn(mod, 'request').mockImplementation(((...args: unknown[]) => {
      const first = args[0] as string | URL | { hostname?: string; host?: string };
      const host =
        typeof first === 'string' ? new URL(first).hostname : first instanceof URL ? first.hostname : (first.hostname ?? first.host ?? '');
      if (host !== '127.0.0.1') outside.push(host);
      return real(...args);
    }) as typeof http.request);
  }
}

beforeAll(async () => {
  watchOutboundTraffic();
  const jwk = (k: crypto.KeyObject, kid: string) => ({ ...k.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' });
  keys = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/tenant/keys') res.end(JSON.stringify({ keys: [jwk(tenantKey.publicKey, 'tab-key-1')] }));
    else if (req.url === '/v1/.well-known/keys') {
      botKeyFetches++;
      res.end(JSON.stringify({ keys: [jwk(botFrameworkKey.publicKey, 'bf-key-1')] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => keys.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
  app = await startSecurityApp({
    LOCAL_MODE: 'false',
    TENANT_ID: TENANT,
    CLIENT_ID: CLIENT,
    CLIENT_SECRET: 'not-a-real-secret',
    AUTH_JWKS_URI: `${base}/tenant/keys`,
    BOT_OPENID_METADATA_URL: `${base}/v1/.well-known/openidconfiguration`,
  });
});

afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => keys?.close(() => r()));
  jest.restoreAllMocks();
});

const now = () => Math.floor(Date.now() / 1000);

/** A tab SSO token for Ann; `claims` override, `header` replaces the signing options. */
function tabToken(
  claims: Record<string, unknown> = {},
  options: { key?: crypto.KeyObject; kid?: string; algorithm?: jwt.Algorithm } = {},
): string {
  return jwt.sign(
    {
      oid: PEOPLE.ann.aadObjectId,
      name: PEOPLE.ann.name,
      preferred_username: PEOPLE.ann.email,
      tid: TENANT,
      scp: 'access_as_user',
      aud: `api://${CLIENT}`,
      iss: TAB_ISSUER,
      iat: now(),
      exp: now() + 3600,
      ...claims,
    },
    pem(options.key ?? tenantKey.privateKey),
    { algorithm: options.algorithm ?? 'RS256', keyid: options.kid ?? 'tab-key-1' },
  );
}

/** A Bot Framework token as the connector sends it to the bot. */
function botToken(claims: Record<string, unknown> = {}, options: { key?: crypto.KeyObject; kid?: string } = {}): string {
  return jwt.sign(
    { aud: CLIENT, iss: BF_ISSUER, serviceurl: app.teams.url, iat: now(), nbf: now() - 60, exp: now() + 3600, ...claims },
    pem(options.key ?? botFrameworkKey.privateKey),
    { algorithm: 'RS256', keyid: options.kid ?? 'bf-key-1' },
  );
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** An unsigned token (alg none), with or without a key id. */
function unsigned(payload: Record<string, unknown>, kid?: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(payload)}.`;
}
/** HS256 "signed" with the tenant's public key as the secret (algorithm confusion). */
function confused(payload: Record<string, unknown>): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'tab-key-1' })}.${b64(payload)}`;
  const secret = tenantKey.publicKey.export({ type: 'spki', format: 'pem' });
  return `${head}.${crypto.createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const HOUR = 3600;
const tabClaims = () => ({
  oid: PEOPLE.ann.aadObjectId,
  preferred_username: PEOPLE.ann.email,
  tid: TENANT,
  aud: `api://${CLIENT}`,
  iss: TAB_ISSUER,
  exp: now() + HOUR,
});

type TabCase = [name: string, authorization: () => string | undefined, message: RegExp, extraHeaders?: Record<string, string>];

const tabCases: TabCase[] = [
  ['no token', () => undefined, /^Sign in through Teams: this request carries no token$/],
  [
    'no token but a development identity header',
    () => undefined,
    /^Sign in through Teams: this request carries no token$/,
    { 'x-dev-user': PEOPLE.cora.email },
  ],
  [
    'a Basic credential instead of a Bearer token',
    () => `Basic ${Buffer.from('ann:password').toString('base64')}`,
    /^The Authorization header must be "Bearer <token>"$/,
  ],
  ['two tokens in one header', () => `Bearer ${tabToken()} ${tabToken()}`, /^The Authorization header must be "Bearer <token>"$/],
  ['a malformed token', () => 'Bearer not.a.jwt', /^The token is not valid: it is not a JSON Web Token \(header\.payload\.signature\)$/],
  [
    'random bytes as a token',
    () => `Bearer ${crypto.randomBytes(48).toString('base64url')}`,
    /^The token is not valid: it is not a JSON Web Token \(header\.payload\.signature\)$/,
  ],
  ['an unsigned token (alg none) without a key id', () => `Bearer ${unsigned(tabClaims())}`, /^The token names no signing key \(kid\)$/],
  [
    'an unsigned token (alg none) naming the tenant key',
    () => `Bearer ${unsigned(tabClaims(), 'tab-key-1')}`,
    /^The token signature is not valid$/,
  ],
  [
    'HS256 signed with the tenant public key (algorithm confusion)',
    () => `Bearer ${confused(tabClaims())}`,
    /^The token is not valid: it is not signed with RS256, as Microsoft Entra ID signs sign-in tokens$/,
  ],
  [
    'a token whose signature was cut off',
    () => `Bearer ${tabToken().split('.').slice(0, 2).join('.')}.`,
    /^The token signature is not valid$/,
  ],
  [
    'a token with a tampered payload',
    () => {
      const [h, , s] = tabToken().split('.');
      return `Bearer ${h}.${b64({ ...tabClaims(), oid: 'aad-cora' })}.${s}`;
    },
    /^The token signature is not valid$/,
  ],
  [
    'a wrong signature (a key the tenant does not publish)',
    () => `Bearer ${tabToken({}, { key: rogueKey.privateKey })}`,
    /^The token signature is not valid$/,
  ],
  ['an unknown key id', () => `Bearer ${tabToken({}, { kid: 'tab-key-9' })}`, /^The token is not signed by a key of this tenant$/],
  [
    'an expired token',
    () => `Bearer ${tabToken({ iat: now() - 3 * HOUR, exp: now() - 2 * HOUR })}`,
    /^Your sign-in has expired: reload the tab to sign in again$/,
  ],
  [
    'a token not valid yet',
    () => `Bearer ${tabToken({ nbf: now() + 2 * HOUR })}`,
    /^The token is not valid yet \(nbf is in the future\): check the clock/,
  ],
  ['a wrong audience', () => `Bearer ${tabToken({ aud: 'https://graph.microsoft.com' })}`, /^The token is not for this app \(audience\)$/],
  [
    'a token for another app of the tenant',
    () => `Bearer ${tabToken({ aud: `api://${OTHER_APP}`, appid: OTHER_APP })}`,
    /^The token is not for this app \(audience\)$/,
  ],
  ['a wrong issuer', () => `Bearer ${tabToken({ iss: 'https://evil.example/' })}`, /^The token is not from this tenant \(issuer\)$/],
  [
    'the issuer of another tenant',
    () => `Bearer ${tabToken({ iss: 'https://login.microsoftonline.com/99999999-9999-9999-9999-999999999999/v2.0' })}`,
    /^The token is not from this tenant \(issuer\)$/,
  ],
  [
    'another tenant id claim',
    () => `Bearer ${tabToken({ tid: '99999999-9999-9999-9999-999999999999' })}`,
    /^The token is from another tenant$/,
  ],
  ['no user in the token', () => `Bearer ${tabToken({ oid: undefined, sub: undefined })}`, /^The token does not identify a user$/],
  ['a Bot Framework token sent to the tab API', () => `Bearer ${botToken()}`, /^The token is not signed by a key of this tenant$/],
];

describe('the tab API refuses tokens that are not a valid sign-in for this app', () => {
  it('accepts a valid token (so the refusals below are about the token)', async () => {
    const res = await send(`${app.url}/api/me?plan=${app.planId}`, { headers: { authorization: `Bearer ${tabToken()}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: PEOPLE.ann.aadObjectId, roles: ['Prevent Co-ordinator'], localMode: false });
  });

  it('ignores a development identity header next to a valid token (Ann stays Ann, not the co-ordinator)', async () => {
    const before = await app.snapshot();
    const res = await send(`${app.url}/api/plans/${app.planId}/items/${ITEMS.ann}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tabToken()}`,
        'x-dev-user': PEOPLE.cora.email,
        'if-match': `"${(await app.store.getItem(app.planId, ITEMS.ann))!.version}"`,
      },
      body: JSON.stringify({ title: 'Edited as someone else' }),
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden', message: expect.stringMatching(/^Only a plan co-ordinator can edit an item\./) });
    expect(await app.snapshot()).toBe(before);
  });

  it.each(tabCases)('%s', async (_name, authorization, message, extraHeaders = {}) => {
    const before = await app.snapshot();
    const { version } = (await app.store.getItem(app.planId, ITEMS.ann))!;
    const auth = authorization();
    const res = await send(`${app.url}/api/plans/${app.planId}/items/${ITEMS.ann}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...extraHeaders },
      body: JSON.stringify({ to: 'complete', note: 'Forged', version }),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', message: expect.stringMatching(message) });
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });
});

function answerActivity(): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `in-${crypto.randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: app.teams.url,
    from: { id: PEOPLE.ann.id, aadObjectId: PEOPLE.ann.aadObjectId, name: PEOPLE.ann.name },
    recipient: BOT,
    conversation: { id: 'a:ann-1on1', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value: {
      action: {
        type: 'Action.Execute',
        verb: 'recordStatus',
        data: { planId: app.planId, itemKey: ITEMS.ann, version: 'v', rag: 'complete' },
      },
    },
  };
}

const botClaims = () => ({ aud: CLIENT, iss: BF_ISSUER, serviceurl: app.teams.url, exp: now() + HOUR });

/** Refused before the SDK (what the token lacks, in words), or by the SDK's full validation (its own body). */
type BotCase = [name: string, authorization: () => string | undefined, refusal: { message: RegExp } | 'JWT validation failed'];

const botCases: BotCase[] = [
  ['no token', () => undefined, { message: /^The activity carries no token: only the Bot Framework may post here$/ }],
  [
    'a Basic credential',
    () => `Basic ${Buffer.from('bot:secret').toString('base64')}`,
    { message: /^The Authorization header must be "Bearer <token>"$/ },
  ],
  ['a malformed token', () => 'Bearer not.a.jwt', { message: /^The token is not a JSON Web Token \(header\.payload\.signature\)$/ }],
  [
    'an unsigned token (alg none)',
    () => `Bearer ${unsigned(botClaims(), 'bf-key-1')}`,
    { message: /^The token is not signed with RS256 \(it says "none"\)$/ },
  ],
  [
    'HS256 signed with the Bot Framework public key',
    () => `Bearer ${confused(botClaims()).replace(/^[^.]+/, b64({ alg: 'HS256', typ: 'JWT', kid: 'bf-key-1' }))}`,
    { message: /^The token is not signed with RS256 \(it says "HS256"\)$/ },
  ],
  [
    'a token without a key id',
    () => `Bearer ${jwt.sign(botClaims(), pem(botFrameworkKey.privateKey), { algorithm: 'RS256' })}`,
    { message: /^The token names no signing key \(kid\)$/ },
  ],
  ['a wrong signature', () => `Bearer ${botToken({}, { key: rogueKey.privateKey })}`, 'JWT validation failed'],
  [
    'an unknown key id',
    () => `Bearer ${botToken({}, { kid: 'bf-key-9' })}`,
    { message: /^The token is not signed by a Bot Framework key$/ },
  ],
  [
    'an expired token',
    () => `Bearer ${botToken({ iat: now() - 3 * HOUR, nbf: now() - 3 * HOUR, exp: now() - 2 * HOUR })}`,
    'JWT validation failed',
  ],
  ['a token not valid yet', () => `Bearer ${botToken({ nbf: now() + 2 * HOUR })}`, 'JWT validation failed'],
  ['a wrong audience', () => `Bearer ${botToken({ aud: 'https://api.botframework.com' })}`, 'JWT validation failed'],
  ['a token for another bot', () => `Bearer ${botToken({ aud: OTHER_APP })}`, 'JWT validation failed'],
  ['a wrong issuer', () => `Bearer ${botToken({ iss: TAB_ISSUER })}`, 'JWT validation failed'],
  [
    'a token for another service URL',
    () => `Bearer ${botToken({ serviceurl: 'https://smba.trafficmanager.net/evil/' })}`,
    'JWT validation failed',
  ],
  [
    "the tab's SSO token sent to the bot",
    () => `Bearer ${tabToken({ aud: CLIENT })}`,
    { message: /^The token is not signed by a Bot Framework key$/ },
  ],
];

describe('the bot endpoint refuses activities without a valid Bot Framework token', () => {
  it('accepts a valid Bot Framework token (so the refusals below are about the token)', async () => {
    const res = await send(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${botToken()}` },
      // An invoke the bot acknowledges without answering (nothing is sent to Teams).
      body: JSON.stringify({ ...answerActivity(), name: 'application/search', value: {} }),
    });
    expect(res.status).toBe(200);
  });

  it.each(botCases)('%s', async (_name, authorization, refusal) => {
    const before = await app.snapshot();
    const auth = authorization();
    const res = await send(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify(answerActivity()),
    });
    expect(res.status).toBe(401);
    if (typeof refusal === 'string') expect(res.body).toEqual({ error: refusal });
    else expect(res.body).toEqual({ error: 'unauthenticated', message: expect.stringMatching(refusal.message) });
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
    expect(app.teams.calls).toEqual([]);
  });
});

describe('another organisation', () => {
  it.each([
    [
      'conversation.tenantId',
      (a: Record<string, unknown>) => ({
        ...a,
        conversation: { ...(a.conversation as object), tenantId: '99999999-9999-9999-9999-999999999999' },
      }),
    ],
    [
      'channelData.tenant.id',
      (a: Record<string, unknown>) => ({
        ...a,
        conversation: { id: 'a:ann-1on1', conversationType: 'personal' },
        channelData: { tenant: { id: '99999999-9999-9999-9999-999999999999' } },
      }),
    ],
  ])('an activity from another tenant (%s), with a valid token, is refused with 403', async (_where, from) => {
    const before = await app.snapshot();
    const res = await send(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${botToken()}` },
      body: JSON.stringify(from(answerActivity())),
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: 'forbidden',
      message: 'The activity comes from another Microsoft 365 organisation (tenant): this Delivery Plan app serves only its own',
    });
    expect(await app.healthy()).toBe(true);
    expect(await app.snapshot()).toBe(before);
  });
});

describe('made-up key ids', () => {
  it('do not make the server fetch the Bot Framework keys once per request', async () => {
    const before = botKeyFetches;
    for (let i = 0; i < 20; i++) {
      const res = await send(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${botToken({}, { kid: `made-up-${i}` })}` },
        body: JSON.stringify(answerActivity()),
      });
      expect(res.status).toBe(401);
    }
    // The cache refetches for an unknown key id at most once a minute.
    expect(botKeyFetches - before).toBeLessThanOrEqual(1);
  });
});

describe('no traffic leaves 127.0.0.1', () => {
  it('fetched keys only from the local key server and called no Microsoft endpoint', () => {
    expect(outside).toEqual([]);
  });
});
