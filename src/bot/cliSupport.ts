/**
 * Where `dplan prompts` and `dplan digest` read the plan from: the configured store, or — when
 * the store holds no plan, or `--plan <file>` is given — a plan document read into a throw-away
 * in-memory store (so a dry run works on a fresh checkout with no setup).
 */
import path from 'node:path';
import { fromZonedTime } from 'date-fns-tz';
import { loadConfig, type Config } from '../config';
import { FixedClock } from '../domain/clock';
import { isIsoDate, LONDON, londonDate } from '../domain/reminders';
import { ValidationError } from '../errors';
import { readPlanFile } from '../import/readPlanFile';
import { createLogger, type Logger } from '../logger';
import { openStore } from '../store/openStore';
import type { PlanStore } from '../store/planStore';
import { SqlitePlanStore } from '../store/sqlite/sqlitePlanStore';
import { createBotRuntime, type BotRuntime } from './runtime';
import { info } from '../cli/output';

/** The shared plan, relative to the working directory (the repository root). */
export const DEFAULT_PLAN_FILE = path.join('..', 'shared', 'plans', 'prevent-delivery-plan-2018-19.md');

export interface BotCliContext {
  config: Config;
  logger: Logger;
  store: PlanStore;
  runtime: BotRuntime;
  clock: FixedClock;
  source: string;
  close(): Promise<void>;
}

export function parseDateOption(value: string | undefined, fallback: Date): string {
  if (value === undefined) return londonDate(fallback);
  if (!isIsoDate(value)) throw new ValidationError(`--date: "${value}" is not a date (YYYY-MM-DD)`, 'date');
  return value;
}

/** The instant `hour`:00 London time on `date`. */
export function londonInstant(date: string, hour: number): Date {
  return fromZonedTime(`${date}T${String(hour).padStart(2, '0')}:00:00`, LONDON);
}

export async function openBotCli(opts: { plan?: string; at: Date; sending: boolean }): Promise<BotCliContext> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  let store = await openStore(config, logger);
  let source = config.STORE === 'graph' ? 'SharePoint store' : `embedded store ${config.SQLITE_PATH}`;
  const planFile = opts.plan ?? ((await store.listPlans()).length === 0 ? DEFAULT_PLAN_FILE : undefined);
  if (planFile) {
    if (opts.sending)
      throw new ValidationError(
        'Sending needs the plan in the store (with its lead directory): run `dplan import` first, or use --dry-run.',
      );
    await store.close();
    const parsed = await readPlanFile(planFile);
    store = new SqlitePlanStore(':memory:');
    await store.importPlan(parsed);
    source = `plan document ${planFile} (not in the store: no lead directory, so leads show as roles)`;
  }
  info(`Reading the plan from the ${source}.`);
  if (opts.sending && !config.LOCAL_MODE && !(config.CLIENT_ID && config.CLIENT_SECRET)) {
    await store.close();
    throw new ValidationError(
      'Sending needs the bot registration (CLIENT_ID, CLIENT_SECRET, TENANT_ID) or LOCAL_MODE=true; use --dry-run to only list.',
    );
  }
  const clock = new FixedClock(opts.at);
  let token: (() => Promise<string | undefined>) | undefined;
  if (opts.sending && !config.LOCAL_MODE && config.CLIENT_ID && config.CLIENT_SECRET) {
    const { DplanTeamsApp } = await import('./mount');
    const app = new DplanTeamsApp({
      clientId: config.CLIENT_ID,
      clientSecret: config.CLIENT_SECRET,
      ...(config.TENANT_ID ? { tenantId: config.TENANT_ID } : {}),
    });
    token = () => app.botToken();
  }
  const runtime = createBotRuntime({ config, store, logger, clock, noCreate: !opts.sending, ...(token ? { token } : {}) });
  return {
    config,
    logger,
    store,
    runtime,
    clock,
    source,
    close: async () => {
      await runtime.close();
      await store.close();
    },
  };
}
