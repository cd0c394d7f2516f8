/**
 * In-process schedule (croner, Europe/London): the daily prompt run at PROMPT_HOUR and an hourly
 * digest tick that posts each plan's weekly digest (with escalations) on its own day and hour
 * (the tab's settings, else DIGEST_DAY / DIGEST_HOUR). Restart-safe: every send goes through the
 * ledger, so a job that runs twice (a restart, a second instance, the start-up catch-up below)
 * sends nothing twice. On start, a run missed today (the process was down at the hour) is caught up.
 */
import { Cron } from 'croner';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import { LONDON, londonDate } from '../domain/calendar';
import type { Logger } from '../logger';
import { soleInstance, type Leadership } from '../state/leadership';
import { formatInTimeZone } from 'date-fns-tz';

export interface ScheduledRuns {
  runPrompts(date: string): Promise<unknown>;
  runDigest(now: Date): Promise<unknown>;
}

export interface Scheduler {
  /** Stops the jobs and waits for a run in progress to finish (so the stores can be closed after). */
  stop(): Promise<void>;
  /** Next run times (for the start-up log and tests). */
  next(): { prompts: Date | null; digest: Date | null };
  /** The start-up catch-up (exposed for tests). */
  catchUp(): Promise<void>;
}

/**
 * Prompts daily at PROMPT_HOUR. The digest job ticks hourly: each plan has its own digest day and
 * hour (tab settings, else DIGEST_DAY / DIGEST_HOUR) and the run posts only the plans that are due.
 */
export function cronPatterns(config: Pick<Config, 'PROMPT_HOUR'>): { prompts: string; digest: string } {
  return { prompts: `0 ${config.PROMPT_HOUR} * * *`, digest: '0 * * * *' };
}

/** Schedulers started in this process: croner refuses two jobs of one name, and tests run several apps in one process. */
let started = 0;

export function startScheduler(deps: {
  config: Config;
  clock: Clock;
  logger: Logger;
  runs: ScheduledRuns;
  catchUp?: boolean;
  /** With several instances, only the leader runs the jobs (the ledger would stop double sends anyway). */
  leadership?: Leadership;
  /** This instance's id (the ledger's), in the jobs' names and the log. */
  instance?: string;
}): Scheduler {
  const { config, clock, logger, runs } = deps;
  const leadership = deps.leadership ?? soleInstance;
  const patterns = cronPatterns(config);
  const running = new Set<Promise<void>>();
  let stopped = false;
  const guard = (name: string, work: () => Promise<unknown>) => async () => {
    if (stopped || !leadership.isLeader()) return;
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
  // `protect` skips a tick while the previous run of the same job is still going. Job names are
  // unique per scheduler (croner keeps named jobs in one registry per process).
  const suffix = `${deps.instance ?? 'local'}#${++started}`;
  const prompts = new Cron(patterns.prompts, { timezone: LONDON, protect: true, name: `dplan-prompts ${suffix}` }, promptRun);
  const digest = new Cron(patterns.digest, { timezone: LONDON, protect: true, name: `dplan-digest ${suffix}` }, digestRun);

  const catchUp = async () => {
    const now = clock.now();
    const hour = Number(formatInTimeZone(now, LONDON, 'H'));
    if (hour >= config.PROMPT_HOUR) await promptRun();
    await digestRun(); // posts only what is due and not yet posted today
  };
  if (deps.catchUp !== false) void catchUp();
  // A new leader catches up what the last one did not get to (the ledger keeps it to once).
  leadership.onLeading(() => void catchUp());
  logger.info(
    { prompts: prompts.nextRun()?.toISOString(), digest: digest.nextRun()?.toISOString(), timezone: LONDON, jobs: suffix },
    'scheduler started',
  );
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
