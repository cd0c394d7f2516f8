/** What every part of the running app is given: built once in main.ts, replaced by fakes in tests. */
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { PlanStore } from '../store/planStore';

export interface AppDeps {
  config: Config;
  store: PlanStore;
  logger: Logger;
  clock: Clock;
}
