/**
 * The server hardening of issue 16, each point an input that used to give a 500 or an unwanted send:
 * wrongly typed activity fields, a store failure on a card answer, cross-site and rebound requests in
 * local mode, a note with half a character, and a failed on-behalf-of exchange in people search.
 * The real app (LOCAL_MODE, SQLite) over HTTP; the Teams service is the local stand-in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { ConfigError } from '../../src/errors';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { graphHttpFrom } from '../../src/graph/graphConnection';
import { createLogger } from '../../src/logger';
import { createApiRouter } from '../../src/server/api';
import { SqliteSettingsStore } from '../../src/store/settingsStore';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { PlanSettingsResolver } from '../../src/usecases/planSettings';
import { cardText } from '../bot/support/teamsStandIn';
import { makePlan } from '../store/fixtures';
import { BOT, ITEMS, PEOPLE, TENANT, send, startSecurityApp, type SecurityApp, type Who } from './support/securityApp';

let app: SecurityApp;
let seq = 0;

beforeAll(async () => {
  app = await startSecurityApp();
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => jest.restoreAllMocks());

function activity(who: Who, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = PEOPLE[who];
  return {
    type: 'message',
    text: 'help',
    id: `h-${++seq}`,
    channelId: 'msteams',
    serviceUrl: app.teams.url,
    from: { id: p.id, aadObjectId: p.aadObjectId, name: p.name },
    recipient: BOT,
    conversation: { id: `a:${who}-1on1`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  send(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function answer(who: Who, key: string, values: Record<string, unknown>) {
  const version = (await app.store.getItem(app.planId, key))!.version;
  const data = { planId: app.planId, itemKey: key, version, ...values };
  return post(
    activity(who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'recordStatus', data } },
    }),
  );
}

describe('bot activities with a wrongly typed field are refused before anything is stored, naming the field', () => {
  const channel = (team: unknown) =>
    activity('ann', {
      type: 'conversationUpdate',
      membersAdded: [BOT],
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team },
    });
  it.each([
    [
      'from.aadObjectId as a number',
      () => activity('ann', { from: { id: PEOPLE.ann.id, aadObjectId: 42 } }),
      /from\.aadObjectId is not text/,
    ],
    [
      'conversation.tenantId as an object',
      () => activity('ann', { conversation: { id: 'a:ann-1on1', conversationType: 'personal', tenantId: { id: TENANT } } }),
      /conversation\.tenantId is not text/,
    ],
    ['channelData.team.id as a number', () => channel({ id: 7 }), /channelData\.team\.id is not text/],
    ['channelData.team as text', () => channel('19:team'), /channelData\.team is not an object/],
    [
      'an added member whose aadObjectId is a list',
      () => activity('ann', { type: 'conversationUpdate', membersAdded: [{ id: BOT.id, aadObjectId: ['x'] }] }),
      /membersAdded\[0\]\.aadObjectId is not text/,
    ],
  ])('%s', async (_name, body, message) => {
    const before = await app.snapshot();
    const sent = app.teams.calls.length;
    const res = await post(body());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid', message: expect.stringMatching(message) });
    expect(await app.running.bot.deps.conversations.get('channel:19:general@thread.tacv2')).toBeUndefined();
    expect(app.teams.calls.length).toBe(sent);
    expect(await app.snapshot()).toBe(before);
    expect(await app.healthy()).toBe(true);
  });
});

describe('a card answer the store cannot take gets the polite "not recorded" card, not a bare 500', () => {
  it('the plan store fails (disk full): the card says nothing was recorded and keeps what was typed', async () => {
    const before = await app.snapshot();
    jest.spyOn(app.store, 'updateStatus').mockRejectedValue(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    const res = await answer('ann', ITEMS.ann, { rag: 'amber', note: 'Venue lost; rebooking for October' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(res.body.value)).toMatch(/Not recorded: your answer could not be recorded just now[\s\S]*Nothing was lost/);
    expect(JSON.stringify(res.body.value)).toContain('Venue lost; rebooking for October');
    expect(await app.snapshot()).toBe(before);
  });

  it('the bot database fails keeping the conversation: the answer is still recorded', async () => {
    jest.spyOn(app.running.bot.deps.conversations, 'save').mockImplementation(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const res = await answer('dan', ITEMS.dan, { rag: 'green', note: 'Strategy signed off' });
    expect(res.status).toBe(200);
    expect(cardText(res.body.value)).toMatch(/Recorded: Green/);
    expect((await app.store.history(app.planId, ITEMS.dan)).at(-1)).toMatchObject({ to: 'green', note: 'Strategy signed off' });
  });
});

describe('a note with half of a character (a lone surrogate) is refused, by the tab and on the card alike', () => {
  const note = 'Venue booked \uD83C for March';
  it('the tab API answers 400 on the note field', async () => {
    const before = await app.snapshot();
    const version = (await app.store.getItem(app.planId, ITEMS.bob))!.version;
    const res = await send(`${app.url}/api/plans/${app.planId}/items/${ITEMS.bob}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-user': PEOPLE.cora.email },
      body: JSON.stringify({ to: 'amber', note, version }),
    });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([
      { field: 'note', message: expect.stringMatching(/^The note has a broken character at position 14/) },
    ]);
    expect(await app.snapshot()).toBe(before);
  });
  it('the card keeps the answer and says what to fix', async () => {
    const before = await app.snapshot();
    const res = await answer('bob', ITEMS.bob, { rag: 'amber', note });
    expect(cardText(res.body.value)).toMatch(/Not recorded yet: please correct this[\s\S]*broken character at position 14/);
    expect(await app.snapshot()).toBe(before);
  });
});

/** A raw request, so that Host can be anything (fetch always sends the address's own). */
function raw(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local mode refuses other sites: cross-site changes, rebound host names, changes without the tab header', () => {
  const prompt = () => `/api/plans/${app.planId}/items/${ITEMS.ann}/prompt`;
  it('a cross-site empty-body POST to …/prompt (a form on another site) sends no prompt', async () => {
    const sent = app.teams.calls.length;
    const res = await raw('POST', prompt(), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-length': '0' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/A page from https:\/\/evil\.example may not change anything/);
    expect(app.teams.calls.length).toBe(sent);
  });
  it('a change without X-Requested-With (what no other site can add) sends no prompt', async () => {
    const sent = app.teams.calls.length;
    const res = await raw('POST', prompt(), { 'content-length': '0' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/need the header X-Requested-With/);
    expect(app.teams.calls.length).toBe(sent);
  });
  it('a host name rebound to this machine (DNS rebinding) reads nothing', async () => {
    const host = new URL(app.url).port;
    const res = await raw('GET', `/api/plans/${app.planId}/items`, { host: `rebound.evil.example:${host}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/answers only to localhost, 127\.0\.0\.1, \[::1\], plan\.example\.gov\.uk/);
    expect((await raw('GET', '/api/plans', { host: `localhost:${host}` })).status).toBe(200);
  });
  it('a cross-site POST to the bot endpoint is refused', async () => {
    const res = await post(activity('ann'), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
  it('local mode listens on loopback only', () => {
    expect(() => loadConfig({ LOCAL_MODE: 'true', HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOCAL_MODE: 'true', HOST: '0.0.0.0' })).toThrow(/HOST: LOCAL_MODE=true listens on loopback only/);
    expect(loadConfig({ LOCAL_MODE: 'true', HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
  });
});

describe('people search: a failed on-behalf-of exchange says what to do (401 or 502), not a generic 500', () => {
  /** msal-node's errors as it throws them (name, errorCode, subError, errorMessage with the AADSTS code). */
  const msal = (name: string, errorCode: string, errorMessage: string, subError = '') =>
    Object.assign(new Error(`${errorCode}: ${errorMessage}`), { name, errorCode, errorMessage, subError });
  let failure: Error;
  let server: http.Server;
  let url: string;
  const store = new SqlitePlanStore(':memory:');

  beforeAll(async () => {
    await store.importPlan(makePlan(2));
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      TENANT_ID: 't',
      CLIENT_ID: 'c',
      CLIENT_SECRET: 's',
      GRAPH_MAX_RETRIES: '0',
      GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
      SETTINGS_DB_PATH: ':memory:',
    });
    const logger = createLogger('silent');
    const exchange: AuthenticationProvider = { getAccessToken: () => Promise.reject(failure) };
    const api = express();
    api.use(
      '/api',
      createApiRouter({
        config,
        store,
        logger,
        clock: new FixedClock('2018-09-05T10:00:00Z'),
        settings: new PlanSettingsResolver(config, new SqliteSettingsStore(':memory:')),
        validator: async (token) => ({ id: 'oid-me', name: 'Me', local: false, token }),
        graphForUser: () => graphHttpFrom(config, logger, exchange),
      }),
    );
    server = http.createServer(api);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  });

  it.each([
    [
      'consent not granted (AADSTS65001)',
      () =>
        msal(
          'InteractionRequiredAuthError',
          'invalid_grant',
          'AADSTS65001: The user or administrator has not consented',
          'consent_required',
        ),
      401,
      'consent_required',
      /administrator must grant it consent/,
    ],
    [
      'the SSO token has expired (AADSTS500133)',
      () => msal('ServerError', 'invalid_grant', 'AADSTS500133: Assertion is not within its valid time range.'),
      401,
      'sign_in_again',
      /Reload the tab/,
    ],
    [
      "the app's client secret has expired (AADSTS7000222)",
      () => msal('ServerError', 'invalid_client', 'AADSTS7000222: The provided client secret keys are expired.'),
      502,
      'upstream_failed',
      /client secret may have expired[\s\S]*Tell your administrator/,
    ],
    [
      'Entra cannot be reached',
      () => msal('ClientAuthError', 'network_error', 'Network request failed'),
      502,
      'upstream_failed',
      /could not be reached/,
    ],
  ])('%s', async (_name, error, status, code, message) => {
    failure = error();
    const res = await fetch(`${url}/api/people?q=pat`, { headers: { authorization: 'Bearer user-sso-token' } });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: code, message: expect.stringMatching(message) });
  });
});
