/**
 * Where `dplan prompts` and `dplan digest` read the plan from: the configured store, or — when the
 * store holds no plan, or `--plan <file>` is given — a plan document read into a throw-away in-memory
 * store (so a dry run works on a fresh checkout with no setup). The bot runs exactly as in the server.
 */
import { fromZonedTime } from 'date-fns-tz';
import { mailPartsFrom } from '../bot/emailSetup';
import { createBotRuntime, type BotRuntime } from '../bot/runtime';
import { botTokenProvider } from '../bot/teamsApp';
import { isIsoDate, LONDON, londonDate } from '../domain/calendar';
import { FixedClock } from '../domain/clock';
import { ValidationError } from '../errors';
import { readPlanFile } from '../import/readPlanFile';
import { SHARED_PLAN_FILE } from '../import/sharedPlan';
import { openState } from '../state/openState';
import { openStore } from '../store/openStore';
import type { PlanStore } from '../store/planStore';
import { SqlitePlanStore } from '../store/sqlite/sqlitePlanStore';
import { PlanSettingsResolver } from '../usecases/planSettings';
import { cliContext, type CliContext } from './context';
import { info } from './output';

export interface BotCliContext extends CliContext {
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
  const ctx = cliContext();
  const { config, logger } = ctx;
  let store = await openStore(config, logger);
  let source = config.STORE === 'graph' ? 'SharePoint store' : `embedded store ${config.SQLITE_PATH}`;
  const planFile = opts.plan ?? ((await store.listPlans()).length === 0 ? SHARED_PLAN_FILE : undefined);
  if (planFile) {
    if (opts.sending) {
      await store.close();
      throw new ValidationError(
        'Sending needs the plan in the store (with its lead directory): run `dplan import` first, or use --dry-run.',
      );
    }
    await store.close();
    store = new SqlitePlanStore(':memory:');
    await store.importPlan(await readPlanFile(planFile));
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
  const token = opts.sending && !config.LOCAL_MODE ? botTokenProvider(config) : undefined;
  // STATE_STORE=azure: the ledger, references and settings the app instances share.
  const state = config.STATE_STORE === 'azure' ? await openState(config, logger) : undefined;
  // Partners held by e-mail only are e-mailed from MAIL_SENDER (the local outbox lives in the server only).
  const mail = config.MAIL_SENDER ? mailPartsFrom(config, logger, clock) : undefined;
  const runtime = createBotRuntime({
    config,
    store,
    logger,
    clock,
    noCreate: !opts.sending,
    ...(token ? { token } : {}),
    ...(state?.bot ? { shared: state.bot, settings: new PlanSettingsResolver(config, state.settings) } : {}),
    ...(mail ? { mail } : {}),
  });
  return {
    ...ctx,
    store,
    runtime,
    clock,
    source,
    close: async () => {
      await runtime.close();
      await state?.close();
      await store.close();
    },
  };
}
