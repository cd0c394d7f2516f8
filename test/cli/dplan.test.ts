/** Drives the real `dplan` command as a user would: a child process, its stdout, stderr and exit code. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, SHARED_PLAN } from '../support/paths';
import { planToDocx } from '../import/support/planToDocx';

const BIN = path.join(REPO, 'bin', 'dplan.js');

function dplan(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dplan import --dry-run --json', () => {
  it('prints the parsed shared plan in the documented shape', () => {
    const { code, stdout } = dplan(['import', SHARED_PLAN, '--dry-run', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['plan', 'objectives', 'recommendations', 'items', 'warnings']);
    expect(json.plan).toEqual({
      title: 'Prevent Delivery Plan',
      organisation: 'London Borough of Tower Hamlets',
      periodStart: '2018-04-01',
      periodEnd: '2019-03-31',
    });
    expect(json.items).toHaveLength(31);
    const social = json.items.find((i: { title: string }) => i.title.startsWith('Commission classroom'));
    expect(social).toMatchObject({
      kind: 'action',
      objectives: [4],
      timescale: 'July 2018 \u2013 March 2019',
      milestones: ['2019-03-31'],
      start: '2018-07-01',
      recommendations: [2],
    });
    expect(json.warnings).toHaveLength(12);
    expect(json.warnings[0]).toEqual({ line: 97, message: expect.any(String) });
  });

  it('refuses a malformed plan with the line and exit code 2, never a stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-cli-'));
    const broken = path.join(dir, 'broken.md');
    const text = fs.readFileSync(SHARED_PLAN, 'utf8');
    fs.writeFileSync(broken, text.slice(0, text.indexOf('Develop a Youth Outreach Plan') + 60));
    const { code, stdout, stderr } = dplan(['import', broken, '--dry-run', '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`dplan: ${broken}:125: table row has 2 of 6 columns (truncated table? the header is at line 120)`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a missing file and an unknown option with exit code 2', () => {
    expect(dplan(['import', 'no-such-plan.md', '--dry-run'])).toMatchObject({ code: 2, stderr: 'dplan: no-such-plan.md: no such file\n' });
    expect(dplan(['import', SHARED_PLAN, '--bogus']).code).toBe(2);
  });
});

describe('dplan import of a Word document and of an Excel-saved CSV', () => {
  it('reads the shared plan from .docx as from .md, and warns about a Windows-1252 CSV naming the file and line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-docx-'));
    const docx = path.join(dir, 'Prevent plan.docx');
    fs.writeFileSync(docx, await planToDocx(fs.readFileSync(SHARED_PLAN, 'utf8')));
    const word = dplan(['import', docx, '--dry-run', '--json']);
    expect(word.code).toBe(0);
    const fromWord = JSON.parse(word.stdout);
    const fromMarkdown = JSON.parse(dplan(['import', SHARED_PLAN, '--dry-run', '--json']).stdout);
    const strip = (items: Array<Record<string, unknown>>) => items.map(({ line: _line, ...rest }) => rest);
    expect(strip(fromWord.items)).toEqual(strip(fromMarkdown.items));
    expect(word.stderr).toMatch(/^12 warnings:\n/);
    expect(word.stderr).toContain(`  ${docx}:`);

    const csv = path.join(dir, 'excel.csv');
    fs.copyFileSync(path.join(REPO, 'test', 'security', 'hostile', 'files', 'excel-uk-resave.csv'), csv);
    const excel = dplan(['import', csv, '--dry-run']);
    expect(excel.code).toBe(0);
    expect(excel.stdout).toMatch(
      /^Read "Safer Streets Plan" \(Testborough\), 2024-04-01 to 2025-03-31: 2 objectives, 1 recommendations, 3 items/,
    );
    expect(excel.stderr).toContain(`  ${csv}:6: the file is not UTF-8 (byte 0x96 on this line): read as Windows-1252`);
  });
});

describe('dplan import into the embedded store, then export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-store-'));
  const env = { SQLITE_PATH: path.join(dir, 'plan.sqlite'), STORE: 'sqlite' };

  it('writes 31 items, and a second import changes nothing', () => {
    const first = dplan(['import', SHARED_PLAN, '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: 31, updated: 0, unchanged: 0 });
    expect(first.stderr).toMatch(/importing items: 31\/31 \(100%\)/);
    const second = dplan(['import', SHARED_PLAN, '--json'], env);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 31 });
  });

  it('exports CSV and XLSX that import back to the same items', () => {
    const csv = path.join(dir, 'plan.csv');
    const xlsx = path.join(dir, 'plan.xlsx');
    expect(dplan(['export', '--out', csv], env).code).toBe(0);
    expect(dplan(['export', '--out', xlsx], env).code).toBe(0);
    const original = JSON.parse(dplan(['import', SHARED_PLAN, '--dry-run', '--json']).stdout);
    for (const file of [csv, xlsx]) {
      const back = JSON.parse(dplan(['import', file, '--dry-run', '--json']).stdout);
      const strip = (items: Array<Record<string, unknown>>) => items.map(({ line: _line, ...rest }) => rest);
      expect(strip(back.items)).toEqual(strip(original.items));
      expect(back.plan).toEqual(original.plan);
      expect(back.recommendations).toEqual(original.recommendations);
    }
  });

  it('says when a named plan is not in the store', () => {
    const { code, stderr } = dplan(['export', '--plan', 'nope'], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^dplan: no plan "nope" in the store; plans held: london-borough-of-tower-hamlets-prevent-delivery-plan-2018-19/,
    );
  });
});
