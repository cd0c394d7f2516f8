/**
 * The Teams endpoint: the Teams SDK's `App` (teams.ts) on our express app through its ExpressAdapter
 * at POST /api/messages, behind guards that refuse what Teams would never send.
 *
 * Incoming tokens are validated by the SDK (Bot Framework / Entra JWTs for CLIENT_ID) unless
 * LOCAL_MODE=true, which — and only which — accepts unauthenticated activities (for local testing
 * with Agents Playground or the e2e tests); start-up says so loudly.
 */
import express from 'express';
import jwt from 'jsonwebtoken';
import { cloudFromName, PUBLIC, withOverrides } from '@microsoft/teams.api';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import type { ILogger } from '@microsoft/teams.common';
import { createJwksCache } from '../auth/jwksCache';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { TokenProvider } from './sender';

export const MESSAGING_ENDPOINT = '/api/messages';

/** The SDK logs through pino, messages only: activity bodies (which carry notes) never reach the log. */
function sdkLogger(logger: Logger, name = 'teams'): ILogger {
  const line = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : ''))
      .filter(Boolean)
      .join(' ');
  const make = (n: string): ILogger => ({
    debug: (...m: unknown[]) => logger.debug({ sdk: n }, line(m)),
    info: (...m: unknown[]) => logger.info({ sdk: n }, line(m)),
    warn: (...m: unknown[]) => logger.warn({ sdk: n }, line(m)),
    error: (...m: unknown[]) => logger.error({ sdk: n }, line(m)),
    trace: (...m: unknown[]) => logger.trace({ sdk: n }, line(m)),
    log: (level, ...m: unknown[]) => logger[level === 'trace' ? 'trace' : level]({ sdk: n }, line(m)),
    child: (child: string) => make(`${n}/${child}`),
  });
  return make(name);
}

/** Exposes the SDK's bot token (client credentials) to our own sender. */
export class DplanTeamsApp extends App {
  async botToken(): Promise<string | undefined> {
    const token = await this.getBotToken();
    return token ? token.toString() : undefined;
  }
}

/** Largest activity accepted (a card answer carries at most a 2,000-character note). */
const ACTIVITY_LIMIT = '256kb';

const refuse = (res: express.Response, status: number, message: string): void => {
  res.status(status).json({ error: 'invalid', message });
};

/**
 * Fields the bot reads or stores, by path: when present (not null), each must have the type Teams
 * sends (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object,
 * and Teams' channelData: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-basics#teams-channel-data).
 * Another type would fail later as a 500 with nothing said, or be stored as a conversation reference
 * that no send could use: it is refused here, before anything is stored, naming the field.
 */
const TEXT_FIELDS = [
  'id',
  'replyToId',
  'channelId',
  'locale',
  'text',
  'name',
  'action',
  'from.name',
  'from.aadObjectId',
  'recipient.name',
  'conversation.conversationType',
  'conversation.tenantId',
  'channelData.eventType',
  'channelData.tenant.id',
  'channelData.team.id',
  'channelData.team.name',
  'channelData.channel.id',
] as const;
const OBJECT_FIELDS = ['channelData', 'channelData.tenant', 'channelData.team', 'channelData.channel'] as const;
const MEMBER_TEXT_FIELDS = ['aadObjectId', 'name'] as const;

const absent = (v: unknown): boolean => v === undefined || v === null;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value at a dotted path; undefined when a parent is absent (a parent of the wrong type is reported on its own). */
function at(a: Record<string, unknown>, path: string): unknown {
  let v: unknown = a;
  for (const part of path.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** Fields the bot reads, when present, with a type other than Teams sends (they would fail as a 500). */
function activityTypeProblems(a: Record<string, unknown>): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(a.serviceUrl as string);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) problems.push('serviceUrl is not an http(s) address');
  for (const field of OBJECT_FIELDS) {
    const v = at(a, field);
    if (!absent(v) && !isObject(v)) problems.push(`${field} is not an object`);
  }
  for (const field of TEXT_FIELDS) {
    const v = at(a, field);
    if (!absent(v) && typeof v !== 'string') problems.push(`${field} is not text`);
  }
  for (const field of ['membersAdded', 'membersRemoved'] as const) {
    const list = a[field];
    if (absent(list)) continue;
    if (!Array.isArray(list) || !list.every((m) => isObject(m) && typeof m.id === 'string')) {
      problems.push(`${field} is not a list of members with ids`);
      continue;
    }
    list.forEach((m: Record<string, unknown>, i) => {
      for (const key of MEMBER_TEXT_FIELDS)
        if (!absent(m[key]) && typeof m[key] !== 'string') problems.push(`${field}[${i}].${key} is not text`);
    });
  }
  return problems;
}

