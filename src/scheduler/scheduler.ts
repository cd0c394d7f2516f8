/**
 * In-process schedule (croner, Europe/London): the daily prompt run at PROMPT_HOUR and the weekly
 * digest (with escalations) on DIGEST_DAY at DIGEST_HOUR. Restart-safe: every send goes through the
 * ledger, so a job that runs twice (a restart, a second instance, the start-up catch-up below)
 * sends nothing twice. On start, a run missed today (the process was down at the hour) is caught up.
 */
import { Cron } from 'croner';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import { LONDON, londonDate, weekdayOf } from '../domain/reminders';
import type { Logger } from '../logger';
import { formatInTimeZone } from 'date-fns-tz';

export interface ScheduledRuns {
  runPrompts(date: string): Promise<unknown>;
  runDigest(now: Date): Promise<unknown>;
}

const CRON_DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

export interface Scheduler {
  /** Stops the jobs and waits for a run in progress to finish (so the stores can be closed after). */
  stop(): Promise<void>;
  /** Next run times (for the start-up log and tests). */
  next(): { prompts: Date | null; digest: Date | null };
  /** The start-up catch-up (exposed for tests). */
  catchUp(): Promise<void>;
}

export function cronPatterns(config: Pick<Config, 'PROMPT_HOUR' | 'DIGEST_DAY' | 'DIGEST_HOUR'>): { prompts: string; digest: string } {
  return { prompts: `0 ${config.PROMPT_HOUR} * * *`, digest: `0 ${config.DIGEST_HOUR} * * ${CRON_DAYS[config.DIGEST_DAY]}` };
}

export function startScheduler(deps: { config: Config; clock: Clock; logger: Logger; runs: ScheduledRuns; catchUp?: boolean }): Scheduler {
  const { config, clock, logger, runs } = deps;
  const patterns = cronPatterns(config);
  const running = new Set<Promise<void>>();
  let stopped = false;
  const guard = (name: string, work: () => Promise<unknown>) => async () => {
    if (stopped) return;
    const run = (async () => {
      try {
        await work();
      } catch (err) {
        logger.error({ job: name, err: (err as Error).message }, 'scheduled run failed');
      }
    })();
    running.add(run);
    try {
      await run;
    } finally {
      running.delete(run);
    }
  };
  const promptRun = guard('prompts', () => runs.runPrompts(londonDate(clock.now())));
  const digestRun = guard('digest', () => runs.runDigest(clock.now()));
  // `protect` skips a tick while the previous run of the same job is still going.
  const prompts = new Cron(patterns.prompts, { timezone: LONDON, protect: true, name: 'dplan-prompts' }, promptRun);
  const digest = new Cron(patterns.digest, { timezone: LONDON, protect: true, name: 'dplan-digest' }, digestRun);

  const catchUp = async () => {
    const now = clock.now();
    const hour = Number(formatInTimeZone(now, LONDON, 'H'));
    if (hour >= config.PROMPT_HOUR) await promptRun();
    if (weekdayOf(londonDate(now)) === config.DIGEST_DAY && hour >= config.DIGEST_HOUR) await digestRun();
  };
  if (deps.catchUp !== false) void catchUp();
  logger.info({ prompts: prompts.nextRun()?.toISOString(), digest: digest.nextRun()?.toISOString(), timezone: LONDON }, 'scheduler started');
  return {
    stop: async () => {
      stopped = true;
      prompts.stop();
      digest.stop();
      await Promise.allSettled([...running]);
    },
    next: () => ({ prompts: prompts.nextRun(), digest: digest.nextRun() }),
    catchUp,
  };
}
