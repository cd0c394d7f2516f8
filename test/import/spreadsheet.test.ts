import fs from 'node:fs';
import { parsePlanDocument } from '../../src/import/planDocument';
import { csvToPlan, planToCsv, planToXlsx, xlsxToPlan } from '../../src/import/spreadsheet';
import { neutraliseFormula, restoreFormula } from '../../src/import/tabular';
import { PlanFormatError } from '../../src/errors';
import type { Plan } from '../../src/domain/model';
import { SHARED_PLAN } from '../support/paths';

const source = parsePlanDocument(fs.readFileSync(SHARED_PLAN, 'utf8'));

/** The plan without source line numbers and warnings: what a round trip must keep. */
function content(plan: Plan): Plan {
  return {
    plan: plan.plan,
    objectives: plan.objectives,
    recommendations: plan.recommendations,
    items: plan.items.map(({ line: _line, ...item }) => item),
  };
}

describe('CSV and XLSX export', () => {
  it('round-trips the shared plan through CSV', () => {
    const csv = planToCsv(source);
    const back = csvToPlan(csv, 'plan.csv');
    expect(content(back)).toEqual(content(source));
    expect(back.warnings).toEqual([]);
    expect(back.items).toHaveLength(31);
  });

  it('round-trips the shared plan through XLSX', async () => {
    const xlsx = await planToXlsx(source);
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    const back = await xlsxToPlan(xlsx, 'plan.xlsx');
    expect(content(back)).toEqual(content(source));
  });

  it('neutralises formulas on the way out and restores the text on the way in', async () => {
    const hostile: Plan = {
      ...source,
      items: [
        {
          ...source.items[0]!,
          title: '=HYPERLINK("http://evil.example","click")',
          leads: ['@admin', '+44 lead'],
          outcomes: ['-1 risk', 'safe'],
        },
      ],
    };
    const csv = planToCsv(hostile);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    expect(csv).toContain(`"'@admin\n+44 lead"`);
    const back = csvToPlan(csv);
    expect(back.items[0]!.title).toBe('=HYPERLINK("http://evil.example","click")');
    expect(back.items[0]!.outcomes).toEqual(['-1 risk', 'safe']);
    const xback = await xlsxToPlan(await planToXlsx(hostile));
    expect(xback.items[0]!.title).toBe('=HYPERLINK("http://evil.example","click")');
    expect(neutraliseFormula('plain')).toBe('plain');
    expect(restoreFormula("'plain")).toBe("'plain");
  });

  it('keeps reported RAG status', () => {
    const reported: Plan = {
      ...source,
      items: source.items.map((i, n) => ({ ...i, status: n === 0 ? 'red' : n === 1 ? 'complete' : i.status })),
    };
    const back = csvToPlan(planToCsv(reported));
    expect(back.items.slice(0, 3).map((i) => i.status)).toEqual(['red', 'complete', 'not-reported']);
  });
});

describe('bad spreadsheets are refused with the line', () => {
  function errorOf(fn: () => unknown): PlanFormatError {
    try {
      fn();
    } catch (err) {
      if (err instanceof PlanFormatError) return err;
      throw err;
    }
    throw new Error('expected a PlanFormatError');
  }

  it('names a CSV that is not an export', () => {
    expect(errorOf(() => csvToPlan('Name,Email\nA,b@c\n', 'people.csv')).message).toBe(
      'people.csv:1: not a plan export: the first column must be "Record" (found "Name"); expected the columns Record, Number, Key, Kind, Objectives, Title, Description, Outcomes, Outputs, Timescale, Milestones, Start, Recurring, Leads, Provider, Recommendations, RAG status, Organisation, Period start, Period end, Source, Title derived',
    );
  });

  it('gives the line of a bad value, counting multi-line cells', () => {
    const csv = planToCsv(source).split('\r\n');
    // Row 3 of items: replace its RAG status cell ("Not reported") with "Purple".
    const lines = csv.join('\n');
    const bad = lines.replace(/Not reported/, 'Purple');
    const err = errorOf(() => csvToPlan(bad, 'plan.csv'));
    expect(err.message).toMatch(/RAG status "Purple" is not Red, Amber, Green, Complete, Not started or empty/);
    const lineOfPurple = bad.slice(0, bad.indexOf('Purple')).split('\n').length;
    // The error names the line where the record starts, which is at or before the bad cell.
    expect(err.line).toBeGreaterThan(10);
    expect(err.line).toBeLessThanOrEqual(lineOfPurple);
  });

  it('refuses duplicate keys and unknown record kinds', () => {
    const rows = planToCsv(source);
    const dup = rows.replace(/\r\n$/, '') + '\r\n' + rows.split('\r\n').find((l) => l.startsWith('Item'))!;
    expect(errorOf(() => csvToPlan(dup)).message).toMatch(/appears twice/);
    expect(errorOf(() => csvToPlan(rows.replace('\r\nObjective,', '\r\nGoal,'))).message).toMatch(
      /Record "Goal" is not Plan, Objective, Recommendation or Item/,
    );
  });

  it('refuses a file that is not a workbook', async () => {
    await expect(xlsxToPlan(Buffer.from('not a zip'), 'x.xlsx')).rejects.toThrow(
      'x.xlsx: not a readable workbook: it is not a ZIP package (save it from Office as .xlsx)',
    );
  });
});