const unauthenticated = (res: express.Response, message: string): void => {
  res.status(401).json({ error: 'unauthenticated', message });
};

/**
 * Outside local mode, before the SDK: the token must name a Bot Framework signing key. The SDK looks
 * every key id up at the Bot Framework with no limit, so anyone could make the server fetch the keys
 * once per request by sending made-up key ids; this cache refetches for an unknown id at most once a
 * minute. The SDK then validates the token in full (signature, issuer, audience, expiry, serviceurl).
 */
function knownSigningKey(
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
  botKeys: (kid: string) => Promise<string | undefined>,
): void {
  const header = req.get('authorization');
  const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!token)
    return unauthenticated(
      res,
      header ? 'The Authorization header must be "Bearer <token>"' : 'The activity carries no token: only the Bot Framework may post here',
    );
  const decoded = jwt.decode(token, { complete: true });
  const jose = decoded && typeof decoded === 'object' ? decoded.header : undefined;
  if (!jose) return unauthenticated(res, 'The token is not a JSON Web Token (header.payload.signature)');
  if (jose.alg !== 'RS256')
    return unauthenticated(res, `The token is not signed with RS256 (it says ${JSON.stringify(String(jose.alg).slice(0, 20))})`);
  if (!jose.kid) return unauthenticated(res, 'The token names no signing key (kid)');
  botKeys(jose.kid).then(
    (key) => (key ? next() : unauthenticated(res, 'The token is not signed by a Bot Framework key')),
    () => {
      res.status(503).json({ error: 'unavailable', message: 'The Bot Framework signing keys could not be fetched; try again shortly' });
    },
  );
}

/**
 * Runs before the SDK's route: whatever reaches it is a JSON object shaped like an activity.
 * Anything else gets a JSON 4xx saying what is wrong, rather than an HTML page with a stack trace
 * (express's default for a body it cannot parse) or a 500 from the SDK.
 */
