/**
 * The reporting cycle (issue 12): cards per person over the shared plan's year with every lead role
 * mapped to one person, when nobody answers (the schedule, the code that sends) and when every lead
 * answers Green on the day asked (the real prompt run, digest and card answers day by day); and the
 * check-in run for a 5,000-item plan with 40 lead roles (Q2 check-in day: every open item asked), sent to a local Teams
 * stand-in with the rate limiter on a virtual clock (our time, not the limits'). Run alone with
 * `npx tsx bench/cycle.ts`.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { FixedClock } from '../src/domain/clock';
import { slugify } from '../src/domain/identity';
import { DEFAULT_RULES } from '../src/domain/reminders';
import { coordinatorRole } from '../src/domain/recipients';
import { computeSchedule } from '../src/domain/schedule';
import { readPlanFile } from '../src/import/readPlanFile';
import { SHARED_PLAN_FILE } from '../src/import/sharedPlan';
import { createLogger } from '../src/logger';
import { createBotRuntime } from '../src/bot/runtime';
import { TeamsSender } from '../src/bot/sender';
import { SqlitePlanStore } from '../src/store/sqlite/sqlitePlanStore';
import { makeItem, makePlan } from '../test/store/fixtures';
import { startTeamsStandIn } from '../test/bot/support/teamsStandIn';
import { virtualTime } from '../test/reliability/support/loadRun';
import { median, PREVENT_COORDINATOR, runYear } from '../test/bot/support/yearRun';
import type { BenchRow } from './table';

async function scheduleCounts(): Promise<Map<string, number>> {
  const plan = await readPlanFile(SHARED_PLAN_FILE);
  const roles = [...new Set(plan.items.flatMap((i) => i.leads))];
  const directory = roles.map((role) => ({ role, people: [{ id: `aad-${slugify(role)}`, name: role }] }));
  const s = computeSchedule({
    planId: 'p',
    plan: plan.plan,
    items: plan.items,
    directory,
    rules: { ...DEFAULT_RULES, ownerRole: coordinatorRole(plan.items) },
    from: '2018-04-01',
    to: '2019-03-31',
  });
  const per = new Map<string, number>();
  for (const c of s.cards) per.set(c.recipient, (per.get(c.recipient) ?? 0) + 1);
  return per;
}

async function checkInRun(n: number): Promise<{ ms: number; dryMs: number; cards: number; requests: number; sent: number }> {
  const teams = await startTeamsStandIn();
  const store = new SqlitePlanStore(':memory:');
  const base = makePlan(0);
  // 40 lead roles, each with a lead and a deputy: about 125 items a lead.
  const roles = Array.from({ length: 40 }, (_, i) => `Lead role ${i}`);
  const { planId } = await store.importPlan({
    ...base,
    items: Array.from({ length: n }, (_, i) => ({ ...makeItem(i), leads: [roles[i % roles.length]!] })),
  });
  const logger = createLogger('silent');
  const at = '2018-09-16T07:00:00Z';
  const rt = createBotRuntime({
    config: loadConfig({ NODE_ENV: 'test', LOCAL_MODE: 'true', BOT_DB_PATH: ':memory:', SETTINGS_DB_PATH: ':memory:' }),
    store,
    logger,
    clock: new FixedClock(at),
    sender: new TeamsSender({ logger, time: virtualTime(Date.parse(at)) }),
  });
  for (const [i, role] of roles.entries()) {
    const people = [
      { id: `aad-${i}`, name: `Lead ${i}` },
      { id: `aad-dep-${i}`, name: `Deputy ${i}`, deputy: true },
    ];
    await store.setPeople(planId, role, people);
    for (const p of people)
      await rt.conversations.save(
        {
          key: `user:${p.id}`,
          kind: 'personal',
          userId: `29:${p.id}`,
          aadObjectId: p.id,
          name: p.name,
          conversationId: `a:${p.id}`,
          serviceUrl: teams.url,
          tenantId: 't',
          botId: '28:bot',
        },
        at,
      );
  }
  try {
    let t0 = performance.now();
    await rt.bot.runPrompts('2018-09-16', { dryRun: true });
    const dryMs = performance.now() - t0;
    t0 = performance.now();
    const report = await rt.bot.runPrompts('2018-09-16');
    return { ms: performance.now() - t0, dryMs, cards: report.cards.length, requests: report.lines.length, sent: report.totals.sent ?? 0 };
  } finally {
    await rt.close();
    await store.close();
    await teams.close();
  }
}

export async function benchCycle(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const planned = await scheduleCounts();
  const plannedCounts = [...planned.values()];
  rows.push({
    name: 'cycle: cards per person in the year, shared plan, nobody answering (max)',
    value: Math.max(...plannedCounts),
    unit: 'cards',
    note: `median ${median(plannedCounts)}; ${planned.size} people, every role mapped; ${PREVENT_COORDINATOR}: ${planned.get(`aad-${slugify(PREVENT_COORDINATOR)}`) ?? 0}`,
  });
  const t0 = performance.now();
  const year = await runYear({ answer: 'green' });
  const counts = [...year.perPerson.values()];
  const pc = [...year.coordinatorPerMonth.values()];
  rows.push({
    name: 'cycle: cards per person in the year, shared plan, every lead answering Green (max)',
    value: Math.max(...counts),
    unit: 'cards',
    note: `median ${median(counts)}; ${year.perPerson.size} people; most in one day ${Math.max(...year.cardsByDay.values())}; simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  });
  rows.push({
    name: `cycle: ${PREVENT_COORDINATOR} cards in the year (answering Green)`,
    value: pc.reduce((a, b) => a + b, 0),
    unit: 'cards',
    note: `busiest month ${Math.max(...pc)}; before daily cards and check-ins: 215 in the year, up to 36 in a month`,
  });
  const run = await checkInRun(5000);
  rows.push({
    name: 'cycle: check-in run, 5,000 items (compute, claim, build and send every card)',
    value: Math.round(run.ms),
    unit: 'ms',
    note: `${run.requests.toLocaleString('en-GB')} requests on ${run.cards} cards, ${run.sent} sent to the local stand-in; dry run ${Math.round(run.dryMs)} ms`,
  });
  return rows;
}

if (require.main === module) {
  benchCycle()
    .then((rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
