/**
 * Real processes killed (SIGKILL) part-way and restarted (issue 7). The kill is triggered by observed
 * progress — the Nth item written at the Graph emulator, the Nth report PATCHed, the Nth send at the
 * Teams stand-in — never by a timer:
 *  - `dplan import` against the Graph emulator: the restart completes the import, every item once;
 *  - leads' answers through the bot's answer path on the Graph store, killed between an item's
 *    PATCH and its history row: re-submitted after the restart, no report lost, none doubled;
 *  - `dplan prompts` against a local Teams stand-in, killed twice with a send in flight: the run
 *    resumes, nobody gets the same prompt twice, and the sends in flight are handled as the ledger
 *    documents (never re-sent; reported uncertain once the lease has passed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FixedClock } from '../../src/domain/clock';
import { planIdOf } from '../../src/domain/identity';
import { readPlanFile } from '../../src/import/readPlanFile';
import { createLogger } from '../../src/logger';
import { createBotRuntime } from '../../src/bot/runtime';
import { entryActionData } from '../../src/bot/cards/itemSection';
import { cardItemKeys } from '../bot/support/cardActions';
import { openBotDb } from '../../src/bot/botDb';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { generatePlanDocument } from '../../bench/generatePlan';
import type { GraphEmulator } from '../graph-emulator/emulator';
import { makePlan } from '../store/fixtures';
import { freshSite, graphStore, startEmulator, TEST_TOKEN } from '../store/graphSupport';
import { startConnector, type Connector, type ConnectorCall } from './support/teamsConnector';

const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx <args>` in the repository root; `started` gets the child (to kill it). */
function run(args: string[], env: Record<string, string>, started?: (child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    started?.(child);
  });
}

