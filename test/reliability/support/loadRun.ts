/**
 * A prompt run at scale for the load test and bench/load.ts: `leads` people in one role, `items`
 * items due on DAY led by that role (so one card per lead listing every item), every lead installed in a 1:1 chat at
 * `serviceUrl` in one tenant, and the real bot, ledger and TeamsSender — with the sender's
 * time (rate-limiter windows and Retry-After waits) injectable, so a test can run it on a virtual clock.
 */
import { loadConfig } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import type { Plan } from '../../../src/domain/model';
import { createLogger } from '../../../src/logger';
import type { Bot } from '../../../src/bot/bot';
import { realTime, type LimiterTime } from '../../../src/bot/rateLimiter';
import { createBotRuntime } from '../../../src/bot/runtime';
import { TeamsSender } from '../../../src/bot/sender';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import { makeItem, makePlan } from '../../store/fixtures';

export const DAY = '2019-02-28';
export const TENANT = 'tenant-load';
const ROLE = 'Prevent lead';

export interface LoadRun {
  bot: Bot;
  sender: TeamsSender;
  /** Cards the run should send: one per lead (each lists every item due). */
  expected: number;
  planId: string;
  itemKeys: string[];
  close(): Promise<void>;
}

export async function setUpLoadRun(opts: { leads: number; items: number; serviceUrl: string; time?: LimiterTime }): Promise<LoadRun> {
  const store = new SqlitePlanStore(':memory:');
  const base = makePlan(0);
  const plan: Plan = {
    ...base,
    items: Array.from({ length: opts.items }, (_, i) => {
      const { recurring: _recurring, ...item } = makeItem(i);
      return { ...item, timescale: '02/2019', milestones: [DAY], leads: [ROLE] };
    }),
  };
  const { planId } = await store.importPlan(plan);
  const people = Array.from({ length: opts.leads }, (_, i) => ({ id: `aad-${i}`, name: `Lead ${i}` }));
  await store.setPeople(planId, ROLE, people);
  const logger = createLogger('silent');
  const sender = new TeamsSender({ logger, time: opts.time ?? realTime });
  const at = `${DAY}T07:00:00.000Z`;
  const runtime = createBotRuntime({
    config: loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:', SETTINGS_DB_PATH: ':memory:' }),
    store,
    logger,
    clock: new FixedClock(at),
    sender,
  });
  for (const p of people) {
    await runtime.conversations.save(
      {
        key: `user:${p.id}`,
        kind: 'personal',
        userId: `29:${p.id}`,
        aadObjectId: p.id,
        name: p.name,
        conversationId: `a:${p.id}`,
        serviceUrl: opts.serviceUrl,
        tenantId: TENANT,
        botId: '28:bot',
      },
      at,
    );
  }
  return {
    bot: runtime.bot,
    sender,
    expected: opts.leads,
    planId,
    itemKeys: plan.items.map((i) => i.key),
    close: async () => {
      await runtime.close();
      await store.close();
    },
  };
}

/** A clock that moves only when something sleeps on it: windows and waits are exact, and instant. */
export function virtualTime(start = Date.parse(`${DAY}T07:00:00Z`)): LimiterTime & { elapsed(): number } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
    elapsed: () => now - start,
  };
}
