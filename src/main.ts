/**
 * `npm start`: one process serving the tab, the tab API and the bot endpoint. On a fresh machine it
 * runs on the embedded SQLite store, seeded from the shared plan, in local mode.
 */
import { startApp } from './app';
import { loadConfig, type Config } from './config';
import { systemClock } from './domain/clock';
import { ConfigError } from './errors';
import { createLogger } from './logger';
import { SHARED_PLAN_FILE } from './import/sharedPlan';
import { seedIfEmpty } from './seed';
import { openStore } from './store/openStore';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.LOG_LEVEL ?? 'info');
  if (config.LOCAL_MODE) {
    logger.warn(
      'LOCAL MODE: bot activities are accepted without authentication and the tab uses a development identity. Never run a deployment like this.',
    );
  }
  const store = await openStore(config, logger);
  const seed = config.SEED_PLAN ?? (config.STORE === 'sqlite' && config.LOCAL_MODE ? SHARED_PLAN_FILE : undefined);
  await seedIfEmpty(store, seed, logger);
  // Local mode listens on loopback only: nothing else on the network can reach an unauthenticated app.
  const host = config.HOST ?? (config.LOCAL_MODE ? '127.0.0.1' : '0.0.0.0');
  const running = await startApp({ config, store, logger, clock: systemClock }, { host });
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
