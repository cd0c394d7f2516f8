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
import { SqliteConversationStore, type ConversationStore } from './conversations';
import { deepLinks, myActionsLink } from './deepLinks';
import { SqliteSendLedger, type SendLedger } from './ledger';
import { TeamsSender, type TokenProvider } from './sender';

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
  const bot = new Bot({
    store,
    logger,
    clock,
    ledger,
    conversations,
    sender,
    settings,
    links: deepLinks(config),
    myActionsLink: myActionsLink(config),
    coordinatorIds: config.COORDINATOR_IDS,
    background,
    ...(deps.sendQueue ? { sendQueue: deps.sendQueue } : {}),
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