/** Who got a card about what: conversation and the item keys of its Record buttons. */
function pairOf(call: ConnectorCall): string {
  const body = call.body as { attachments?: Array<{ content?: unknown }> };
  const keys = cardItemKeys(body.attachments?.[0]?.content);
  return `${call.conversationId}|${keys.length > 0 ? keys.join(',') : '(not a card of update requests)'}`;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-kill-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('on the Graph emulator', () => {
  let emulator: GraphEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(() => {
    emulator.intercept = undefined;
    emulator.setFaults({});
  });

  it('dplan import killed mid-way resumes on restart: every item once, nothing doubled', async () => {
    const site = await freshSite(emulator);
    const file = path.join(dir, 'plan-150.md');
    fs.writeFileSync(file, generatePlanDocument(150));
    const parsed = await readPlanFile(file);
    const n = parsed.items.length;
    expect(n).toBe(150);
    const env = { STORE: 'graph', GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: TEST_TOKEN, SHAREPOINT_SITE: site };

    // Kill it when the 50th item create reaches the emulator (in its third batch of 20).
    let child: ChildProcess | undefined;
    let creates = 0;
    emulator.intercept = (call) => {
      if (call.method === 'POST' && call.path.endsWith('/items') && call.body.includes('"ItemKey"') && ++creates === 50)
        child?.kill('SIGKILL');
      return undefined;
    };
    const first = await run(['src/cli/main.ts', 'import', file], env, (c) => (child = c));
    expect(first.signal).toBe('SIGKILL');
    const afterKill = emulator.listItems(site, 'Delivery Plan Items').length;
    expect(afterKill).toBeGreaterThanOrEqual(50);
    expect(afterKill).toBeLessThan(n);

    // Restart under faults: 429s and 503s with Retry-After, dropped connections, latency.
    emulator.intercept = undefined;
    emulator.setFaults(
      {
        throttleRate: 0.15,
        batchItemThrottleRate: 0.15,
        unavailableRate: 0.05,
        retryAfterSeconds: 0,
        latencyMs: 2,
        dropBeforeRate: 0.02,
        dropAfterRate: 0.03,
      },
      11,
    );
    const second = await run(['src/cli/main.ts', 'import', file], env);
    expect(second.stderr).not.toMatch(/dplan: /);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${n - afterKill} created, 0 updated, ${afterKill} unchanged`);
    emulator.setFaults({});
    const rows = emulator.listItems(site, 'Delivery Plan Items');
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.ItemKey))).toEqual(new Set(parsed.items.map((i) => i.key)));
    expect(emulator.listItems(site, 'Delivery Plans')).toHaveLength(1);

    // And a third run finds nothing to do.
    const third = await run(['src/cli/main.ts', 'import', file], env);
    expect(third.stdout).toContain(`0 created, 0 updated, ${n} unchanged`);
  });

  it('answers killed between the item write and its history row: re-submitted, none lost, none doubled', async () => {
    const site = await freshSite(emulator);
    // Another process writes meanwhile: this store checks for changes before every read.
    const store = graphStore(emulator, site, { cacheMaxAgeMs: 0 });
    const plan = makePlan(12);
    const planId = planIdOf(plan.plan);
    await store.importPlan(plan);
    for (const role of new Set(plan.items.flatMap((i) => i.leads)))
      await store.setPeople(planId, role, [{ id: 'aad-lee', name: 'Lee Lead' }]);
    const items = await store.listItems(planId);
    // Eight answers, each from the card the lead got (data as the prompt card carries it).
    const answers = items.slice(0, 8).map((item, i) => ({
      type: 'invoke',
      name: 'adaptiveCard/action',
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: '29:lee', aadObjectId: 'aad-lee', name: 'Lee Lead' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:lee', conversationType: 'personal' },
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'recordStatus',
          data: { ...entryActionData({ item, slot: '' }, undefined), rag: i % 2 ? 'green' : 'amber', note: `report ${i}` },
        },
      },
    }));
    const file = path.join(dir, 'answers.json');
    fs.writeFileSync(file, JSON.stringify(answers));
    const env = {
      STORE: 'graph',
      GRAPH_BASE_URL: emulator.baseUrl,
      GRAPH_TOKEN: TEST_TOKEN,
      SHAREPOINT_SITE: site,
      BOT_DB_PATH: ':memory:',
      LOCAL_MODE: 'true',
    };

    // Kill it as the 5th report's item PATCH is applied: its history row is never written.
    let child: ChildProcess | undefined;
    let patches = 0;
    let killed = false;
    emulator.intercept = (call) => {
      if (call.method === 'PATCH' && call.body.includes('"LastUpdateJson"') && ++patches === 5) {
        killed = true;
        child?.kill('SIGKILL');
        return { dropAfter: true };
      }
      // The history row rides in the same $batch, after the item (dependsOn): the process is gone
      // before SharePoint gets to it.
      if (killed && call.method === 'POST' && call.body.includes('"UpdateId"')) {
        killed = false;
        return { fail: { status: 503, code: 'serviceNotAvailable', message: 'the writer went away' } };
      }
      return undefined;
    };
    const first = await run(['test/reliability/support/answerRun.ts', file], env, (c) => (child = c));
    expect(first.signal).toBe('SIGKILL');
    expect(first.stdout.trim().split('\n')).toHaveLength(4);
    emulator.intercept = undefined;
    expect(emulator.listItems(site, 'Delivery Plan Updates')).toHaveLength(4);

    // Restarted, every answer is submitted again (under throttling): all eight receipts.
    emulator.setFaults({ throttleRate: 0.1, unavailableRate: 0.05, retryAfterSeconds: 0 }, 3);
    const second = await run(['test/reliability/support/answerRun.ts', file], env);
    expect(second.stderr).toBe('');
    const outcomes = second.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    expect(outcomes).toEqual(Array(8).fill('receipt'));
    emulator.setFaults({});

    const history = await store.history(planId);
    expect(history.map((u) => [u.itemKey, u.note])).toEqual(items.slice(0, 8).map((item, i) => [item.key, `report ${i}`]));
    const rows = emulator.listItems(site, 'Delivery Plan Updates');
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.UpdateId)).size).toBe(8);
    for (const [i, item] of items.slice(0, 8).entries())
      expect((await store.getItem(planId, item.key))!.status).toBe(i % 2 ? 'green' : 'amber');
  });
});

describe('dplan prompts against a local Teams stand-in', () => {
  it('killed twice with a send in flight: resumes, nobody gets the same prompt twice, in-flight sends never re-sent', async () => {
    const DAY = '2019-02-28';
    // One card a day per person: 300 people, each with a card of the 10 items due that day.
    const PEOPLE = 300;
    const work = fs.mkdtempSync(path.join(dir, 'prompts-'));
    const env = {
      STORE: 'sqlite',
      SQLITE_PATH: path.join(work, 'plan.sqlite'),
      BOT_DB_PATH: path.join(work, 'bot.sqlite'),
      LOCAL_MODE: 'true',
    };
    let child: ChildProcess | undefined;
    const killAt = new Set([100, 200]);
    const teams: Connector = await startConnector({
      decide: (call) => {
        if (!killAt.has(call.n)) return undefined;
        child?.kill('SIGKILL');
        return 'hold';
      },
    });
    try {
      // The plan, the directory (300 people for the role of the items due that day) and their installs.
      const store = new SqlitePlanStore(env.SQLITE_PATH);
      const planId = (await store.importPlan(makePlan(120))).planId;
      const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `aad-${i}`, name: `Lead ${i}` }));
      await store.setPeople(planId, 'Community Safety Manager', people);
      const config = loadConfig({ NODE_ENV: 'test', ...env });
      const rt = createBotRuntime({ config, store, logger: createLogger('silent'), clock: new FixedClock(`${DAY}T06:00:00Z`) });
      for (const p of people)
        await rt.bot.remember({
          type: 'installationUpdate',
          serviceUrl: teams.url,
          from: { id: `29:${p.id}`, aadObjectId: p.id, name: p.name },
          recipient: { id: '28:bot' },
          conversation: { id: `conv-${p.id}`, conversationType: 'personal', tenantId: 'tenant-1' },
        });
      const due = await rt.bot.runPrompts(DAY, { dryRun: true });
      await rt.close();
      await store.close();
      const expected = due.cards.filter((c) => c.outcome === 'would-send');
      expect(expected.length).toBe(PEOPLE);
      expect(due.lines.filter((l) => l.outcome === 'would-send')).toHaveLength(10 * PEOPLE);

      const args = ['src/cli/main.ts', 'prompts', '--date', DAY, '--json'];
      const first = await run(args, env, (c) => (child = c));
      expect(first.signal).toBe('SIGKILL');
      const second = await run(args, env, (c) => (child = c));
      expect(second.signal).toBe('SIGKILL');
      const third = await run(args, env);
      expect(third.code).toBe(0);
      const report = JSON.parse(third.stdout) as {
        totals: Record<string, number>;
        cards: Array<{ outcome: string; detail?: string; promptId: string }>;
      };

      // Every card reached Teams exactly once, except the two in flight when the process died.
      expect(teams.held()).toBe(2);
      const sentPairs = teams.calls.map((c) => pairOf(c));
      expect(new Set(sentPairs).size).toBe(sentPairs.length);
      expect(teams.accepted()).toHaveLength(expected.length - 2);
      expect(teams.calls).toHaveLength(expected.length);
      expect(report.totals.sent).toBe(expected.length - 200);
      // The two in flight are claimed and not re-sent (same day: still within the claim lease).
      const inFlight = report.cards.filter((l) => l.outcome === 'already-sent' && l.detail === 'claimed');
      expect(inFlight).toHaveLength(2);

      // The next day's run, past the lease: they become uncertain (reported, never re-sent).
      const heldPairs = teams.calls.filter((c) => c.status === -1).map((c) => pairOf(c));
      const next = await run(['src/cli/main.ts', 'prompts', '--date', '2019-03-01'], env);
      expect(next.stdout).toContain('2 interrupted send(s) from an earlier run marked uncertain (not re-sent)');
      expect(
        teams.calls
          .slice(expected.length)
          .map((c) => pairOf(c))
          .filter((p) => heldPairs.includes(p)),
      ).toEqual([]);
      const db = openBotDb(env.BOT_DB_PATH);
      const states = db
        .prepare(`SELECT state, COUNT(*) AS n FROM prompt_ledger WHERE date_key = ? AND person_id NOT LIKE 'role:%' GROUP BY state`)
        .all(DAY) as Array<{ state: string; n: number }>;
      db.close();
      expect(Object.fromEntries(states.map((s) => [s.state, s.n]))).toEqual({ sent: expected.length - 2, uncertain: 2 });
    } finally {
      await teams.close();
    }
  });
});
