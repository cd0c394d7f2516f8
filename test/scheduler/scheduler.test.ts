import { formatInTimeZone } from 'date-fns-tz';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { cronPatterns, startScheduler } from '../../src/scheduler/scheduler';

const logger = createLogger('silent');

describe('scheduler', () => {
  it('builds cron patterns: prompts at the configured hour, the digest tick hourly (each plan has its own day and hour)', () => {
    expect(cronPatterns(loadConfig({}))).toEqual({ prompts: '0 8 * * *', digest: '0 * * * *' });
    expect(cronPatterns(loadConfig({ PROMPT_HOUR: '7', DIGEST_DAY: 'fri', DIGEST_HOUR: '16' }))).toEqual({
      prompts: '0 7 * * *',
      digest: '0 * * * *',
    });
  });

  it('schedules in London time (08:00 prompts whatever the UTC offset; digest ticks on the hour)', async () => {
    const s = startScheduler({
      config: loadConfig({}),
      clock: new FixedClock('2018-09-02T07:00:00Z'),
      logger,
      runs: { runPrompts: async () => 0, runDigest: async () => 0 },
      catchUp: false,
    });
    try {
      const { prompts, digest } = s.next();
      expect(formatInTimeZone(prompts!, 'Europe/London', 'HH:mm')).toBe('08:00');
      expect(formatInTimeZone(digest!, 'Europe/London', 'mm')).toBe('00');
    } finally {
      await s.stop();
    }
  });

  it("catches up on start-up: today's prompts after the hour, and a digest tick (the bot posts only what is due)", async () => {
    const calls: string[] = [];
    const runs = {
      runPrompts: async (d: string) => calls.push(`prompts ${d}`),
      runDigest: async (now: Date) => calls.push(`digest ${now.toISOString()}`),
    };
    const clock = new FixedClock('2018-09-03T06:30:00Z'); // Monday 07:30 London: before both hours
    const s = startScheduler({ config: loadConfig({}), clock, logger, runs, catchUp: false });
    try {
      await s.catchUp();
      expect(calls).toEqual(['digest 2018-09-03T06:30:00.000Z']);
      clock.set('2018-09-03T08:30:00Z'); // 09:30 London
      await s.catchUp();
      expect(calls.slice(1)).toEqual(['prompts 2018-09-03', 'digest 2018-09-03T08:30:00.000Z']);
      clock.set('2018-09-04T08:30:00Z'); // Tuesday
      await s.catchUp();
      expect(calls.slice(3)).toEqual(['prompts 2018-09-04', 'digest 2018-09-04T08:30:00.000Z']);
    } finally {
      await s.stop();
    }
  });

  it('stop waits for a run in progress, and nothing runs after it', async () => {
    let release!: () => void;
    const calls: string[] = [];
    const runs = {
      runPrompts: () =>
        new Promise<void>((resolve) => {
          calls.push('started');
          release = () => {
            calls.push('finished');
            resolve();
          };
        }),
      runDigest: async () => 0,
    };
    const s = startScheduler({ config: loadConfig({}), clock: new FixedClock('2018-09-04T10:00:00Z'), logger, runs, catchUp: false });
    const catchUp = s.catchUp();
    await new Promise((r) => setImmediate(r));
    const stopping = s.stop().then(() => calls.push('stopped'));
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['started']);
    release();
    await Promise.all([catchUp, stopping]);
    expect(calls).toEqual(['started', 'finished', 'stopped']);
    await s.catchUp();
    expect(calls).toHaveLength(3);
  });

  it('logs a failed run instead of crashing the process', async () => {
    const s = startScheduler({
      config: loadConfig({}),
      clock: new FixedClock('2018-09-04T10:00:00Z'),
      logger,
      runs: { runPrompts: async () => Promise.reject(new Error('store down')), runDigest: async () => 0 },
      catchUp: false,
    });
    try {
      await expect(s.catchUp()).resolves.toBeUndefined();
    } finally {
      await s.stop();
    }
  });
});
