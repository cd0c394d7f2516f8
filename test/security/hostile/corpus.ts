/**
 * The hostile-input corpus: every file a co-ordinator (or an attacker) might hand `dplan import`
 * or the tab's upload, and what must happen to it: refused with `file:line: message` (or
 * `file: message` when the whole file is at fault and it has no lines: a device, a ZIP bomb, a file
 * over the size limit), or imported with the warning that names what was odd. Small files are
 * written to files/ by make.ts and kept in the repository; the large ones (tens of MB, millions of
 * rows, bombs) are made at test time.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { generatePlanDocument } from '../../../bench/generatePlan';
import type { ParsedPlan, Plan } from '../../../src/domain/model';
import { planToCsv, planToXlsx } from '../../../src/import/spreadsheet';
import { planToRows } from '../../../src/import/tabular';
import { SHARED_PLAN } from '../../support/paths';
import { planToDocx } from '../../import/support/planToDocx';
import { repeated, workbookParts, writeZip } from '../support/zipWriter';

export type Expectation =
  /** Refused; `line` undefined when the whole file is at fault (no line to name). */
  | { refused: RegExp; line?: number }
  | { warned: RegExp; line: number; check?: (plan: ParsedPlan) => void }
  /** Imported with no warning, exactly as `imported` checks (date cells, formula text). */
  | { imported: (plan: ParsedPlan) => void };

export interface HostileCase {
  name: string;
  make(): Buffer | Promise<Buffer>;
  expect: Expectation;
  /** Made at test time (too big to keep) and run in a child process that measures time and memory. */
  large?: boolean;
}

const HEADER = 'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status';
/** A one-objective plan whose rows start at line 8. */
const mini = (rows: string[], period = '### 2024 - 25', objective = '**OBJECTIVE ONE: One**') =>
  ['# Org', '## Delivery Plan', period, '## Objectives', '1. One', objective, HEADER, ...rows].join('\n');
const row = (timescale: string, title = 'Act', lead = 'Lead', status = '') =>
  `${title}\tOutcome\t<ul><li>x</li></ul>\t${timescale}\t${lead}\t${status}`;
const text = (s: string) => Buffer.from(s, 'utf8');
const shared = () => fs.readFileSync(SHARED_PLAN, 'utf8');
const sharedLines = () => shared().split('\n');
const withLine = (n: number, replacement: string) =>
  sharedLines()
    .map((l, i) => (i === n - 1 ? replacement : l))
    .join('\n');

/** A small plan for the spreadsheet cases: rows 1 header, 2 plan, 3–4 objectives, 5 recommendation, 6–8 items. */
export const BASE_PLAN: Plan = {
  plan: { title: 'Safer Streets Plan', organisation: 'Testborough', periodStart: '2024-04-01', periodEnd: '2025-03-31' },
  objectives: [
    { number: 1, title: 'Reduce violence' },
    { number: 2, title: 'Support victims' },
  ],
  recommendations: [{ number: 1, text: 'Publish data', source: 'Scrutiny 2023' }],
  items: [1, 2, 3].map((n) => ({
    key: `a1-0000000${n}`,
    kind: 'action' as const,
    objectives: [1],
    title: `Action ${n}`,
    outcomes: [`Outcome ${n}`],
    outputs: [{ text: `${n * 10} sessions`, target: n * 10, unit: 'sessions' }],
    timescale: 'March 2025',
    milestones: ['2025-03-31'],
    leads: ['Community Safety Manager'],
    recommendations: [],
    status: 'not-reported' as const,
  })),
};

const COLUMN = (name: string) => planToRows(BASE_PLAN)[0]!.indexOf(name);
/** The base plan's CSV with cells changed: `edit(rows)` works on the rows (header first). */
function csvWith(edit: (rows: string[][]) => void): Buffer {
  const rows = planToRows(BASE_PLAN);
  edit(rows);
  return text(
    '\uFEFF' + rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n',
  );
}
const setCell = (rowIndex: number, column: string, value: string) => (rows: string[][]) => {
  rows[rowIndex]![COLUMN(column)] = value;
};

