import { RateLimiter, type LimiterTime } from '../../src/bot/rateLimiter';
import { retryAfterMs, SendError, TeamsSender } from '../../src/bot/sender';
import { createLogger } from '../../src/logger';
import { startTeamsStandIn, type StandIn } from './support/teamsStandIn';

/** Virtual time: sleeping advances the clock instantly, and is recorded. */
function virtualTime(start = 1_000_000): LimiterTime & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('keeps a conversation within 7 per second, 8 per 2 s and 60 per 30 s', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter(time);
    const stamps: number[] = [];
    for (let i = 0; i < 70; i++) {
      const release = await limiter.acquire('conv-1');
      stamps.push(time.now());
      release();
    }
    const inWindow = (ms: number) => Math.max(...stamps.map((t) => stamps.filter((s) => s >= t && s < t + ms).length));
    expect(inWindow(1_000)).toBeLessThanOrEqual(7);
    expect(inWindow(2_000)).toBeLessThanOrEqual(8);
    expect(inWindow(30_000)).toBeLessThanOrEqual(60);
    // 70 sends cannot fit in under 30 s.
    expect(stamps.at(-1)! - stamps[0]!).toBeGreaterThanOrEqual(30_000);
  });

  it('does not hold one conversation back for another, but caps the tenant at 50 per second', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter(time);
    for (let i = 0; i < 50; i++) (await limiter.acquire(`conv-${i}`, 't'))();
    expect(time.slept).toEqual([]);
    (await limiter.acquire('conv-51', 't'))();
    expect(time.slept.length).toBeGreaterThan(0);
  });

  it('counts a send from when its response came back, so slow requests cannot bunch up at Teams', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter(time, [{ limit: 7, ms: 1_000 }], [{ limit: 3, ms: 1_000 }], 0);
    // Three sends leave at t=0 and their responses come back 900 ms later (they may reach Teams at 899 ms).
    const releases = [await limiter.acquire('a', 't'), await limiter.acquire('b', 't'), await limiter.acquire('c', 't')];
    const start = time.now();
    const fourth = limiter.acquire('d', 't');
    await new Promise((r) => setImmediate(r));
    time.sleep(900);
    releases.forEach((release) => release());
    await fourth;
    // Counted from departure, the fourth could have gone at 1,000 ms and met the others at Teams within one second;
    // counted from the responses, it waits until 1,900 ms.
    expect(time.now() - start).toBeGreaterThanOrEqual(1_900);
  });
});

describe('RateLimiter gate', () => {
  it('lets nothing go while the gate is shut (an instance whose heartbeat is stale), and goes on when it opens', async () => {
    const time = virtualTime();
    let open = false;
    const limiter = new RateLimiter(time, [{ limit: 7, ms: 1_000 }], [{ limit: 50, ms: 1_000 }], 0, () => {
      // The heartbeat is written again after a second and a half of waiting.
      if (time.now() >= 1_001_500) open = true;
      return open;
    });
    (await limiter.acquire('a', 't'))();
    expect(time.now()).toBeGreaterThanOrEqual(1_001_500);
    expect(time.slept.every((ms) => ms > 0)).toBe(true);
  });
});

describe('TeamsSender', () => {
  let teams: StandIn;
  beforeEach(async () => {
    teams = await startTeamsStandIn();
  });
  afterEach(() => teams.close());
  const logger = createLogger('silent');

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('waits as long as a 429 says, then delivers once', async () => {
    const time = virtualTime();
    const sender = new TeamsSender({ logger, time, token: async () => 'tok' });
    teams.throttleNext(2, '4');
    const res = await sender.send({ serviceUrl: teams.url, conversationId: 'a:conv;1', botId: '28:bot' }, { attachments: [] });
    expect(res.id).toMatch(/^act-/);
    expect(time.slept.filter((ms) => ms === 4000)).toHaveLength(2);
    expect(teams.calls).toHaveLength(3);
    expect(teams.sends()[2]!.conversationId).toBe('a:conv;1');
    expect(teams.calls[0]!.headers.authorization).toBe('Bearer tok');
    expect(sender.stats).toMatchObject({ throttled: 2, retries: 2 });
  });

  it('gives up (not delivered) when Retry-After is longer than it will wait', async () => {
    const sender = new TeamsSender({ logger, time: virtualTime(), maxRetryAfterMs: 10_000 });
    teams.throttleNext(1, '3600');
    await expect(sender.send({ serviceUrl: teams.url, conversationId: 'c' }, {})).rejects.toMatchObject({
      status: 429,
      delivered: 'no',
      unreachable: false,
    });
  });

  it('reports 403 as unreachable and a dead service as possibly delivered', async () => {
    const sender = new TeamsSender({ logger, time: virtualTime() });
    teams.blocked.add('gone');
    const err = await sender.send({ serviceUrl: teams.url, conversationId: 'gone' }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ status: 403, unreachable: true, delivered: 'no' });
    const dead = await sender.send({ serviceUrl: 'http://127.0.0.1:1', conversationId: 'c' }, {}).catch((e: unknown) => e);
    expect(dead).toMatchObject({ delivered: 'unknown', unreachable: false });
  });

  it('updates an activity in place with PUT', async () => {
    const sender = new TeamsSender({ logger, time: virtualTime() });
    await sender.update({ serviceUrl: teams.url, conversationId: 'c' }, 'act-9', { attachments: [] });
    expect(teams.updates()[0]).toMatchObject({ activityId: 'act-9', body: { id: 'act-9', type: 'message', conversation: { id: 'c' } } });
  });
});
