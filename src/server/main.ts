/**
 * `npm start`: one process serving the tab, the tab API and the bot endpoint. On a fresh machine
 * it runs on the embedded SQLite store, seeded from the shared plan, in local mode.
 */
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import { systemClock } from '../domain/clock';
import { createLogger } from '../logger';
import { openStore } from '../store/openStore';
import { startServer } from './app';
import { DEFAULT_SEED_PLAN, seedIfEmpty } from './seed';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.LOCAL_MODE) {
    logger.warn(
      'LOCAL MODE: bot activities are accepted without authentication and the tab uses a development identity. Never run a deployment like this.',
    );
  }
  const store = await openStore(config, logger);
  const seed = config.SEED_PLAN ?? (config.STORE === 'sqlite' && config.LOCAL_MODE ? DEFAULT_SEED_PLAN : undefined);
  await seedIfEmpty(store, seed, logger);
  const running = await startServer(
    { config, store, logger, clock: systemClock },
    config.PORT,
    process.env.HOST ?? (config.LOCAL_MODE ? '127.0.0.1' : '0.0.0.0'),
  );
  process.stdout.write(`Delivery Plan for Teams is running: open ${running.url}/tab/ (bot endpoint ${running.url}/api/messages)\n`);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await running.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Delivery Plan for Teams could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
