/**
 * Hostile and malformed plan files: each is refused with a clear message naming the line (or read
 * with a warning where nothing is lost), never crashes, and a refused file writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlanFormatError } from '../../src/errors';
import { parsePlanDocument } from '../../src/import/planDocument';
import { readPlanFile } from '../../src/import/readPlanFile';
import { csvToPlan, planToCsv } from '../../src/import/spreadsheet';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { SHARED_PLAN } from '../support/paths';

const plan = fs.readFileSync(SHARED_PLAN, 'utf8');
const lines = plan.split('\n');
const withLine = (n: number, text: string) => lines.map((l, i) => (i === n - 1 ? text : l)).join('\n');
const HEADER = 'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status';
const MINI = (rows: string[]) =>
  ['# Org', '## Delivery Plan', '### 2020 - 21', '## Objectives', '1. One', '**OBJECTIVE ONE: One**', HEADER, ...rows].join('\n');

type Case = [name: string, text: string, line: number, message: RegExp];

const refused: Case[] = [
  ['empty file', '', 1, /not a delivery plan/],
  ['white space only', ' \n\t\n  \n', 1, /not a delivery plan/],
  ['a letter, not a plan', 'Dear all,\nMinutes attached.\n', 1, /not a delivery plan/],
  ['binary (zip) bytes', 'PK\u0003\u0004\u0014\u0000\u0006\u0000', 1, /binary file/],
  ['file cut inside the last row', plan.slice(0, plan.length - 400), 149, /truncated/],
  ['row with too few cells', withLine(121, 'Support the development\tOutcome'), 121, /2 of 6 columns/],
  ['unclosed list in a cell', withLine(121, 'Act\tOutcome\t<ul><li>x</li>\tMarch 2019\tLead\t'), 121, /opens <ul> and never closes/],
  ['table header with no rows', ['# Org', '## Delivery Plan', '### 2020 - 21', HEADER, '', '## Next'].join('\n'), 4, /header has no rows/],
  [
    'row with no header',
    ['# Org', '## Delivery Plan', '### 2020 - 21', 'Act\tOutcome\t<ul><li>x</li></ul>\tMarch 2020\tLead\t'].join('\n'),
    4,
    /no header row above it/,
  ],
  ['no plan heading', plan.replace('## **Prevent Delivery Plan**', '## **Prevent Delivery**'), 5, /no heading names the plan/],
  ['no period and no dates', MINI(['Act\tOutcome\t<ul><li>x</li></ul>\tTBC\tLead\t']).replace('### 2020 - 21\n', ''), 2, /no plan period/],
  ['objective word that is not a number', withLine(117, '**OBJECTIVE MANY: Target social**'), 117, /cannot read the objective number/],
  ['headings only, no tables', '# Org\n## Delivery Plan\n### 2020 - 21\n', 4, /no action or project tables/],
  [
    'file cut inside the title of the last row',
    plan.slice(0, plan.lastIndexOf('\t<p>Staff Champions')),
    149,
    /a table row with no cells: the file ends here/,
  ],
  ['row cut off inside a paragraph, text after it', withLine(145, '<p>Ensure all staff have received'), 145, /row is cut off here/],
];

const warned: Array<[name: string, text: string, line: number, message: RegExp]> = [
  ['timescale TBC', MINI(['Act\tOutcome\t<ul><li>x</li></ul>\tTBC\tLead\t']), 8, /"TBC" is not a date/],
  ['empty timescale', MINI(['Act\tOutcome\t<ul><li>x</li></ul>\t\tLead\t']), 8, /no timescale/],
  ['unknown RAG', MINI(['Act\tOutcome\t<ul><li>x</li></ul>\tMarch 2021\tLead\tBlue-ish']), 8, /RAG status "Blue-ish"/],
  ['untitled row', MINI(['\tOutcome here.\t<ul><li>x</li></ul>\tMarch 2021\tLead\t']), 8, /no action title/],
  [
    'unknown recommendation',
    MINI(['Act (Peer Review Rec 9)\tOutcome\t<ul><li>x</li></ul>\tMarch 2021\tLead\t']).replace(
      '## Objectives',
      '## Peer Review\n### Key Recommendations\n1. Do it\n## Objectives',
    ),
    11,
    /recommendation 9 is not in the recommendations list/,
  ],
  [
    'objective not in the list',
    MINI(['Act\tOutcome\t<ul><li>x</li></ul>\tMarch 2021\tLead\t']).replace('**OBJECTIVE ONE: One**', '**OBJECTIVE FIVE: Five**'),
    6,
    /objective 5 is not in the objectives list/,
  ],
  ['extra cell past the header', MINI(['Act\tOutcome\t<ul><li>x</li></ul>\tMarch 2021\tLead\t\tsurprise']), 8, /unnamed column 7/],
];

describe('malformed plan documents are refused with the line', () => {
  it.each(refused)('%s', (_name, text, line, message) => {
    let error: unknown;
    try {
      parsePlanDocument(text, 'hostile.md');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlanFormatError);
    expect((error as PlanFormatError).line).toBe(line);
    expect((error as PlanFormatError).message).toMatch(message);
    expect((error as PlanFormatError).message.startsWith(`hostile.md:${line}: `)).toBe(true);
  });
});

describe('irregular but readable plans import with a warning naming the line', () => {
  it.each(warned)('%s', (_name, text, line, message) => {
    const parsed = parsePlanDocument(text, 'odd.md');
    expect(parsed.items.length).toBeGreaterThan(0);
    expect(parsed.warnings).toContainEqual({ line, message: expect.stringMatching(message) });
  });
});

describe('payloads in plan text stay text', () => {
  it('keeps script and formula payloads as inert text, and entities decoded once', () => {
    const parsed = parsePlanDocument(
      MINI(["<script>alert(1)</script>=cmd|' /C calc'!A0\tOutcome &amp;lt;b&amp;gt;\t<ul><li>@SUM(1+1)</li></ul>\tMarch 2021\tLead\t"]),
    );
    const item = parsed.items[0]!;
    expect(item.title).toBe("alert(1) =cmd|' /C calc'!A0");
    expect(item.outcomes).toEqual(['Outcome &lt;b&gt;']);
    const csv = planToCsv(parsed);
    expect(csv).toContain(`,'@SUM(1+1),`);
    expect(csvToPlan(csv).items[0]!.outputs[0]!.text).toBe('@SUM(1+1)');
  });

  it('reads a 2 MB single line without hanging or crashing', () => {
    const huge = MINI([`${'A'.repeat(2_000_000)}\tOutcome\t<ul><li>x</li></ul>\tMarch 2021\tLead\t`]);
    const parsed = parsePlanDocument(huge);
    expect(parsed.items[0]!.title).toHaveLength(2_000_000);
  });
});

describe('a refused file writes nothing', () => {
  it('leaves the store as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-hostile-'));
    const store = new SqlitePlanStore(path.join(dir, 'store.sqlite'));
    try {
      const good = await readPlanFile(SHARED_PLAN);
      await store.importPlan(good);
      const before = JSON.stringify(await store.listItems((await store.listPlans())[0]!.id));
      for (const [name, text] of refused) {
        const file = path.join(dir, `${name.replace(/\W+/g, '-')}.md`);
        fs.writeFileSync(file, text);
        await expect(readPlanFile(file).then((p) => store.importPlan(p))).rejects.toBeInstanceOf(PlanFormatError);
      }
      expect((await store.listPlans()).length).toBe(1);
      expect(JSON.stringify(await store.listItems((await store.listPlans())[0]!.id))).toBe(before);
    } finally {
      await store.close();
    }
  });
});

describe('text after the last table', () => {
  it('is a closing note, not a cut-off row, when a blank line stands before it', () => {
    const parsed = parsePlanDocument(`${plan}\n\nReviewed by the Prevent Board, June 2018.\n`);
    expect(parsed.items).toHaveLength(31);
  });
});
