/**
 * What every `dplan` command starts with: the configuration (validated once), a logger on stderr
 * (warnings and worse unless LOG_LEVEL says otherwise) and, when the command needs it, the store.
 */
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../logger';
import { openStore } from '../store/openStore';
import type { PlanStore } from '../store/planStore';
import { setDebug } from './output';

export interface CliContext {
  config: Config;
  logger: Logger;
}

export function cliContext(): CliContext {
  const config = loadConfig();
  setDebug(config.DPLAN_DEBUG);
  return { config, logger: createLogger(config.LOG_LEVEL ?? 'warn', process.stderr) };
}

/** Runs `work` with the configured store open, and closes it whatever happens. */
export async function withStore<T>(work: (store: PlanStore, ctx: CliContext) => Promise<T>, ctx: CliContext = cliContext()): Promise<T> {
  const store = await openStore(ctx.config, ctx.logger);
  try {
    return await work(store, ctx);
  } finally {
    await store.close();
  }
}
