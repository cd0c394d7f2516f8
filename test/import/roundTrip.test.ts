/**
 * Property: for generated plans carrying every field the layout holds (targets, units, at-least
 * flags, revised milestones, owners, cadences, reported statuses, text that needs quoting or formula
 * neutralising), import(export(plan)) is the plan, for CSV and for XLSX, and re-importing the export
 * into a store changes no item's version. The CSV is also read by Python's csv module, a reader
 * independent of the one that wrote it.
 */
import { spawnSync } from 'node:child_process';
import { generatePlan } from '../../bench/generatePlan';
import type { Plan } from '../../src/domain/model';
import { csvToPlan, planToCsv, planToXlsx, xlsxToPlan } from '../../src/import/spreadsheet';
import { planToRows } from '../../src/import/tabular';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { sharedPlan } from '../store/sharedPlan';

/** What a round trip must keep: everything but the source line numbers. */
function content(plan: Plan): Plan {
  return {
    plan: plan.plan,
    objectives: plan.objectives,
    recommendations: plan.recommendations,
    items: plan.items.map(({ line: _line, ...item }) => item),
  };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('import(export(plan)) is the plan', () => {
  it.each(SEEDS)('CSV, generated plan seed %i', (seed) => {
    const plan = generatePlan(40, seed);
    const back = csvToPlan(planToCsv(plan), `seed-${seed}.csv`);
    expect(content(back)).toEqual(content(plan));
  });

  it.each(SEEDS)('XLSX, generated plan seed %i', async (seed) => {
    const plan = generatePlan(40, seed);
    const back = await xlsxToPlan(await planToXlsx(plan), `seed-${seed}.xlsx`);
    expect(content(back)).toEqual(content(plan));
  });

  it('the generated plans hold every field the layout carries', () => {
    const items = SEEDS.flatMap((s) => generatePlan(40, s).items);
    expect(items.some((i) => i.outputs.some((o) => o.atLeast && o.unit))).toBe(true);
    expect(items.some((i) => i.outputs.some((o) => o.target !== undefined && !Number.isInteger(o.target)))).toBe(true);
    expect(items.some((i) => (i.revisions?.length ?? 0) > 1)).toBe(true);
    expect(items.some((i) => i.owner)).toBe(true);
    expect(items.some((i) => i.cadence)).toBe(true);
    expect(new Set(items.map((i) => i.status)).size).toBe(5);
  });
});

describe('re-importing an export changes nothing in the store', () => {
  it.each([
    ['CSV', async (p: Plan) => csvToPlan(planToCsv(p), 'export.csv')],
    ['XLSX', async (p: Plan) => xlsxToPlan(await planToXlsx(p), 'export.xlsx')],
  ])('%s', async (_kind, roundTrip) => {
    const store = new SqlitePlanStore(':memory:');
    try {
      const plan = generatePlan(60, 11);
      const first = await store.importPlan(plan);
      expect(first.created).toBe(60);
      const before = await store.listItems(first.planId);
      const again = await store.importPlan(await roundTrip(plan));
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 60 });
      const after = await store.listItems(first.planId);
      expect(after.map((i) => [i.key, i.version])).toEqual(before.map((i) => [i.key, i.version]));
    } finally {
      await store.close();
    }
  });
});

describe('the CSV export is RFC 4180, read alike by an independent reader', () => {
  const python = spawnSync('python3', ['--version']).status === 0;
  (python ? it : it.skip)("Python's csv module reads the same records and cells", () => {
    const plan = generatePlan(40, 3);
    const csv = planToCsv(plan);
    const read = spawnSync(
      'python3',
      ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read().lstrip("\\ufeff"), newline="")))))'],
      { input: csv, encoding: 'utf8' },
    );
    expect(read.status).toBe(0);
    const records = JSON.parse(read.stdout) as string[][];
    const rows = planToRows(plan);
    expect(records).toHaveLength(rows.length);
    expect(records).toEqual(rows);
  });

  (python ? it : it.skip)('the shared plan is 43 records to Python, as to dplan (the bare line breaks in its outcomes are quoted)', () => {
    const csv = planToCsv(sharedPlan());
    const read = spawnSync(
      'python3',
      ['-c', 'import csv, io, sys; print(len(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'],
      {
        input: csv,
        encoding: 'utf8',
      },
    );
    expect(read.stdout.trim()).toBe('43');
    expect(csvToPlan(csv, 'shared.csv').items).toHaveLength(31);
  });

  it('quotes every cell holding a comma, a quote or a line break of any kind', () => {
    const csv = planToCsv(generatePlan(40, 3)).replace(/^\uFEFF/, '');
    // Outside quoted cells, a line break is only ever the CRLF between records.
    const unquoted = csv.replace(/"(?:[^"]|"")*"/g, '""');
    expect(unquoted).not.toMatch(/[^\r]\n|\r[^\n]/);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
