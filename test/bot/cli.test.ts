/** `dplan prompts`, `dplan digest` and `dplan schedule` on a fresh checkout: the shared plan, no store, no setup. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerDigest } from '../../src/cli/commands/digest';
import { registerPrompts } from '../../src/cli/commands/prompts';
import { registerSchedule } from '../../src/cli/commands/schedule';
import type { ScheduleJson } from '../../src/usecases/schedule';
import { SHARED_PLAN } from '../support/paths';
import { expectValidCard } from '../support/validateCard';

let dir: string;
const saved = { ...process.env };

async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  registerPrompts(program);
  registerDigest(program);
  registerSchedule(program);
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'dplan', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, err, code };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-cli-bot-'));
  process.env.SQLITE_PATH = path.join(dir, 'empty.sqlite');
  process.env.BOT_DB_PATH = path.join(dir, 'bot.sqlite');
  process.env.LOG_LEVEL = 'silent';
});

afterAll(() => {
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('dplan prompts / digest', () => {
  it('prompts --date 2018-08-20 --dry-run --json lists the prompts due that day for the shared plan', async () => {
    const { out, err, code } = await run(['prompts', '--date', '2018-08-20', '--dry-run', '--json']);
    expect(code).toBeUndefined();
    expect(err).toContain('prevent-delivery-plan-2018-19.md');
    const report = JSON.parse(out) as {
      date: string;
      dryRun: boolean;
      prompts: Array<{ itemTitle: string; reason: string; milestone: string; role: string; outcome: string }>;
    };
    expect(report).toMatchObject({ date: '2018-08-20', dryRun: true });
    // Monday 20 August 2018: the weekly overdue prompts for the June and July items.
    expect(report.prompts.length).toBeGreaterThan(0);
    expect(report.prompts.every((p) => p.reason === 'overdue')).toBe(true);
    expect(report.prompts.map((p) => p.itemTitle)).toContain('Develop a Partnership Community Engagement Plan');
    expect(report.prompts.find((p) => p.itemTitle === 'Introduce Prevent Training as part of induction for Elected Members')).toMatchObject(
      { milestone: '2018-07-31', role: 'Prevent Co-ordinator', outcome: 'no-person' },
    );
    // Nothing was recorded by a dry run.
    expect(fs.existsSync(process.env.BOT_DB_PATH!)).toBe(false);
  });

  it('prompts on a 28-days day lists them in text', async () => {
    const { out } = await run(['prompts', '--date', '2018-09-02', '--dry-run']);
    expect(out).toContain('Cards due Sunday 2 September 2018');
    expect(out).toContain('no person for role: Prevent Co-ordinator (nobody in the directory for this role): 2 items');
    expect(out).toContain('milestone Sunday 30 September 2018 (in 28 days)');
  });

  it('digest --date 2018-09-03 --json prints a valid digest card', async () => {
    const { out, code } = await run(['digest', '--date', '2018-09-03', '--json']);
    expect(code).toBeUndefined();
    const card = JSON.parse(out) as { type: string; version: string };
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(out).toContain('Week to Monday 3 September 2018');
    expect(out).toContain('Develop a comprehensive Prevent Communication Strategy: due Friday 31 August 2018');
    // No Teams app id configured: the link goes to the tab's web address.
    expect((card as unknown as { actions: Array<{ type: string; url: string }> }).actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the plan', url: 'http://localhost:3978/tab/' },
    ]);
    expectValidCard(card);
  });

  it("digest's Open the plan link follows PORT (and HOST) when there is no public address", async () => {
    process.env.PORT = '4000';
    process.env.HOST = 'plan-server.council.local';
    try {
      const { out } = await run(['digest', '--date', '2018-09-03', '--json']);
      expect((JSON.parse(out) as { actions: Array<{ url: string }> }).actions[0]!.url).toBe('http://plan-server.council.local:4000/tab/');
    } finally {
      delete process.env.PORT;
      delete process.env.HOST;
    }
  });

  it('schedule --from 2018-04-01 --to 2019-03-31 --json: every item asked each quarter, one card a day per recipient', async () => {
    const { out, code } = await run(['schedule', '--from', '2018-04-01', '--to', '2019-03-31', '--json']);
    expect(code).toBeUndefined();
    const s = JSON.parse(out) as ScheduleJson;
    expect(s).toMatchObject({ from: '2018-04-01', to: '2019-03-31' });
    expect(s.requests[0]).toEqual(
      expect.objectContaining({
        date: expect.any(String),
        itemKey: expect.any(String),
        reason: expect.stringMatching(/^(check-in|milestone|overdue)$/),
        role: expect.any(String),
      }),
    );
    const quarter = (d: string) => (d < '2018-07-01' ? 1 : d < '2018-10-01' ? 2 : d < '2019-01-01' ? 3 : 4);
    const asked = new Map<string, Set<number>>();
    for (const r of s.requests) asked.set(r.itemKey, (asked.get(r.itemKey) ?? new Set()).add(quarter(r.date)));
    expect(asked.size).toBe(31);
    expect([...asked.values()].every((q) => q.size === 4)).toBe(true);
    const perDay = new Map<string, number>();
    for (const c of s.cards) perDay.set(`${c.recipient}|${c.date}`, (perDay.get(`${c.recipient}|${c.date}`) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBe(1);
    // With no directory (a plan document), each card goes to a role.
    expect(s.cards.find((c) => c.date === '2018-06-16' && c.recipient === 'Prevent Co-ordinator')!.itemKeys).toHaveLength(16);
    // The same code as the run: the day's dry run lists the same cards.
    const day = JSON.parse((await run(['prompts', '--date', '2018-09-16', '--dry-run', '--json'])).out) as {
      cards: Array<{ recipient: string; itemKeys: string[] }>;
    };
    expect(day.cards.map((c) => [c.recipient, [...c.itemKeys].sort()]).sort()).toEqual(
      s.cards
        .filter((c) => c.date === '2018-09-16')
        .map((c) => [c.recipient, [...c.itemKeys].sort()])
        .sort(),
    );
  });

  it('schedule refuses a bad window', async () => {
    const backwards = await run(['schedule', '--from', '2018-05-01', '--to', '2018-04-01']);
    expect(backwards.code).toBe(2);
    expect(backwards.err).toContain('is before --from');
    const bad = await run(['schedule', '--from', '2018-04-31']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('not a date');
  });

  it('refuses to send without a bot registration or local mode', async () => {
    const { SqlitePlanStore } = await import('../../src/store/sqlite/sqlitePlanStore');
    const { readPlanFile } = await import('../../src/import/readPlanFile');
    const file = path.join(dir, 'imported.sqlite');
    const s = new SqlitePlanStore(file);
    await s.importPlan(await readPlanFile(SHARED_PLAN));
    await s.close();
    process.env.SQLITE_PATH = file;
    try {
      const res = await run(['prompts', '--date', '2018-09-02']);
      expect(res.code).toBe(2);
      expect(res.err).toContain('LOCAL_MODE=true');
    } finally {
      process.env.SQLITE_PATH = path.join(dir, 'empty.sqlite');
    }
  });

  it('refuses to send from a plan document and rejects a bad date', async () => {
    const send = await run(['prompts', '--date', '2018-09-02']);
    expect(send.code).toBe(2);
    expect(send.err).toContain('dplan import');
    const bad = await run(['digest', '--date', '2018-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('not a date');
  });
});
