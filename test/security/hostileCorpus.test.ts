/**
 * The hostile-input corpus (hostile/corpus.ts): each file is refused with `file:line: message`
 * (`file: message` when the whole file is at fault and has no line to name) or imported with the
 * warning it deserves; a refused file leaves the store as it was. Small files run in process;
 * the large ones (tens of MB, millions of rows, ZIP bombs) each run in a child process that
 * reports its time and peak memory, which must stay under 10 s and 500 MB. A few go through the
 * real `dplan` command for the exit code, the stderr line and the store.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlanFormatError } from '../../src/errors';
import type { ParsedPlan } from '../../src/domain/model';
import { readPlanFile } from '../../src/import/readPlanFile';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { REPO, SHARED_PLAN } from '../support/paths';
import { CASES, type HostileCase } from './hostile/corpus';

const KEPT = path.join(__dirname, 'hostile', 'files');
const small = CASES.filter((c) => !c.large);
const large = CASES.filter((c) => c.large);

async function outcome(file: string): Promise<{ plan?: ParsedPlan; error?: PlanFormatError; ms: number }> {
  const started = performance.now();
  try {
    const plan = await readPlanFile(file);
    return { plan, ms: performance.now() - started };
  } catch (err) {
    if (!(err instanceof PlanFormatError)) throw err;
    return { error: err, ms: performance.now() - started };
  }
}

function checkRefusal(c: HostileCase, file: string, message: string, line: number): void {
  if (!('refused' in c.expect)) throw new Error(`${c.name} was refused: ${message}`);
  expect(message).toMatch(c.expect.refused);
  if (c.expect.line === undefined) {
    expect(line).toBe(0);
    expect(message.startsWith(`${file}: `)).toBe(true);
  } else {
    expect(line).toBe(c.expect.line);
    expect(message.startsWith(`${file}:${c.expect.line}: `)).toBe(true);
  }
}

function checkImport(c: HostileCase, plan: ParsedPlan): void {
  if ('refused' in c.expect) throw new Error(`${c.name} was imported; expected a refusal matching ${c.expect.refused}`);
  if ('imported' in c.expect) {
    expect(plan.warnings).toEqual([]);
    c.expect.imported(plan);
    return;
  }
  expect(plan.warnings).toContainEqual({ line: c.expect.line, message: expect.stringMatching(c.expect.warned) });
  c.expect.check?.(plan);
}

describe('the hostile corpus', () => {
  it('holds at least 60 files that are refused or warned about, every one kept or made here', () => {
    const judged = CASES.filter((c) => !('imported' in c.expect));
    expect(judged.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    for (const c of small) expect(fs.existsSync(path.join(KEPT, c.name))).toBe(true);
  });

  it.each(small.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const file = path.join(KEPT, c.name);
    const { plan, error, ms } = await outcome(file);
    expect(ms).toBeLessThan(10_000);
    if (error) checkRefusal(c, file, error.message, error.line);
    else checkImport(c, plan!);
  });
});

describe('files that are not regular files return at once', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-special-'));
  it.each([
    ['/dev/zero', /is a device, not a regular file/],
    ['/dev/urandom', /is a device, not a regular file/],
    [path.join(dir, 'a-folder.md'), /is a folder, not a regular file/],
  ])('%s', async (file, message) => {
    if (file.endsWith('a-folder.md')) fs.mkdirSync(file);
    const { error, ms } = await outcome(file);
    expect(ms).toBeLessThan(1_000);
    expect(error?.message).toMatch(message);
    expect(error?.message.startsWith(`${file}: `)).toBe(true);
  });

  const mkfifo = spawnSync('mkfifo', ['--help']).status === 0;
  (mkfifo ? it : it.skip)('a FIFO (nobody writing to it)', async () => {
    const fifo = path.join(dir, 'plan.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const { error, ms } = await outcome(fifo);
    expect(ms).toBeLessThan(1_000);
    expect(error?.message).toBe(`${fifo}: is a pipe, not a regular file: give the path of a plan file (.md, .docx, .csv or .xlsx)`);
  });
});

interface Measured {
  message?: string;
  line?: number;
  items?: number;
  ms: number;
  /** Peak resident memory of the process so far, in MB. */
  maxRssMb: number;
}

