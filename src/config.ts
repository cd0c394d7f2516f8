/**
 * Configuration from environment variables, validated once at start-up. A missing or malformed
 * variable fails start-up with a message naming it. Secrets are never logged.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_OFFSETS, WEEKDAYS } from './domain/calendar';
import { ConfigError } from './errors';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** pino level; the server logs at `info` and the command line at `warn` unless this says otherwise. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    /** Interface the server listens on: 127.0.0.1 in local mode (loopback only: another is refused), else 0.0.0.0. */
    HOST: z.string().min(1).optional(),
    /** Command line: print the stack of an unexpected error. */
    DPLAN_DEBUG: bool.default(false),
    /** Microsoft cloud of the bot registration (the Teams SDK's names). */
    CLOUD: z
      .string()
      .regex(/^(public|usgov|usgovdod|china)$/i, 'one of Public, USGov, USGovDoD, China')
      .optional(),
    /** Public base URL of the app (for deep links and the manifest), e.g. https://plan.example.gov.uk */
    PUBLIC_URL: z.string().url().optional(),
    /** `sqlite` (embedded default) or `graph` (SharePoint lists through Microsoft Graph). */
    STORE: z.enum(['sqlite', 'graph']).default('sqlite'),
    SQLITE_PATH: z.string().min(1).default(path.join('data', 'dplan.sqlite')),
    /** Plan document imported into an empty embedded store at start-up. */
    SEED_PLAN: z.string().optional(),
    /** Entra tenant and app registration (bot and Graph). */
    TENANT_ID: z.string().min(1).optional(),
    CLIENT_ID: z.string().min(1).optional(),
    CLIENT_SECRET: z.string().min(1).optional(),
    /** SharePoint site holding the plan lists, `hostname:/sites/path`. */
    SHAREPOINT_SITE: z
      .string()
      .regex(/^[^:/]+:\/.+/, 'expected hostname:/sites/path')
      .optional(),
    /** Graph base URL; tests point it at the local emulator. */
    GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com/v1.0'),
    /** A fixed bearer token for Graph instead of client credentials: for the local Graph emulator only. */
    GRAPH_TOKEN: z.string().min(1).optional(),
    /** List items per read; 5,000 (the most SharePoint serves for list items) unless lowered. */
    GRAPH_PAGE_SIZE: z.coerce.number().int().min(1).max(5000).default(5000),
    /** Retries of a throttled (429), unavailable (503/504) or dropped Graph request before giving up. */
    GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(8),
    /**
     * SharePoint store: how long cached plans, items and directory are trusted before a read waits for
     * a delta check (changes made elsewhere show within this; writes are guarded by If-Match whatever it is).
     */
    GRAPH_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** SharePoint store: background delta checks while plans are held, every this many ms (0: none; 3 resource units each). */
    GRAPH_CACHE_REFRESH_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
    /** Accept unauthenticated bot activities and a development identity in the tab (local mode only). */
    LOCAL_MODE: bool.default(false),
    /** Tab API: SQLite file holding per-plan tab settings (reminders, digest). Defaults next to SQLITE_PATH. */
    SETTINGS_DB_PATH: z.string().min(1).optional(),
    /** Tab SSO: signing keys of the tenant; defaults to https://login.microsoftonline.com/{TENANT_ID}/discovery/v2.0/keys. */
    AUTH_JWKS_URI: z.string().url().optional(),
    /** Tab SSO: accepted token audiences (comma-separated), e.g. api://plan.example.gov.uk/{CLIENT_ID}. CLIENT_ID is always accepted. */
    API_AUDIENCES: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
    /**
     * Bot: OpenID metadata of the Bot Framework, whose keys sign incoming activities (the signing keys
     * are read from the same place, …/keys). Defaults to the cloud's (public:
     * https://login.botframework.com/v1/.well-known/openidconfiguration); tests point it at local keys.
     */
    BOT_OPENID_METADATA_URL: z.string().url().optional(),
    /**
     * Bot: the Teams app's id in the organisation's app catalog (Teams admin centre → Manage apps →
     * the app → App ID), for deep links to the tab and for installing the app for a lead through
     * Graph. For an app uploaded to the org catalog it differs from the manifest id. Unset: deep
     * links use CLIENT_ID (the manifest id) and installs look the catalog id up once by the manifest
     * id (AppCatalog.Read.All).
     */
    TEAMS_APP_ID: z.string().min(1).optional(),
    /**
     * Bot: the Bot Framework service URL used to create a 1:1 chat with a lead before the bot has
     * heard from anyone in the tenant (afterwards the service URL of the latest activity is used),
     * e.g. https://smba.trafficmanager.net/uk/ (the one in your region; Teams names it on every activity).
     */
    BOT_SERVICE_URL: z.string().url('BOT_SERVICE_URL must be the https:// address of the Bot Framework service').optional(),
    /** Bot: how long a person's Teams profile (UPN, e-mail), looked up once, is trusted (hours). */
    PEOPLE_CACHE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    /** Bot: entity id of the plan tab in the manifest (static or configurable tab), for deep links. */
    TAB_ENTITY_ID: z.string().min(1).default('plan'),
    /** Bot: co-ordinators (Entra object ids or UPNs, comma-separated): may answer for any item, get escalations. */
    COORDINATOR_IDS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
    /** Bot: SQLite file holding the send ledger and conversation references. Defaults next to SQLITE_PATH. */
    BOT_DB_PATH: z.string().min(1).optional(),
    /** Bot: days before a milestone on which leads are prompted (comma-separated; 0 = due today). */
    PROMPT_OFFSETS: z
      .string()
      .default(DEFAULT_OFFSETS.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
          .map(Number),
      )
      .pipe(z.array(z.number().int().min(0).max(365)).min(1)),
    /** Bot: per-plan offsets overriding PROMPT_OFFSETS, JSON: {"<planId>": [21, 7, 0]}. */
    PROMPT_OFFSETS_BY_PLAN: z
      .string()
      .default('{}')
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: `expected JSON such as {"plan-id": [${DEFAULT_OFFSETS.join(', ')}]}` });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), z.array(z.number().int().min(0).max(365)).min(1))),
    /** Bot: hour (0-23, Europe/London) of the daily prompt run. */
    PROMPT_HOUR: z.coerce.number().int().min(0).max(23).default(8),
    /** Bot: weekly digest day (mon…sun) and hour (0-23, Europe/London). */
    DIGEST_DAY: z.enum(WEEKDAYS).default('mon'),
    DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(9),
    /** Bot: conversation id of the plan's channel for the digest; else the channel the app was installed in. */
    DIGEST_CONVERSATION_ID: z.string().min(1).optional(),
    /**
     * Where the bot's state lives (send ledger, conversation references, plan settings, the
     * scheduler's leader lease): `sqlite` files beside the app (one instance), or `azure` storage
     * (tables, a queue, a blob lease) shared by every instance.
     */
    STATE_STORE: z.enum(['sqlite', 'azure']).default('sqlite'),
    /** STATE_STORE=azure: the storage account's name, reached with the app's managed identity. */
    AZURE_STORAGE_ACCOUNT: z
      .string()
      .regex(/^[a-z0-9]{3,24}$/, '3 to 24 lower-case letters and digits (the storage account name)')
      .optional(),
    /** STATE_STORE=azure: a connection string instead (Azurite locally and in tests). Never logged. */
    AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    /**
     * STATE_STORE=azure: this machine's stable name among the instances, so a process restarted on it
     * takes over its predecessor's share of the send budget at once. App Service sets
     * WEBSITE_INSTANCE_ID (one per VM instance, kept across restarts); INSTANCE_NAME overrides it.
     * Without either, each process joins as a new instance.
     */
    INSTANCE_NAME: z.string().min(1).max(200).optional(),
    WEBSITE_INSTANCE_ID: z.string().min(1).max(200).optional(),
    /** Prefix of the state's table, queue and container names (letters and digits), so several apps can share an account. */
    STATE_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,15}$/, 'a lower-case letter, then up to 15 lower-case letters and digits')
      .default('dplan'),
    /**
     * dplan doctor: the Microsoft identity platform's login host it asks for tokens, e.g.
     * https://login.microsoftonline.com. Defaults to the cloud's (CLOUD); tests point it at a local stand-in.
     */
    DOCTOR_LOGIN_URL: z.string().url().optional(),
    /**
     * E-mail for people outside Teams: the mailbox (user principal name of a shared mailbox) the app
     * sends from through Graph `sendMail` (application permission Mail.Send, limited to this mailbox
     * by an Exchange application access policy; docs/deployment.md). Unset: nobody is e-mailed (in
     * local mode the mails go to the local outbox instead, GET /api/outbox).
     */
    MAIL_SENDER: z.string().trim().email('the user principal name of the mailbox, e.g. delivery-plan@council.gov.uk').optional(),
    /** Key that signs the e-mailed answer links (HMAC-SHA256), at least 32 characters; required with MAIL_SENDER. Never logged. */
    ANSWER_LINK_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
    /** Days an e-mailed answer link works for. */
    ANSWER_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    /** Bot: run the in-process scheduler (prompts, digest, escalations). Off in tests. */
    SCHEDULER: bool.default(true),
  })
  .superRefine((env, ctx) => {
    // Local mode has no sign-in: only this machine may reach it.
    if (env.LOCAL_MODE && env.HOST && !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(env.HOST.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: `LOCAL_MODE=true listens on loopback only (127.0.0.1, localhost or ::1), not ${env.HOST}: local mode has no sign-in`,
      });
    }
    if (env.STATE_STORE === 'azure' && !env.AZURE_STORAGE_ACCOUNT && !env.AZURE_STORAGE_CONNECTION_STRING) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_ACCOUNT'],
        message: 'AZURE_STORAGE_ACCOUNT (or AZURE_STORAGE_CONNECTION_STRING) is required when STATE_STORE=azure',
      });
    }
    if (env.MAIL_SENDER && !env.ANSWER_LINK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['ANSWER_LINK_SECRET'],
        message: 'ANSWER_LINK_SECRET (at least 32 characters) is required when MAIL_SENDER is set: it signs the e-mailed answer links',
      });
    }
    if (env.STORE === 'graph') {
      // With GRAPH_TOKEN (emulator) no app credentials are needed; the site always is.
      const required = env.GRAPH_TOKEN
        ? (['SHAREPOINT_SITE'] as const)
        : (['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'SHAREPOINT_SITE'] as const);
      for (const name of required) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required when STORE=graph` });
      }
    }
  });

export type Config = z.infer<typeof schema>;

/** Validates `env` (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable is an unset one (App Service and shells set empty strings for "nothing").
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ConfigError(`Configuration is not valid:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}
