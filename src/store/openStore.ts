/** Picks the PlanStore adapter the configuration asks for. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { PlanStore } from './planStore';

export async function openStore(config: Config, logger: Logger): Promise<PlanStore> {
  if (config.STORE === 'graph') {
    // Loaded only when asked for, so the embedded default never pulls in the Graph client.
    const { openGraphStore } = await import('./graph/openGraphStore');
    return openGraphStore(config, logger);
  }
  const { SqlitePlanStore } = await import('./sqlite/sqlitePlanStore');
  logger.info({ store: 'sqlite', path: config.SQLITE_PATH }, 'opening the embedded store');
  return new SqlitePlanStore(config.SQLITE_PATH);
}
