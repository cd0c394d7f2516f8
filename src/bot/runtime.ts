/**
 * The bot's state and parts (send ledger, conversation references, sender, settings) built from
 * configuration, for the composition root (src/app.ts) and the command line (dplan prompts, digest),
 * so that both run exactly the same code.
 */
import fs from 'node:fs';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import { instanceId } from '../state/openState';
import type { SendQueue } from '../state/sendQueue';
import type { PlanStore } from '../store/planStore';
import { settingsPath, SqliteSettingsStore } from '../store/settingsStore';
import { PlanSettingsResolver } from '../usecases/planSettings';
import { BackgroundWork } from './background';
import { Bot } from './bot';
import { botDbPath, openBotDb, type BotDatabase } from './botDb';
import { appGraphIfConfigured } from '../graph/graphConnection';
import type { GraphHttp } from '../graph/graphHttp';
import { GraphAppInstaller } from './appInstaller';
import { SqliteConversationStore, type ConversationStore } from './conversations';
import { deepLinks, myActionsLink } from './deepLinks';
import { EmailDelivery } from './emailDelivery';
import type { MailParts } from './emailSetup';
import { Delivery } from './delivery';
import { SqliteSendLedger, type SendLedger } from './ledger';
import { MemoryPeopleCache, PeopleLookup, SqlitePeopleCache } from './peopleCache';
import { TeamsSender, type ServiceTarget, type TokenProvider } from './sender';

export interface BotRuntime {
  bot: Bot;
  ledger: SendLedger;
  conversations: ConversationStore;
  sender: TeamsSender;
  settings: PlanSettingsResolver;
  dbFile: string;
  close(): Promise<void>;
}

/** A file to open, or an in-memory stand-in when it does not exist and must not be created (dry runs). */
function fileOrMemory(file: string, noCreate: boolean | undefined): string {
  return noCreate && file !== ':memory:' && !fs.existsSync(file) ? ':memory:' : file;
}

/** Where chats are created before the bot has seen an activity in the tenant: BOT_SERVICE_URL, TENANT_ID and the bot's id. */
function fallbackService(config: Config): ServiceTarget | undefined {
  if (!config.BOT_SERVICE_URL) return undefined;
  return {
    serviceUrl: config.BOT_SERVICE_URL,
    ...(config.TENANT_ID ? { tenantId: config.TENANT_ID } : {}),
    // Teams names a bot "28:<its app id>".
    ...(config.CLIENT_ID ? { botId: `28:${config.CLIENT_ID}` } : {}),
  };
}

export function createBotRuntime(deps: {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  token?: TokenProvider;
  /** The settings resolver the rest of the app uses; opened from configuration when absent. */
  settings?: PlanSettingsResolver;
  /** Dry runs: files that do not exist yet are not created (an in-memory copy stands in). */
  noCreate?: boolean;
  /** The sender, when a test drives it (a rate limiter on a fake clock). */
  sender?: TeamsSender;
  /** The ledger and conversation references every instance shares (STATE_STORE=azure); else the bot's SQLite file. */
  shared?: { ledger: SendLedger; conversations: ConversationStore };
  /** STATE_STORE=azure: prompt runs queue their cards for every instance's send workers. */
  sendQueue?: SendQueue;
  /** E-mail for people outside Teams (emailSetup.ts), and the base address of the answer page (PUBLIC_URL). */
  mail?: MailParts;
  answerBaseUrl?: () => string;
  /** Microsoft Graph with the app's credentials, to install the app for leads Teams cannot reach yet (default: from configuration). */
  graph?: GraphHttp;
}): BotRuntime {
  const { config, store, clock } = deps;
  const logger = deps.logger.child({ part: 'bot' });
  // In Azure the bot's SQLite file is never opened (no SQLite under /home on App Service).
  const dbFile = deps.shared ? 'Azure storage' : fileOrMemory(botDbPath(config), deps.noCreate);
  const db: BotDatabase | undefined = deps.shared ? undefined : openBotDb(dbFile);
  const ledger = deps.shared?.ledger ?? new SqliteSendLedger(db!, instanceId());
  const conversations = deps.shared?.conversations ?? new SqliteConversationStore(db!);
  const sender =
    deps.sender ?? new TeamsSender({ logger: logger.child({ component: 'sender' }), ...(deps.token ? { token: deps.token } : {}) });
  const ownSettings = deps.settings ? undefined : new SqliteSettingsStore(fileOrMemory(settingsPath(config), deps.noCreate));
  const settings = deps.settings ?? new PlanSettingsResolver(config, ownSettings!);
  const background = new BackgroundWork(logger);
  const { mail } = deps;
  const answerBase = deps.answerBaseUrl ?? (() => config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`);
  const email = mail
    ? new EmailDelivery({
        store,
        mailer: mail.mailer,
        signer: mail.signer,
        answerUrl: (token) => `${answerBase().replace(/\/+$/, '')}/answer/${token}`,
        logger,
        now: () => clock.now(),
        fallback: mail.fallback,
      })
    : undefined;
  const graph = deps.graph ?? appGraphIfConfigured(config, logger.child({ component: 'graph' }));
  const delivery = new Delivery({
    conversations,
    sender,
    logger,
    now: () => clock.now(),
    ...(graph
      ? {
          installer: new GraphAppInstaller({
            graph,
            graphBaseUrl: config.GRAPH_BASE_URL,
            ...(config.TEAMS_APP_ID ? { catalogAppId: config.TEAMS_APP_ID } : {}),
            ...(config.CLIENT_ID ? { manifestId: config.CLIENT_ID } : {}),
            logger,
          }),
        }
      : {}),
    ...(fallbackService(config) ? { fallbackService: fallbackService(config)! } : {}),
    ...(email ? { email } : {}),
  });
  const people = new PeopleLookup({
    // STATE_STORE=azure: the bot's SQLite file is not opened, so profiles are kept in memory (per instance).
    cache: db ? new SqlitePeopleCache(db) : new MemoryPeopleCache(),
    sender,
    conversations,
    ttlMs: config.PEOPLE_CACHE_HOURS * 3_600_000,
    now: () => clock.now(),
    logger,
  });
  const bot = new Bot({
    store,
    logger,
    clock,
    ledger,
    conversations,
    sender,
    delivery,
    people,
    settings,
    links: deepLinks(config),
    myActionsLink: myActionsLink(config),
    coordinatorIds: config.COORDINATOR_IDS,
    background,
    ...(deps.sendQueue ? { sendQueue: deps.sendQueue } : {}),
    ...(email ? { email } : {}),
  });
  return {
    bot,
    ledger,
    conversations,
    sender,
    settings,
    dbFile,
    close: async () => {
      await background.idle();
      db?.close();
      await ownSettings?.close();
    },
  };
}
