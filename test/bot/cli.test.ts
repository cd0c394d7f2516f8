/** `dplan prompts` and `dplan digest` on a fresh checkout: the shared plan, no store, no setup. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerDigest } from '../../src/cli/commands/digest';
import { registerPrompts } from '../../src/cli/commands/prompts';
import { SHARED_PLAN } from '../support/paths';
import { expectValidCard } from '../support/validateCard';

let dir: string;
const saved = { ...process.env };

async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  registerPrompts(program);
  registerDigest(program);
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
    expect(report.prompts.every((p) => p.reason === 'overdue (weekly)')).toBe(true);
    expect(report.prompts.map((p) => p.itemTitle)).toContain('Develop a Partnership Community Engagement Plan');
    expect(report.prompts.find((p) => p.itemTitle === 'Introduce Prevent Training as part of induction for Elected Members')).toMatchObject(
      { milestone: '2018-07-31', role: 'Prevent Co-ordinator', outcome: 'no-person' },
    );
    // Nothing was recorded by a dry run.
    expect(fs.existsSync(process.env.BOT_DB_PATH!)).toBe(false);
  });

  it('prompts on a 28-days day lists them in text', async () => {
    const { out } = await run(['prompts', '--date', '2018-09-02', '--dry-run']);
    expect(out).toContain('Prompts due Sunday 2 September 2018');
    expect(out).toContain('milestone Sunday 30 September 2018, 28 days');
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
