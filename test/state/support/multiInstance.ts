/**
 * Three app processes (`src/main.ts`, STATE_STORE=azure) on one Azurite and one Teams stand-in: a
 * prompt run queues a card for each of `leads` leads, the three instances' send workers send them,
 * and (optionally) one instance is SIGKILLed once a third have arrived and then started again.
 * For test/state/multiInstance.test.ts and bench/multiInstance.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../../src/config';
import { FixedClock } from '../../../src/domain/clock';
import type { Plan } from '../../../src/domain/model';
import { createLogger } from '../../../src/logger';
import { createBotRuntime } from '../../../src/bot/runtime';
import { PER_CONVERSATION, PER_TENANT } from '../../../src/bot/rateLimiter';
import { openState } from '../../../src/state/openState';
import { SqlitePlanStore } from '../../../src/store/sqlite/sqlitePlanStore';
import { PlanSettingsResolver } from '../../../src/usecases/planSettings';
import { makeItem, makePlan } from '../../store/fixtures';
import { busiest, firstExcess, startConnector, type Connector } from '../../reliability/support/teamsConnector';
import { startAzurite, type Azurite } from '../../support/azurite';
import { REPO } from '../../support/paths';
import { waitUntil } from '../../support/waitUntil';

export const DAY = '2019-02-28';
const TENANT = 'tenant-multi';
const ROLE = 'Prevent lead';

export interface MultiInstanceResult {
  leads: number;
  /** Leads whose card the stand-in accepted more than once. */
  duplicates: number;
  /** Leads with no card at the stand-in and no `uncertain` row telling the co-ordinator so. */
  lost: number;
  /** Cards taken by the killed instance mid-send: reported as uncertain, never re-sent. */
  uncertain: number;
  /** Of those, how many the stand-in did receive. */
  uncertainDelivered: number;
  accepted: number;
  throttled: number;
  /** Sends per second from the first to the last send of the main stretch (before any visibility-timeout tail). */
  rate: number;
  seconds: number;
  /** Sends that waited out a visibility timeout (messages the killed instance had taken). */
  late: number;
  busiestSecond: number;
  tenantOver: ReturnType<typeof firstExcess>;
  conversationOver: ReturnType<typeof firstExcess>;
}

interface Instance {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** How an instance is run: the source through tsx (tests: no build), or the built server as App Service runs it (`node dist/main.js`). */
export type Entry = 'src' | 'dist';

function startInstance(env: NodeJS.ProcessEnv, entry: Entry): Promise<Instance> {
  // Node itself (with tsx's loader for the source, not the tsx wrapper): SIGKILL must reach the process that sends.
  const main = entry === 'dist' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...(process.env.PROF_APP ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), ...main], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Delivery Plan for Teams is running')) resolve({ child, exited, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`an instance stopped before it listened (exit ${code}):\n${out}`)));
  });
}

