/**
 * Load: a real-time prompt run to 2,000 leads (one tenant, one card each) through the real
 * BotService, ledger, TeamsSender and RateLimiter, against a local stand-in for the Teams connector
 * that answers every 100th request 429 with Retry-After: 1. Reports the achieved send rate against
 * the documented ceiling, and the 429s. Then "Send prompt now" on 40 items for one lead (a card
 * each), where the per-conversation windows bind. About 60 s in all. Run alone with `npx tsx bench/load.ts`.
 *
 * Documented Teams limits (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit): per
 * bot per conversation 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour; per app per tenant 50 per
 * second. Every request counts, the 429s included.
 */
import { performance } from 'node:perf_hooks';
import { PER_CONVERSATION, PER_TENANT } from '../src/bot/rateLimiter';
import { DAY, setUpLoadRun } from '../test/reliability/support/loadRun';
import { busiest, firstExcess, startConnector } from '../test/reliability/support/teamsConnector';
import { benchMultiInstance } from './multiInstance';
import type { BenchRow } from './table';

const RETRY_AFTER_S = 1;

async function run(leads: number, items: number, throttleEvery: number, eachItemNow = false) {
  const teams = await startConnector({
    now: () => performance.now(),
    decide: (call) => (call.n % throttleEvery === 0 ? { throttle: String(RETRY_AFTER_S) } : undefined),
  });
  const load = await setUpLoadRun({ leads, items, serviceUrl: teams.url });
  try {
    const t0 = performance.now();
    let sent = 0;
    if (eachItemNow) {
      for (const key of load.itemKeys) sent += (await load.bot.promptNow(load.planId, key, 'bench')).sent;
    } else sent = (await load.bot.runPrompts(DAY)).totals.sent ?? 0;
    const seconds = (performance.now() - t0) / 1000;
    const accepted = teams.accepted();
    const times = teams.calls.map((c) => c.at);
    const perConversation = new Map<string, number[]>();
    for (const c of teams.calls) perConversation.set(c.conversationId, [...(perConversation.get(c.conversationId) ?? []), c.at]);
    return {
      seconds,
      sent,
      expected: eachItemNow ? load.itemKeys.length * leads : load.expected,
      accepted: accepted.length,
      requests: teams.calls.length,
      throttled: teams.throttled().length,
      retries: load.sender.stats.retries,
      busiestSecond: busiest(times, 1000),
      tenantOver: firstExcess(times, PER_TENANT),
      conversationOver: [...perConversation.values()].map((t) => firstExcess(t, PER_CONVERSATION)).find(Boolean),
    };
  } finally {
    await load.close();
    await teams.close();
  }
}

export async function benchLoad(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const wide = await run(2000, 1, 100);
  const rate = wide.accepted / wide.seconds;
  rows.push({
    name: 'load: daily cards to 2,000 leads, achieved send rate',
    value: Math.round(rate * 10) / 10,
    unit: 'sends/s',
    note: `ceiling 50/s per app per tenant: ${Math.round((rate / 50) * 100)}% of it; ${wide.sent}/${wide.expected} sent in ${wide.seconds.toFixed(1)} s`,
  });
  rows.push({
    name: 'load: 2,000 leads, requests in the busiest second',
    value: wide.busiestSecond,
    unit: 'requests',
    note: `limit 50; ${wide.tenantOver ? `OVER: ${wide.tenantOver.count} in ${wide.tenantOver.ms} ms` : 'never exceeded'}, per-conversation windows ${wide.conversationOver ? 'EXCEEDED' : 'never exceeded'}`,
  });
  rows.push({
    name: 'load: 2,000 leads, 429s from the stand-in',
    value: wide.throttled,
    unit: '429s',
    note: `every 100th request, Retry-After ${RETRY_AFTER_S} s; ${wide.retries} retries, ${wide.requests} requests; sends are sequential, so the run waits out each one`,
  });

  const narrow = await run(1, 40, 15, true);
  const narrowRate = narrow.accepted / narrow.seconds;
  rows.push({
    name: 'load: "Send prompt now" on 40 items for one lead, achieved send rate',
    value: Math.round(narrowRate * 100) / 100,
    unit: 'sends/s',
    note: `ceiling 8 per 2 s = 4/s sustained in one chat (7/s burst); ${narrow.throttled} 429s; ${narrow.conversationOver ? 'per-conversation windows EXCEEDED' : 'windows never exceeded'}; ${narrow.seconds.toFixed(1)} s`,
  });
  return rows;
}

if (require.main === module) {
  benchLoad()
    .then(async (rows) => [...rows, ...(await benchMultiInstance())])
    .then((rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
