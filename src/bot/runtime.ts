/**
 * Builds the bot's runtime (ledger, conversation references, sender, service) for the server
 * (mount.ts) and the CLI (dplan prompts / dplan digest), so both run exactly the same code.
 */
import fs from 'node:fs';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { PlanStore } from '../store/planStore';
import { botDbPath, openBotDb, type BotDatabase } from './botDb';
import { ConversationStore } from './conversations';
import { SendLedger } from './ledger';
import { TeamsSender, type TokenProvider } from './sender';
import { BotService, defaultInstanceId } from './service';
import { openSettingsStore, settingsPath } from '../store/settingsStore';

export interface BotRuntime {
  service: BotService;
  ledger: SendLedger;
  conversations: ConversationStore;
  sender: TeamsSender;
  dbFile: string;
  close(): Promise<void>;
}

export function createBotRuntime(deps: {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
  token?: TokenProvider;
  /** Open the ledger read-only-ish: an in-memory copy when the file does not exist yet (dry runs). */
  noCreate?: boolean;
}): BotRuntime {
  const configured = botDbPath(deps.config);
  const dbFile = deps.noCreate && configured !== ':memory:' && !fs.existsSync(configured) ? ':memory:' : configured;
  const db: BotDatabase = openBotDb(dbFile);
  const ledger = new SendLedger(db, defaultInstanceId());
  const conversations = new ConversationStore(db);
  const sender = new TeamsSender({ logger: deps.logger, ...(deps.token ? { token: deps.token } : {}) });
  // The co-ordinator's settings from the tab; a dry run on a fresh checkout does not create the file.
  const settingsFile = settingsPath(deps.config);
  const settings =
    deps.noCreate && settingsFile !== ':memory:' && !fs.existsSync(settingsFile) ? undefined : openSettingsStore(deps.config);
  const service = new BotService({
    config: deps.config,
    store: deps.store,
    logger: deps.logger,
    clock: deps.clock,
    ledger,
    conversations,
    sender,
    ...(settings ? { settings } : {}),
  });
  return {
    service,
    ledger,
    conversations,
    sender,
    dbFile,
    close: async () => {
      await service.idle();
      db.close();
      settings?.close();
    },
  };
}