/**
 * Imports each file in turn in one child process (one start-up for all), which reports each
 * outcome, its time and the process's peak memory after it: a peak under the bound after the last
 * file means every file stayed under it.
 */
function measured(files: string[]): Promise<Measured[]> {
  const script = `
    const { readPlanFile } = require(${JSON.stringify(path.join(REPO, 'src/import/readPlanFile.ts'))});
    const fs = require('node:fs');
    // VmHWM: this process image's peak (ru_maxrss would count the parent's memory, inherited across fork).
    const peakMb = () => {
      try {
        return Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
      } catch {
        return process.resourceUsage().maxRSS / 1024;
      }
    };
    (async () => {
      const results = [];
      for (const file of process.argv.slice(1)) {
        const started = performance.now();
        const r = await readPlanFile(file).then((p) => ({ items: p.items.length }), (e) => ({ message: e.message, line: e.line }));
        results.push({ ...r, ms: performance.now() - started, maxRssMb: peakMb() });
      }
      process.stdout.write(JSON.stringify(results));
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script, ...files], { cwd: REPO });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as Measured[]);
      } catch {
        reject(new Error(`the imports printed no result: ${err.slice(0, 500)}`));
      }
    });
  });
}

describe('large hostile files are refused within 10 s and 500 MB', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-large-'));
  const results = new Map<string, Measured & { mb: number }>();
  beforeAll(async () => {
    const files: string[] = [];
    const sizes: number[] = [];
    for (const c of large) {
      const file = path.join(dir, c.name);
      const data = await c.make();
      fs.writeFileSync(file, data);
      files.push(file);
      sizes.push(data.length / 1024 / 1024);
    }
    (await measured(files)).forEach((r, i) => results.set(large[i]!.name, { ...r, mb: sizes[i]! }));
    if (process.env.DPLAN_CORPUS_FIGURES)
      process.stderr.write(
        [...results]
          .map(([name, r]) => `${name}: ${r.mb.toFixed(1)} MB file, ${Math.round(r.ms)} ms, ${Math.round(r.maxRssMb)} MB peak`)
          .join('\n') + '\n',
      );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(large.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = results.get(c.name)!;
    expect(result.message).toBeDefined();
    checkRefusal(c, path.join(dir, c.name), result.message!, result.line ?? 0);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.maxRssMb).toBeLessThan(500);
  });
});

describe('through the real dplan command: exit 2, one line naming the file, the store unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-hostile-cli-'));
  const env = { ...process.env, STORE: 'sqlite', SQLITE_PATH: path.join(dir, 'plan.sqlite'), LOG_LEVEL: 'warn' };
  const dplan = (args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO, 'bin', 'dplan.js'), ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });

  async function snapshot(): Promise<string> {
    const store = new SqlitePlanStore(env.SQLITE_PATH);
    try {
      const plans = await store.listPlans();
      return JSON.stringify([plans, ...(await Promise.all(plans.map((p) => store.listItems(p.id))))]);
    } finally {
      await store.close();
    }
  }

  it('refuses each without touching the store', async () => {
    const seed = new SqlitePlanStore(env.SQLITE_PATH);
    await seed.importPlan(await readPlanFile(SHARED_PLAN));
    await seed.close();
    const before = await snapshot();
    const fifo = path.join(dir, 'pipe.md');
    spawnSync('mkfifo', [fifo]);
    const cases: Array<[string, RegExp]> = [
      [
        path.join(KEPT, 'impossible-date-2019-02-31.csv'),
        /^dplan: .*impossible-date-2019-02-31\.csv:7: Milestones "2019-02-31" is not a real date/,
      ],
      [
        path.join(KEPT, 'part-lies-about-its-size.xlsx'),
        /^dplan: .*part-lies-about-its-size\.xlsx: part "xl\/worksheets\/sheet1\.xml" of the workbook unpacks to more than it declares/,
      ],
      ['/dev/zero', /^dplan: \/dev\/zero: is a device, not a regular file/],
      ...(fs.existsSync(fifo) ? ([[fifo, /^dplan: .*pipe\.md: is a pipe, not a regular file/]] as Array<[string, RegExp]>) : []),
    ];
    for (const [file, message] of cases) {
      const result = dplan(['import', file]);
      expect({ file, status: result.status }).toEqual({ file, status: 2 });
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await snapshot()).toBe(before);
  });
});