function guardActivities(app: express.Express, botKeys?: (kid: string) => Promise<string | undefined>, tenantId?: string): void {
  app.post(
    MESSAGING_ENDPOINT,
    (req, res, next) => (botKeys ? knownSigningKey(req, res, next, botKeys) : next()),
    (req, res, next) =>
      req.is('application/json') ? next() : refuse(res, 415, 'Send the activity as JSON (Content-Type: application/json)'),
    express.json({ limit: ACTIVITY_LIMIT }),
    (req, res, next) => {
      const a = req.body as Record<string, unknown> | unknown[] | null | undefined;
      if (!a || typeof a !== 'object' || Array.isArray(a))
        return refuse(res, 400, 'The body is not a Bot Framework activity: expected a JSON object');
      const id = (v: unknown): boolean => !!v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string';
      const missing = [
        typeof a.type === 'string' ? '' : 'type',
        typeof a.serviceUrl === 'string' ? '' : 'serviceUrl',
        id(a.from) ? '' : 'from.id',
        id(a.recipient) ? '' : 'recipient.id',
        id(a.conversation) ? '' : 'conversation.id',
      ].filter(Boolean);
      if (missing.length > 0) return refuse(res, 400, `The activity has no ${missing.join(', ')}: it is not one Teams would send`);
      const wrong = activityTypeProblems(a);
      if (wrong.length > 0) return refuse(res, 400, `The activity is not one Teams would send: ${wrong.join('; ')}`);
      // A valid Bot Framework token says the activity is for this app, not which organisation it is from.
      const from =
        (a.conversation as { tenantId?: unknown }).tenantId ?? (a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
      if (tenantId && typeof from === 'string' && from.toLowerCase() !== tenantId.toLowerCase()) {
        res.status(403).json({
          error: 'forbidden',
          message: 'The activity comes from another Microsoft 365 organisation (tenant): this Delivery Plan app serves only its own',
        });
        return;
      }
      next();
    },
  );
  app.use(MESSAGING_ENDPOINT, ((err, _req, res, next) => {
    const e = err as { type?: string };
    if (e?.type === 'entity.too.large')
      return refuse(res, 413, `The activity is larger than ${ACTIVITY_LIMIT}: it is not one Teams would send`);
    if (e?.type === 'entity.parse.failed') return refuse(res, 400, 'The body is not valid JSON');
    next(err);
  }) as express.ErrorRequestHandler);
}

export type TeamsAppConfig = Pick<Config, 'LOCAL_MODE' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'TENANT_ID' | 'BOT_OPENID_METADATA_URL' | 'CLOUD'>;

export interface TeamsEndpoint {
  teams: DplanTeamsApp;
  /** The bot's own token for sending (client credentials); absent in local mode or without credentials. */
  token?: TokenProvider;
  /** Starts the SDK (after the bot's handlers are registered). */
  start(): Promise<void>;
}

/** Creates the SDK app on `app` at /api/messages, with the guards in front of it. */
export function createTeamsEndpoint(app: express.Express, config: TeamsAppConfig, logger: Logger): TeamsEndpoint {
  const log = logger.child({ part: 'bot' });
  const hasCredentials = !!(config.CLIENT_ID && config.CLIENT_SECRET);
  if (!config.LOCAL_MODE && !hasCredentials) {
    log.error(
      'bot disabled: CLIENT_ID and CLIENT_SECRET (and TENANT_ID for a single-tenant app) are needed to validate Teams tokens; set LOCAL_MODE=true to accept unauthenticated activities for local testing',
    );
  }
  // The SDK reads CLOUD itself when given no cloud: keep that, overriding only where the keys are.
  const baseCloud = config.CLOUD ? cloudFromName(config.CLOUD) : PUBLIC;
  const cloud = config.BOT_OPENID_METADATA_URL
    ? withOverrides(baseCloud, { openIdMetadataUrl: config.BOT_OPENID_METADATA_URL })
    : undefined;
  const validated = hasCredentials && !config.LOCAL_MODE;
  const singleTenant =
    config.TENANT_ID && !['common', 'organizations', 'consumers'].includes(config.TENANT_ID.toLowerCase()) ? config.TENANT_ID : undefined;
  guardActivities(
    app,
    validated ? createJwksCache((cloud ?? baseCloud).openIdMetadataUrl.replace(/\/openidconfiguration$/, '/keys')) : undefined,
    validated ? singleTenant : undefined,
  );
  const teams = new DplanTeamsApp({
    httpServerAdapter: new ExpressAdapter(app, { logger: sdkLogger(log, 'express') }),
    messagingEndpoint: MESSAGING_ENDPOINT,
    dangerouslyAllowUnauthenticatedRequests: config.LOCAL_MODE,
    logger: sdkLogger(log),
    ...(config.CLIENT_ID ? { clientId: config.CLIENT_ID } : {}),
    ...(config.CLIENT_SECRET ? { clientSecret: config.CLIENT_SECRET } : {}),
    ...(config.TENANT_ID ? { tenantId: config.TENANT_ID } : {}),
    ...(cloud ? { cloud } : {}),
  });
  return {
    teams,
    ...(validated ? { token: () => teams.botToken() } : {}),
    start: async () => {
      await teams.initialize();
      if (config.LOCAL_MODE) {
        log.warn(
          { endpoint: MESSAGING_ENDPOINT },
          'LOCAL_MODE: the bot accepts UNAUTHENTICATED activities (no Teams token validation) and sends without a bot token; never use this in a tenant',
        );
      } else if (hasCredentials) {
        log.info({ endpoint: MESSAGING_ENDPOINT, clientId: config.CLIENT_ID }, 'bot mounted; incoming Teams tokens are validated');
      }
    },
  };
}

/** The bot's own token for a command-line send (no HTTP endpoint). */
export function botTokenProvider(config: Pick<Config, 'CLIENT_ID' | 'CLIENT_SECRET' | 'TENANT_ID'>): TokenProvider | undefined {
  if (!config.CLIENT_ID || !config.CLIENT_SECRET) return undefined;
  const app = new DplanTeamsApp({
    clientId: config.CLIENT_ID,
    clientSecret: config.CLIENT_SECRET,
    ...(config.TENANT_ID ? { tenantId: config.TENANT_ID } : {}),
  });
  return () => app.botToken();
}