/** The base plan as a workbook whose cells `edit` changes (values may be dates or numbers). */
async function xlsxWith(edit: (sheet: ExcelJS.Worksheet) => void, configure?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Plan');
  for (const r of planToRows(BASE_PLAN)) sheet.addRow(r);
  edit(sheet);
  configure?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const col = (name: string) => COLUMN(name) + 1;

const utf16 = (s: string, bom: boolean, endian: 'le' | 'be') => {
  const le = Buffer.from(s, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1]!));
  return Buffer.concat([bom ? Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
};

const SHEET_START = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;

export const CASES: HostileCase[] = [
  // ---- Plan documents (.md): structure ----
  { name: 'empty.md', make: () => text(''), expect: { refused: /not a delivery plan/, line: 1 } },
  { name: 'white-space-only.md', make: () => text(' \n\t\n  \n'), expect: { refused: /not a delivery plan/, line: 1 } },
  { name: 'a-letter.md', make: () => text('Dear all,\nMinutes attached.\n'), expect: { refused: /not a delivery plan/, line: 1 } },
  {
    name: 'cut-inside-last-row.md',
    make: () => text(shared().slice(0, shared().length - 400)),
    expect: { refused: /truncated/, line: 149 },
  },
  {
    name: 'row-with-too-few-cells.md',
    make: () => text(withLine(121, 'Support the development\tOutcome')),
    expect: { refused: /2 of 6 columns/, line: 121 },
  },
  {
    name: 'unclosed-list-in-a-cell.md',
    make: () => text(withLine(121, 'Act\tOutcome\t<ul><li>x</li>\tMarch 2019\tLead\t')),
    expect: { refused: /opens <ul> and never closes/, line: 121 },
  },
  {
    name: 'header-with-no-rows.md',
    make: () => text(['# Org', '## Delivery Plan', '### 2020 - 21', HEADER, '', '## Next'].join('\n')),
    expect: { refused: /header has no rows/, line: 4 },
  },
  {
    name: 'row-with-no-header.md',
    make: () => text(['# Org', '## Delivery Plan', '### 2020 - 21', 'Act\tOutcome\t<ul><li>x</li></ul>\tMarch 2020\tLead\t'].join('\n')),
    expect: { refused: /no header row above it/, line: 4 },
  },
  {
    name: 'no-plan-heading.md',
    make: () => text(shared().replace('## **Prevent Delivery Plan**', '## **Prevent Delivery**')),
    expect: { refused: /no heading names the plan/, line: 5 },
  },
  {
    name: 'no-period-and-no-dates.md',
    make: () => text(mini([row('TBC')]).replace('### 2024 - 25\n', '')),
    expect: { refused: /no plan period/, line: 2 },
  },
  {
    name: 'objective-word-not-a-number.md',
    make: () => text(withLine(117, '**OBJECTIVE MANY: Target social**')),
    expect: { refused: /cannot read the objective number/, line: 117 },
  },
  {
    name: 'headings-only.md',
    make: () => text('# Org\n## Delivery Plan\n### 2020 - 21\n'),
    expect: { refused: /no action or project tables/, line: 4 },
  },
  {
    name: 'cut-inside-a-title.md',
    make: () => text(shared().slice(0, shared().lastIndexOf('\t<p>Staff Champions'))),
    expect: { refused: /the file ends here/, line: 149 },
  },
  {
    name: 'cut-inside-a-paragraph.md',
    make: () => text(withLine(145, '<p>Ensure all staff have received')),
    expect: { refused: /row is cut off here/, line: 145 },
  },
  // ---- Plan documents: encodings ----
  {
    name: 'nul-bytes.md',
    make: () => Buffer.concat([text(mini([row('March 2025')])), Buffer.from([0, 0, 0])]),
    expect: { refused: /this is a binary file, not a text plan/, line: 8 },
  },
  {
    name: 'zip-renamed-to-md.md',
    make: () => writeZip([{ name: 'a.txt', data: 'x' }]),
    expect: { refused: /this is a binary file, not a text plan/, line: 1 },
  },
  {
    name: 'utf8-bom-then-windows-1252.md',
    make: () =>
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        text(mini([])),
        Buffer.from('\nAct\tOutcome\t<ul><li>x</li></ul>\tJuly 2024 \x96 March 2025\tLead\t', 'latin1'),
      ]),
    expect: { refused: /mixes two encodings/, line: 8 },
  },
  {
    name: 'utf8-and-windows-1252-mixed.md',
    make: () =>
      Buffer.concat([
        text(mini([row('July 2024 \u2013 March 2025')])),
        Buffer.from('\nAct 2\tOutcome\t<ul><li>x</li></ul>\tJuly 2024 \x96 March 2025\tLead\t', 'latin1'),
      ]),
    expect: { refused: /mixes two encodings/, line: 9 },
  },
  {
    name: 'shift-jis.md',
    make: () =>
      Buffer.from([
        0x82, 0xa0, 0x82, 0xa2, 0x82, 0xa4, 0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x95, 0xb6, 0x8f, 0xcd, 0x82, 0xc5, 0x82, 0xb7,
        0x81, 0x42,
      ]),
    expect: { refused: /looks like Shift_JIS/, line: 1 },
  },
  {
    name: 'windows-1252-undefined-byte.md',
    make: () => Buffer.concat([text(mini([])), Buffer.from('\nAct\tOutcome \x81\t<ul><li>x</li></ul>\tMarch 2025\tLead\t', 'latin1')]),
    expect: { refused: /no meaning in Windows-1252/, line: 8 },
  },
  {
    name: 'windows-1252.md',
    make: () =>
      Buffer.from(mini(['Caf\xe9 forum\tOutcome\t<ul><li>\xa3500 grants</li></ul>\tJuly 2024 \x96 March 2025\tLead\t']), 'latin1'),
    expect: {
      warned: /read as Windows-1252/,
      line: 8,
      check: (p) => expect(p.items[0]).toMatchObject({ title: 'Caf\u00e9 forum', start: '2024-07-01', milestones: ['2025-03-31'] }),
    },
  },
  {
    name: 'utf16le-bom.md',
    make: () => utf16(mini([row('July 2024 \u2013 March 2025')]), true, 'le'),
    expect: { warned: /UTF-16 \(little-endian\): converted/, line: 1 },
  },
  {
    name: 'utf16be-bom.md',
    make: () => utf16(mini([row('March 2025')]), true, 'be'),
    expect: { warned: /UTF-16 \(big-endian\): converted/, line: 1 },
  },
  {
    name: 'utf16le-no-bom.md',
    make: () => utf16(mini([row('March 2025')]), false, 'le'),
    expect: { warned: /UTF-16 \(little-endian\) with no byte order mark/, line: 1 },
  },
  {
    name: 'utf16-odd-length.csv',
    make: () => Buffer.concat([utf16('Record,Number', true, 'le'), Buffer.from([0x41])]),
    expect: { refused: /half-way through a character/ },
  },
  // ---- Plan documents: readable but odd ----
  { name: 'timescale-tbc.md', make: () => text(mini([row('TBC')])), expect: { warned: /"TBC" is not a date/, line: 8 } },
  { name: 'timescale-empty.md', make: () => text(mini([row('')])), expect: { warned: /no timescale/, line: 8 } },
  {
    name: 'impossible-date-29-february.md',
    make: () => text(mini([row('29 February 2025')])),
    expect: { warned: /"29 February 2025" .* is not a real date/, line: 8 },
  },
  {
    name: 'impossible-iso-date.md',
    make: () => text(mini([row('2025-02-31')])),
    expect: { warned: /"2025-02-31" .* is not a real date/, line: 8 },
  },
  {
    name: 'impossible-uk-date.md',
    make: () => text(mini([row('31/04/2025')])),
    expect: { warned: /"31\/04\/2025" .* is not a real date/, line: 8 },
  },
  {
    name: 'year-1900.md',
    make: () => text(mini([row('March 1900')])),
    expect: { warned: /1900-03-31 is more than a year outside the plan's period/, line: 8 },
  },
  {
    name: 'year-2999.md',
    make: () => text(mini([row('March 2999')])),
    expect: { warned: /2999-03-31 is more than a year outside/, line: 8 },
  },
  {
    name: 'ends-before-it-starts.md',
    make: () => text(mini([row('March 2025 \u2013 July 2024')])),
    expect: { warned: /ends \(2024-07-31\) before it starts \(2025-03-01\)/, line: 8 },
  },
  {
    name: 'duplicate-rows.md',
    make: () => text(mini([row('March 2025'), row('March 2025')])),
    expect: { warned: /repeats the row at line 8/, line: 9 },
  },
  {
    name: 'objective-99.md',
    make: () => text(mini([row('March 2025')], '### 2024 - 25', 'OBJECTIVE 99: Unknown')),
    expect: { warned: /objective 99 is not in the objectives list/, line: 6 },
  },
  {
    name: 'unknown-status.md',
    make: () => text(mini([row('March 2025', 'Act', 'Lead', 'Blue-ish')])),
    expect: { warned: /RAG status "Blue-ish"/, line: 8 },
  },
  {
    name: 'untitled-row.md',
    make: () => text(mini(['\tOutcome here.\t<ul><li>x</li></ul>\tMarch 2025\tLead\t'])),
    expect: { warned: /no action title/, line: 8 },
  },
  {
    name: 'unknown-recommendation.md',
    make: () =>
      text(
        mini([row('March 2025', 'Act (Peer Review Rec 9)')]).replace(
          '## Objectives',
          '## Peer Review\n### Key Recommendations\n1. Do it\n## Objectives',
        ),
      ),
    expect: { warned: /recommendation 9 is not in the recommendations list/, line: 11 },
  },
  {
    name: 'text-in-unnamed-column.md',
    make: () => text(mini([`${row('March 2025')}\tsurprise`])),
    expect: { warned: /unnamed column 7/, line: 8 },
  },
  {
    name: 'quarter-with-no-period.md',
    make: () => text(mini([row('Quarter 3'), row('March 2025', 'Act 2')], '### Actions')),
    expect: { warned: /"Quarter 3" .* names no year/, line: 8 },
  },
  {
    name: 'script-and-formula-payloads.md',
    make: () => text(mini([`<script>alert(1)</script>=cmd|' /C calc'!A0\tOutcome\t<ul><li>@SUM(1+1)</li></ul>\tTBC\tLead\t`])),
    expect: { warned: /"TBC" is not a date/, line: 8, check: (p) => expect(p.items[0]!.title).toBe("alert(1) =cmd|' /C calc'!A0") },
  },
  // ---- CSV exports ----
  {
    name: 'not-an-export.csv',
    make: () => text('Name,Email\nA,b@c\n'),
    expect: { refused: /not a plan export: the first column must be "Record"/, line: 1 },
  },
  {
    name: 'missing-columns.csv',
    make: () => text('Record,Number,Title\nPlan,,x\n'),
    expect: { refused: /missing columns Key, Kind/, line: 1 },
  },
  {
    name: 'impossible-date-2019-02-31.csv',
    make: () => csvWith(setCell(6, 'Milestones', '2019-02-31')),
    expect: { refused: /Milestones "2019-02-31" is not a real date \(there is no 31 February 2019\)/, line: 7 },
  },
  {
    name: 'impossible-date-29-february-2019.csv',
    make: () => csvWith(setCell(6, 'Milestones', '2019-02-29')),
    expect: { refused: /there is no 29 February 2019/, line: 7 },
  },
  {
    name: 'impossible-month.csv',
    make: () => csvWith(setCell(5, 'Start', '2024-13-01')),
    expect: { refused: /there is no month 13/, line: 6 },
  },
  {
    name: 'not-a-date.csv',
    make: () => csvWith(setCell(7, 'Milestones', 'soon')),
    expect: { refused: /Milestones "soon" is not a date/, line: 8 },
  },
  {
    name: 'year-1900.csv',
    make: () => csvWith(setCell(6, 'Milestones', '1900-03-31')),
    expect: { warned: /1900-03-31 is more than a year outside/, line: 7 },
  },
  {
    name: 'year-2999.csv',
    make: () => csvWith(setCell(6, 'Milestones', '2999-03-31')),
    expect: { warned: /2999-03-31 is more than a year outside/, line: 7 },
  },
  {
    name: 'ends-before-it-starts.csv',
    make: () => csvWith(setCell(6, 'Start', '2025-06-01')),
    expect: { warned: /ends \(2025-03-31\) before it starts \(2025-06-01\)/, line: 7 },
  },
  {
    name: 'duplicate-rows.csv',
    make: () => csvWith((rows) => rows.push([...rows[5]!].map((c, i) => (i === COLUMN('Key') ? 'a1-99999999' : c)))),
    expect: { warned: /repeats the row at line 6/, line: 9 },
  },
  {
    name: 'objective-99.csv',
    make: () => csvWith(setCell(7, 'Objectives', '99')),
    expect: { warned: /objective 99 is not in the plan's list of objectives/, line: 8 },
  },
  {
    name: 'duplicate-key.csv',
    make: () => csvWith(setCell(7, 'Key', 'a1-00000001')),
    expect: { refused: /Key "a1-00000001" appears twice/, line: 8 },
  },
  {
    name: 'unknown-status.csv',
    make: () => csvWith(setCell(6, 'RAG status', 'Purple')),
    expect: { refused: /RAG status "Purple" is not Red/, line: 7 },
  },
  {
    name: 'unknown-record.csv',
    make: () => csvWith(setCell(2, 'Record', 'Goal')),
    expect: { refused: /Record "Goal" is not Plan, Objective/, line: 3 },
  },
  { name: 'unclosed-quote.csv', make: () => text('Record,Number\n"Plan,1\n'), expect: { refused: /not a readable CSV file/, line: 2 } },
  { name: 'no-plan-row.csv', make: () => csvWith((rows) => rows.splice(1, 1)), expect: { refused: /no Plan row/, line: 7 } },
  {
    name: 'two-plan-rows.csv',
    make: () => csvWith((rows) => rows.splice(2, 0, [...rows[1]!])),
    expect: { refused: /a second Plan row/, line: 3 },
  },
  {
    name: 'targets-do-not-match-outputs.csv',
    make: () => csvWith(setCell(5, 'Output targets', '10 sessions\n20 sessions')),
    expect: { refused: /Output targets has 2 lines for 1 output/, line: 6 },
  },
  {
    name: 'bad-target.csv',
    make: () => csvWith(setCell(5, 'Output targets', 'ten sessions')),
    expect: { refused: /Output target "ten sessions" is not a number/, line: 6 },
  },
  {
    name: 'bad-revision.csv',
    make: () => csvWith(setCell(5, 'Revised milestones', 'moved to January')),
    expect: { refused: /Revised milestones "moved to January" is not/, line: 6 },
  },
  {
    name: 'bad-recurring.csv',
    make: () => csvWith(setCell(5, 'Recurring', 'fortnightly')),
    expect: { refused: /Recurring "fortnightly" must be/, line: 6 },
  },
  {
    name: 'bad-objectives.csv',
    make: () => csvWith(setCell(5, 'Objectives', 'one')),
    expect: { refused: /Objectives "one" is not a list of whole numbers/, line: 6 },
  },
  { name: 'too-many-cells.csv', make: () => text(`Record${',x'.repeat(250)}\n`), expect: { refused: /more than 200 cells/, line: 1 } },
  {
    name: 'binary-bytes.csv',
    make: () => Buffer.from([0x52, 0x65, 0x63, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x10]),
    expect: { refused: /this is a binary file, not a text plan/, line: 1 },
  },
  {
    name: 'excel-uk-resave.csv',
    make: () => {
      const utf8 = csvWith((rows) => {
        for (const r of rows.slice(5)) r[COLUMN('Milestones')] = '31/03/2025';
        rows[5]![COLUMN('Timescale')] = 'July 2024 \u2013 March 2025';
        rows[5]![COLUMN('Start')] = '01/07/2024';
        rows[1]![COLUMN('Period start')] = '01/04/2024';
      }).toString('utf8');
      return Buffer.from(utf8.replace(/^\uFEFF/, '').replace(/\u2013/g, '\x96'), 'latin1');
    },
    expect: {
      warned: /read as Windows-1252/,
      line: 6,
      check: (p) =>
        expect(p.items[0]).toMatchObject({ timescale: 'July 2024 \u2013 March 2025', start: '2024-07-01', milestones: ['2025-03-31'] }),
    },
  },
  {
    name: 'utf16-export.csv',
    make: () => utf16(planToCsv(BASE_PLAN), false, 'le'),
    expect: { warned: /UTF-16/, line: 1, check: (p) => expect(p.items).toHaveLength(3) },
  },
  {
    name: 'formula-payloads.csv',
    make: () => csvWith(setCell(5, 'Title', `'=HYPERLINK("http://evil.example","x")`)),
    expect: { imported: (p) => expect(p.items[0]!.title).toBe('=HYPERLINK("http://evil.example","x")') },
  },
  // ---- XLSX exports ----
  { name: 'not-a-zip.xlsx', make: () => text('not a zip'), expect: { refused: /not a readable workbook: it is not a ZIP package/ } },
  {
    name: 'cut-in-half.xlsx',
    make: async () => (await planToXlsx(BASE_PLAN)).subarray(0, 3000),
    expect: { refused: /ZIP directory is missing \(the file is cut off\?\)/ },
  },
  { name: 'word-document-renamed.xlsx', make: () => planToDocx('# Org\n## Plan\n'), expect: { refused: /has no workbook or no sheets/ } },
  {
    name: 'empty-sheet.xlsx',
    make: () => writeZip(workbookParts(`${SHEET_START}</sheetData></worksheet>`)),
    expect: { refused: /the first sheet of the workbook is empty/, line: 1 },
  },
  {
    name: 'impossible-date.xlsx',
    make: () => xlsxWith((s) => (s.getCell(7, col('Milestones')).value = '2019-02-31')),
    expect: { refused: /Milestones "2019-02-31" is not a real date/, line: 7 },
  },
  {
    name: 'date-serials-without-format.xlsx',
    make: () => xlsxWith((s) => (s.getCell(6, col('Milestones')).value = 45747)),
    expect: { imported: (p) => expect(p.items[0]!.milestones).toEqual(['2025-03-31']) },
  },
  {
    name: 'date-cells.xlsx',
    make: () =>
      xlsxWith((s) => {
        s.getCell(6, col('Milestones')).value = new Date(Date.UTC(2025, 2, 31));
        s.getCell(6, col('Milestones')).numFmt = 'dd/mm/yyyy';
      }),
    expect: { imported: (p) => expect(p.items[0]!.milestones).toEqual(['2025-03-31']) },
  },
  {
    name: 'year-2999.xlsx',
    make: () => xlsxWith((s) => (s.getCell(8, col('Milestones')).value = '2999-03-31')),
    expect: { warned: /2999-03-31 is more than a year outside/, line: 8 },
  },
  {
    name: 'encrypted-part.xlsx',
    make: () => writeZip(workbookParts('<worksheet/>').map((e) => ({ ...e, flags: 1 }))),
    expect: { refused: /password-protected/ },
  },
  {
    name: 'part-lies-about-its-size.xlsx',
    make: () =>
      writeZip(
        workbookParts(`${SHEET_START}${'<row/>'.repeat(200_000)}</sheetData></worksheet>`).map((e) =>
          e.name.includes('sheet1') ? { ...e, declaredSize: 1000 } : e,
        ),
      ),
    expect: { refused: /unpacks to more than it declares \(a ZIP bomb\?\)/ },
  },
  {
    name: 'too-many-parts.xlsx',
    make: () =>
      writeZip([
        ...workbookParts('<worksheet/>'),
        ...Array.from({ length: 2_001 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: '', store: true })),
      ]),
    expect: { refused: /holds 2006 parts; more than 2000 are not read/ },
  },
  {
    name: 'unknown-zip-method.xlsx',
    make: () => {
      const z = writeZip(workbookParts('<worksheet/>'));
      const d = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      z.writeUInt16LE(14, d + 10);
      return z;
    },
    expect: { refused: /uses ZIP method 14/ },
  },
  // ---- Word documents ----
  {
    name: 'not-a-zip.docx',
    make: () => text('{\\rtf1 not really a docx}'),
    expect: { refused: /not a readable Word document: it is not a ZIP package/ },
  },
  { name: 'workbook-renamed.docx', make: () => planToXlsx(BASE_PLAN), expect: { refused: /has no word\/document\.xml/ } },
  {
    name: 'a-letter.docx',
    make: () => planToDocx('Dear colleague,\n\nPlease find the minutes attached.\n'),
    expect: { refused: /this is not a delivery plan/, line: 1 },
  },
  { name: 'timescale-tbc.docx', make: () => planToDocx(mini([row('TBC')])), expect: { warned: /"TBC" is not a date/, line: 8 } },
  {
    name: 'impossible-date.docx',
    make: () => planToDocx(mini([row('31 June 2024')])),
    expect: { warned: /"31 June 2024" .* is not a real date/, line: 8 },
  },
  {
    name: 'document-part-bomb.docx',
    make: () => writeZip([{ name: 'word/document.xml', data: repeated(' ', 120 * 1024 * 1024, '<w:document>', '</w:document>') }]),
    expect: { refused: /unpacks to more than 100 MB/ },
  },
  // ---- Files that are not plan files ----
  { name: 'a-pdf.pdf', make: () => text('%PDF-1.7'), expect: { refused: /unknown kind of file "\.pdf"/ } },
  { name: 'old-word.doc', make: () => text('\xd0\xcf\x11\xe0'), expect: { refused: /save the \.doc file from Office as \.docx first/ } },
  // ---- Large: made at test time, run in a child process that measures time and memory ----
  {
    name: 'over-20-MB.md',
    large: true,
    make: () => Buffer.alloc(21 * 1024 * 1024, 0x41),
    expect: { refused: /the file is 21 MB; plans larger than 20 MB are not read/ },
  },
  {
    name: 'twenty-thousand-and-one-items.md',
    large: true,
    make: () => text(generatePlanDocument(20_001)),
    expect: { refused: /more than 20,000 items/, line: 20436 },
  },
  {
    name: 'three-million-rows.csv',
    large: true,
    make: () => Buffer.concat([text(planToCsv(BASE_PLAN)), repeated('Item\n', 3_000_000)]),
    expect: { refused: /more than 21,000 rows/, line: 21_002 },
  },
  {
    name: 'three-million-rows.xlsx',
    large: true,
    make: () =>
      writeZip(
        workbookParts(repeated('<row><c t="inlineStr"><is><t>Item</t></is></c></row>', 3_000_000, SHEET_START, '</sheetData></worksheet>')),
      ),
    expect: { refused: /unpacks to more than 100 MB|more than 21,000 rows/ },
  },
  {
    name: 'three-hundred-thousand-rows.xlsx',
    large: true,
    make: () =>
      writeZip(
        workbookParts(repeated('<row><c t="inlineStr"><is><t>Item</t></is></c></row>', 300_000, SHEET_START, '</sheetData></worksheet>')),
      ),
    expect: { refused: /sheet "sheet1" has more than 21,000 rows/ },
  },
  {
    name: 'shared-strings-bomb.xlsx',
    large: true,
    make: () =>
      writeZip(
        workbookParts(`${SHEET_START}<row><c t="s"><v>0</v></c></row></sheetData></worksheet>`, {
          name: 'xl/sharedStrings.xml',
          data: repeated('<si><t>a</t></si>', 10_000_000, '<sst count="10000000">', '</sst>'),
        }),
      ),
    expect: { refused: /unpacks to more than 100 MB/ },
  },
  {
    name: 'shared-strings-many.xlsx',
    large: true,
    make: () =>
      writeZip(
        workbookParts(`${SHEET_START}<row><c t="s"><v>0</v></c></row></sheetData></worksheet>`, {
          name: 'xl/sharedStrings.xml',
          data: repeated('<si><t>a</t></si>', 600_000, '<sst>', '</sst>'),
        }),
      ),
    expect: { refused: /more than 500,000 shared strings/ },
  },
  {
    name: 'shared-strings-bomb-lying.xlsx',
    large: true,
    make: () =>
      writeZip(
        workbookParts(`${SHEET_START}<row><c t="s"><v>0</v></c></row></sheetData></worksheet>`, {
          name: 'xl/sharedStrings.xml',
          data: repeated('<si><t>a</t></si>', 10_000_000, '<sst>', '</sst>'),
          declaredSize: 420_000,
        }),
      ),
    expect: { refused: /unpacks to more than it declares/ },
  },
];

/** Writes the small cases to files/ (run: npx tsx test/security/hostile/make.ts). */
export async function writeCorpus(dir: string): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
  let written = 0;
  for (const c of CASES.filter((c) => !c.large)) {
    fs.writeFileSync(path.join(dir, c.name), await c.make());
    written++;
  }
  return written;
}