export async function runMultiInstance(opts: {
  leads: number;
  kill: boolean;
  throttleEvery?: number;
  /** Default `src`; `dist` needs `npm run build` (or `tsc -p tsconfig.build.json`) first. */
  entry?: Entry;
}): Promise<MultiInstanceResult> {
  const entry = opts.entry ?? 'src';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-multi-'));
  let azurite: Azurite | undefined;
  let teams: Connector | undefined;
  const instances: Instance[] = [];
  /** The killed one (its output kept for DPLAN_TRACE). */
  const gone: Instance[] = [];
  const store = new SqlitePlanStore(path.join(dir, 'plan.sqlite'));
  try {
    azurite = await startAzurite();
    const throttleEvery = opts.throttleEvery ?? 100;
    teams = await startConnector({ decide: (call) => (call.n % throttleEvery === 0 ? { throttle: '1' } : undefined) });
    const base = makePlan(0);
    const plan: Plan = {
      ...base,
      items: [0, 1].map((i) => {
        const { recurring: _recurring, ...item } = makeItem(i);
        return { ...item, timescale: '02/2019', milestones: [DAY], leads: [ROLE] };
      }),
    };
    const { planId } = await store.importPlan(plan);
    const people = Array.from({ length: opts.leads }, (_, i) => ({ id: `aad-${i}`, name: `Lead ${i}` }));
    await store.setPeople(planId, ROLE, people);

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOCAL_MODE: 'true',
      LOG_LEVEL: process.env.DPLAN_TRACE ? 'info' : 'warn',
      PORT: '0',
      SCHEDULER: 'false',
      STORE: 'sqlite',
      SQLITE_PATH: path.join(dir, 'plan.sqlite'),
      SETTINGS_DB_PATH: path.join(dir, 'settings.sqlite'),
      STATE_STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      STATE_PREFIX: 'multi',
    };
    const config: Config = loadConfig({ ...env, NODE_ENV: 'test' });
    const logger = createLogger('silent');
    const state = await openState(config, logger);
    const at = `${DAY}T07:00:00.000Z`;
    const serviceUrl = teams.url;
    const save = (p: { id: string; name: string }) =>
      state.bot!.conversations.save(
        {
          key: `user:${p.id}`,
          kind: 'personal',
          userId: `29:${p.id}`,
          aadObjectId: p.id,
          name: p.name,
          conversationId: `a:${p.id}`,
          serviceUrl,
          tenantId: TENANT,
          botId: '28:bot',
        },
        at,
      );
    for (let i = 0; i < people.length; i += 50) await Promise.all(people.slice(i, i + 50).map(save));
    const childEnv = { ...process.env, ...env };
    // Each on its own machine (App Service's WEBSITE_INSTANCE_ID); the killed one restarts on the same.
    const on = (i: number) => ({ ...childEnv, WEBSITE_INSTANCE_ID: `vm-${i}` });
    for (let i = 0; i < 3; i++) instances.push(await startInstance(on(i), entry));

    // The prompt run (the scheduler's leader does this in Azure): claims and queues every card.
    const runtime = createBotRuntime({
      config,
      store,
      logger,
      clock: new FixedClock(at),
      settings: new PlanSettingsResolver(config, state.settings),
      shared: state.bot!,
      sendQueue: state.sending!.queue,
    });
    const t0 = Date.now();
    const report = await runtime.bot.runPrompts(DAY);
    if (process.env.DPLAN_TRACE)
      process.stderr.write(`prompt run queued ${report.totals.queued} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    if ((report.totals.queued ?? 0) !== opts.leads)
      throw new Error(`expected ${opts.leads} cards queued, got ${JSON.stringify(report.totals)}`);

    const connector = teams;
    const events: Array<[string, number]> = [];
    if (opts.kill) {
      await waitUntil(() => connector.accepted().length >= opts.leads / 3, { timeoutMs: 120_000, what: 'a third of the cards to arrive' });
      const victim = instances[1]!;
      gone.push(victim);
      victim.child.kill('SIGKILL');
      await victim.exited;
      events.push(['killed', Date.now()]);
      instances[1] = await startInstance(on(1), entry);
      events.push(['restarted', Date.now()]);
    }
    // Done when every card is decided: sent, or uncertain (taken by the killed instance). The stand-in
    // is watched first (in this process, free) until all but the few the killed instance may have had
    // in hand have arrived: each look at the ledger lists the whole day, which Azurite answers by
    // scanning the table, and looking every 2 s all run long would slow the workers being measured.
    await waitUntil(() => connector.accepted().length >= opts.leads - 50, {
      timeoutMs: 300_000,
      what: 'all but 50 cards to arrive at the Teams stand-in',
    });
    const ledger = state.bot!.ledger;
    let rows = await ledger.between(planId, DAY, DAY);
    await waitUntil(
      async () => {
        rows = await ledger.between(planId, DAY, DAY);
        return rows.length === opts.leads && rows.every((r) => r.state === 'sent' || r.state === 'uncertain');
      },
      // Every 2 s: each look lists the whole day's ledger.
      { timeoutMs: 300_000, everyMs: 2_000, what: 'every card to be sent or reported uncertain' },
    );
    const seconds = (Date.now() - t0) / 1000;
    await runtime.close();
    await state.close();

    const accepted = connector.accepted();
    const perLead = new Map<string, number>();
    for (const c of accepted) perLead.set(c.conversationId, (perLead.get(c.conversationId) ?? 0) + 1);
    const uncertainRows = rows.filter((r) => r.state === 'uncertain');
    const uncertainIds = new Set(uncertainRows.map((r) => `a:${r.personId}`));
    const times = connector.calls.map((c) => c.at);
    const perConversation = new Map<string, number[]>();
    for (const c of connector.calls) perConversation.set(c.conversationId, [...(perConversation.get(c.conversationId) ?? []), c.at]);
    // The main stretch ends at the first pause of 2 s or more: what comes after is the messages the
    // killed instance had received but not sent, which wait out their visibility timeout (30 s from
    // when it received them). At 45 or more sends a second no other pause that long happens in a
    // healthy run; a stalled one would show as a short stretch and many `late` sends (both reported).
    const sendTimes = accepted.map((c) => c.at).sort((a, b) => a - b);
    let end = sendTimes.length - 1;
    for (let i = 1; i < sendTimes.length; i++)
      if (sendTimes[i]! - sendTimes[i - 1]! >= 2_000) {
        end = i - 1;
        break;
      }
    const span = (sendTimes[end]! - sendTimes[0]!) / 1000;
    if (process.env.DPLAN_TRACE) {
      const first = sendTimes[0]!;
      const perSecond: number[] = [];
      for (const t of sendTimes) perSecond[Math.floor((t - first) / 1000)] = (perSecond[Math.floor((t - first) / 1000)] ?? 0) + 1;
      process.stderr.write(`sends per second: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}\n`);
      for (const [what, at] of events) process.stderr.write(`${what} at ${((at - first) / 1000).toFixed(1)} s\n`);
      for (const [n, i] of [...instances, ...gone].entries())
        for (const line of i
          .output()
          .split('\n')
          .filter((l) => l.includes('"share"'))) {
          const entry = JSON.parse(line) as { time: number; share: number; instances: number };
          process.stderr.write(
            `instance ${n}: share ${entry.share} of ${entry.instances} at ${((entry.time - first) / 1000).toFixed(1)} s\n`,
          );
        }
    }
    return {
      leads: opts.leads,
      duplicates: [...perLead.values()].filter((n) => n > 1).length,
      lost: people.filter((p) => !perLead.has(`a:${p.id}`) && !uncertainIds.has(`a:${p.id}`)).length,
      uncertain: uncertainRows.length,
      uncertainDelivered: uncertainRows.filter((r) => perLead.has(`a:${r.personId}`)).length,
      accepted: accepted.length,
      throttled: connector.throttled().length,
      rate: span > 0 ? end / span : 0,
      seconds,
      late: sendTimes.length - 1 - end,
      busiestSecond: busiest(times, 1000),
      tenantOver: firstExcess(times, PER_TENANT),
      conversationOver: [...perConversation.values()].map((t) => firstExcess(t, PER_CONVERSATION)).find(Boolean),
    };
  } finally {
    for (const i of instances) {
      i.child.kill('SIGTERM');
      await i.exited;
    }
    await store.close();
    await teams?.close();
    await azurite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
