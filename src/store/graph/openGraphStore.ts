/** Builds the SharePoint (Graph) store from configuration. */
import type { Config } from '../../config';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logger';
import type { PlanStore } from '../planStore';

export async function openGraphStore(_config: Config, _logger: Logger): Promise<PlanStore> {
  throw new ConfigError('STORE=graph is not available yet in this build');
}
