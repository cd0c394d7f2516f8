/**
 * Bot benchmarks: what a day's run asks (computeDay) and a full dry run for 5,000 items, ledger claims
 * per second (the claim that makes sends idempotent), digest computation and card size for 5,000
 * items, the largest daily card of the shared plan, and the time the documented Teams rate limits
 * impose on 60 sends to one person (virtual time: how long the limiter makes the run wait).
 * Run alone with `npx tsx bench/bot.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FixedClock } from '../src/domain/clock';
import { computeDigest } from '../src/domain/digest';
import { DEFAULT_RULES, type DirectoryRole } from '../src/domain/reminders';
import { computeDay } from '../src/domain/schedule';
import { planIdOf } from '../src/domain/identity';
import type { PlanItem, StatusUpdate } from '../src/domain/model';
import { readPlanFile } from '../src/import/readPlanFile';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { SqlitePlanStore } from '../src/store/sqlite/sqlitePlanStore';
import type { StoredItem } from '../src/store/planStore';
import { openBotDb } from '../src/bot/botDb';
import { SqliteSendLedger } from '../src/bot/ledger';
import { RateLimiter } from '../src/bot/rateLimiter';
import { byteSize } from '../src/bot/cards/common';
import { digestCard } from '../src/bot/cards/digestCard';
import { fitDailyCard, SEND_BUDGET_BYTES } from '../src/bot/cards/dailyCard';
import { createBotRuntime } from '../src/bot/runtime';
import type { BenchRow } from './table';

import { SHARED_PLAN_FILE as SHARED_PLAN } from '../src/import/sharedPlan';
const ROLES = Array.from({ length: 40 }, (_, i) => `Lead role ${i}`);

function bigItems(n: number): PlanItem[] {
  return Array.from({ length: n }, (_, i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    return {
      key: `a${(i % 4) + 1}-${i.toString(16).padStart(8, '0')}`,
      kind: 'action',
      objectives: [(i % 4) + 1],
      title: `Deliver workstream ${i}: training and awareness`,
      outcomes: [`Outcome ${i}`],
      outputs: [{ text: `${(i % 30) + 1} x 2 hour training sessions`, target: (i % 30) + 1, unit: 'sessions' }],
      timescale: `${month}/2018`,
      milestones: [`2018-${month}-28`, ...(i % 3 === 0 ? ['2019-03-31'] : [])],
      leads: [ROLES[i % ROLES.length]!, ...(i % 5 === 0 ? [ROLES[(i + 7) % ROLES.length]!] : [])],
      recommendations: [],
      status: (['not-reported', 'red', 'amber', 'green', 'complete'] as const)[i % 5]!,
    };
  });
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

/** `time` for work that is awaited (the ledger port is async). */
async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function benchBot(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const items = bigItems(5000);
  const directory: DirectoryRole[] = ROLES.map((role, i) => ({
    role,
    people: [
      { id: `aad-${i}`, name: `Person ${i}` },
      { id: `aad-${i + 100}`, name: `Deputy ${i}` },
    ],
  }));

  // Pure computation: what the Q2 check-in day asks (median of 5 runs).
  const times: number[] = [];
  let count = 0;
  let cards = 0;
  const plan = { periodStart: '2018-04-01', periodEnd: '2019-03-31' };
  for (let r = 0; r < 5; r++) {
    const [day, ms] = time(() => computeDay({ planId: 'bench', plan, items, directory, date: '2018-09-16', rules: DEFAULT_RULES }));
    times.push(ms);
    count = day.requests.length;
    cards = day.cards.length;
  }
  times.sort((a, b) => a - b);
  rows.push({
    name: 'bot: compute a check-in day, 5,000 items',
    value: Math.round(times[2]! * 10) / 10,
    unit: 'ms',
    note: `${count} requests on ${cards} cards (median of 5)`,
  });

  // A full dry run through the store and the service.
  const store = new SqlitePlanStore(':memory:');
  const { planId } = await store.importPlan({
    plan: { title: 'Bench Plan', organisation: 'Bench Council', periodStart: '2018-04-01', periodEnd: '2019-03-31' },
    objectives: [1, 2, 3, 4].map((n) => ({ number: n, title: `Objective ${n}` })),
    recommendations: [],
    items,
  });
  for (const d of directory) await store.setPeople(planId, d.role, d.people);
  const config = loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:', LOG_LEVEL: 'silent' });
  const runtime = createBotRuntime({ config, store, logger: createLogger('silent'), clock: new FixedClock('2018-08-31T07:00:00Z') });
  const t0 = performance.now();
  const report = await runtime.bot.runPrompts('2018-09-16', { dryRun: true });
  rows.push({
    name: 'bot: dry check-in run, 5,000 items (store + settings + ledger + cards)',
    value: Math.round(performance.now() - t0),
    unit: 'ms',
    note: `${report.lines.length} requests on ${report.cards.length} cards`,
  });
  await runtime.close();

  // Ledger: claims per second (each is one IMMEDIATE transaction on a WAL file).
  const ledger = new SqliteSendLedger(openBotDb(':memory:'), 'bench');
  const claimMs = await timeAsync(async () => {
    for (let i = 0; i < 10_000; i++)
      await ledger.claim(
        {
          id: `p${i}`,
          planId,
          itemKey: `k${i}`,
          milestone: '2018-09-30',
          reason: '28 days',
          personId: `aad-${i % 80}`,
          personName: 'x',
          dateKey: '2018-09-02',
        },
        '2018-09-02T07:00:00Z',
      );
  });
  rows.push({ name: 'bot: ledger claims, in memory', value: Math.round(10_000 / (claimMs / 1000)), unit: 'claims/s' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-bench-ledger-'));
  const fileLedger = new SqliteSendLedger(openBotDb(path.join(dir, 'bot.sqlite')), 'bench');
  const fileMs = await timeAsync(async () => {
    for (let i = 0; i < 2_000; i++)
      await fileLedger.claim(
        {
          id: `p${i}`,
          planId,
          itemKey: `k${i}`,
          milestone: '2018-09-30',
          reason: '28 days',
          personId: `aad-${i % 80}`,
          personName: 'x',
          dateKey: '2018-09-02',
        },
        '2018-09-02T07:00:00Z',
      );
  });
  rows.push({
    name: 'bot: ledger claims, SQLite file (WAL)',
    value: Math.round(2_000 / (fileMs / 1000)),
    unit: 'claims/s',
    note: 'the rate limits (50/s per tenant) bind long before this',
  });
  fs.rmSync(dir, { recursive: true, force: true });

  // Digest for 5,000 items with 5,000 history rows.
  const stored: StoredItem[] = items.map((i, n) => ({ ...i, planId, version: String(n) }));
  const history: StatusUpdate[] = stored.map((i, n) => ({
    itemKey: i.key,
    at: `2018-09-0${(n % 9) + 1}T10:00:00Z`,
    by: `Person ${n % 40}`,
    from: 'not-reported',
    to: i.status,
  }));
  const [digest, digestMs] = time(() =>
    computeDigest({ planTitle: 'Bench Plan', items: stored, history, now: new Date('2018-09-10T08:00:00Z') }),
  );
  rows.push({ name: 'bot: compute digest, 5,000 items + 5,000 history rows', value: Math.round(digestMs * 10) / 10, unit: 'ms' });
  rows.push({ name: 'bot: digest card size, 5,000 items', value: byteSize(digestCard(digest)), unit: 'bytes', note: 'Teams limit 28,672' });

  // The largest daily card of the shared plan: the Prevent Co-ordinator's check-in (16 items, their own and the projects').
  const parsed = await readPlanFile(SHARED_PLAN);
  const sharedId = planIdOf(parsed.plan);
  const sharedPlan = { id: sharedId, plan: parsed.plan, objectives: parsed.objectives, recommendations: parsed.recommendations };
  const pcItems = parsed.items.filter((i) => i.leads.includes('Prevent Co-ordinator') || i.leads.length === 0);
  const fitted = fitDailyCard(
    {
      plan: sharedPlan,
      planId: sharedId,
      date: '2018-09-16',
      promptId: '0123456789abcdef',
      entries: pcItems.map((i, n) => ({
        item: { ...i, planId: sharedId, version: '1', lastUpdate: { at: '2018-09-03T09:00:00Z', by: 'Ann Lead', note: 'x'.repeat(2000) } },
        slot: `i${n}`,
        ask: { reason: 'check-in', periodLabel: 'Q2 2018-19', periodEnd: '2018-09-30', roles: ['Prevent Co-ordinator'] },
        state: { kind: 'open' as const },
      })),
      myActionsLink: 'https://teams.microsoft.com/l/entity/00000000-0000-0000-0000-000000000000/my-actions',
      deepLink: 'https://teams.microsoft.com/l/entity/00000000-0000-0000-0000-000000000000/plan',
      refreshUserIds: [`29:${'x'.repeat(90)}`],
    },
    SEND_BUDGET_BYTES,
  );
  rows.push({
    name: 'bot: largest daily card, shared plan (16 items, 2,000-char last notes)',
    value: byteSize(fitted.card),
    unit: 'bytes',
    note: `${fitted.shown} of ${pcItems.length} items on the card; Teams limit 28,672`,
  });

  // Rate limits: virtual time for 60 prompts to one conversation and 500 to 500 conversations.
  let now = 0;
  const virtual = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  const limiter = new RateLimiter(virtual);
  for (let i = 0; i < 60; i++) (await limiter.acquire('one-person'))();
  rows.push({
    name: 'bot: rate-limit wait, 60 sends to one chat',
    value: Math.round(now / 100) / 10,
    unit: 's',
    note: '7/s, 8/2 s, 60/30 s per conversation',
  });
  now = 0;
  const limiter2 = new RateLimiter(virtual);
  for (let i = 0; i < 500; i++) (await limiter2.acquire(`person-${i}`, 'tenant'))();
  rows.push({
    name: 'bot: rate-limit wait, 500 sends to 500 chats',
    value: Math.round(now / 100) / 10,
    unit: 's',
    note: '50/s per app per tenant',
  });
  await store.close();
  return rows;
}

if (require.main === module) {
  benchBot()
    .then((rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
