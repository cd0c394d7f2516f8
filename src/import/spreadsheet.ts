/**
 * CSV and XLSX files in the export layout (see tabular.ts). csv-parse/csv-stringify and exceljs do
 * the file formats; the checks in limits.ts and zipGuard.ts run before either sees the bytes.
 *
 * CSV is written as RFC 4180 says: CRLF between records, and every cell holding a comma, a quote
 * or a line break of any kind (CR, LF) quoted, so Excel and Python's csv module read the same
 * records as `dplan import`. XLSX is read with exceljs's streaming reader, which holds one row at a
 * time (the whole-workbook loader needs about 20 times the unpacked size in memory).
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { PlanFormatError } from '../errors';
import type { ParsedPlan, Plan, PlanItem } from '../domain/model';
import { LIMITS } from './limits';
import { DATE_COLUMNS, planToRows, rowsToPlan, type ItemReport } from './tabular';

export type { ItemReport } from './tabular';
type Reports = (item: PlanItem) => ItemReport | undefined;
import { checkWorkbookParts, unpackOffice } from './zipGuard';

export function planToCsv(plan: Plan, reports?: Reports): string {
  // BOM so that Excel opens UTF-8 correctly; CRLF as RFC 4180 says; a bare LF in a cell is quoted too.
  return '\uFEFF' + stringify(planToRows(plan, reports), { record_delimiter: 'windows', quoted_match: /[\r\n",]/ });
}

/** Counts records and the widest record before parsing, so a file of millions of rows or cells is refused cheaply. */
function checkCsvShape(text: string, file: string): void {
  let records = 1;
  let fields = 1;
  let line = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) quoted = !quoted;
    else if (ch === 0x0a) {
      line++;
      if (!quoted) {
        records++;
        fields = 1;
        if (records > LIMITS.maxRows + 1)
          throw new PlanFormatError(
            line,
            `the file has more than ${LIMITS.maxRows.toLocaleString('en-GB')} rows; a plan has at most ${LIMITS.maxItems.toLocaleString('en-GB')} items, so it is not read`,
            file,
          );
      }
    } else if (ch === 0x2c && !quoted && ++fields > LIMITS.maxColumns)
      throw new PlanFormatError(line, `a row with more than ${LIMITS.maxColumns} cells: this is not a plan export`, file);
  }
}

export function csvToPlan(text: string, file = 'plan.csv'): ParsedPlan {
  const body = text.replace(/^\uFEFF/, '');
  checkCsvShape(body, file);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, { relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new PlanFormatError(e.lines ?? 1, `not a readable CSV file: ${e.message.replace(/^Invalid [^:]*: /, '')}`, file);
  }
  const rows = records.map((r) => r.record);
  // info.lines is the line where the record ends; multi-line cells make that differ from its start.
  const starts = records.map((r, i) => (i === 0 ? 1 : records[i - 1]!.info.lines + 1));
  return rowsToPlan(rows, { file, lineOf: (i) => starts[i] ?? i + 1 });
}

/** ExcelJS, loaded when a workbook is first read or written: requiring it took 0.6 s of every server start. */
const excel = (): Promise<typeof ExcelJS> => import('exceljs').then((m) => m.default);

const SHEET = 'Plan';
const DATE_FORMAT = 'yyyy-mm-dd';

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

export async function planToXlsx(plan: Plan, reports?: Reports): Promise<Buffer> {
  const workbook = new (await excel()).Workbook();
  workbook.creator = 'Delivery Plan for Teams';
  const sheet = workbook.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const rows = planToRows(plan, reports);
  const header = rows[0]!;
  const dateColumns = header.map((h) => DATE_COLUMNS.has(h));
  for (const r of rows) {
    // A single date is written as a date cell, so Excel shows and sorts it as one.
    const added = sheet.addRow(
      r.map((cell, i) => (r !== header && dateColumns[i] && /^\d{4}-\d{2}-\d{2}$/.test(cell) ? utcDate(cell) : cell)),
    );
    dateColumns.forEach((isDate, i) => {
      if (isDate && r !== header) added.getCell(i + 1).numFmt = DATE_FORMAT;
    });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => {
    c.width = 24;
    c.alignment = { wrapText: true, vertical: 'top' };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellString(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((t) => t.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value)
    return value.result === undefined ? '' : cellString(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'error' in value) return '';
  return String(value);
}

export async function xlsxToPlan(data: Buffer, file = 'plan.xlsx'): Promise<ParsedPlan> {
  const parts = unpackOffice(data, file, 'workbook');
  checkWorkbookParts(parts, file);
  const workbookXml = parts.find((p) => /^xl\/workbook\.xml$/i.test(p.name));
  if (!workbookXml || !parts.some((p) => /^xl\/worksheets\/.+\.xml$/i.test(p.name)))
    throw new PlanFormatError(
      0,
      'not a readable XLSX workbook: it has no workbook or no sheets (is it a .docx or another kind of ZIP?)',
      file,
    );
  const date1904 = /date1904="(1|true)"/i.test(workbookXml.data.toString('utf8'));

  const rows: string[][] = [];
  const lineNumbers: number[] = [];
  try {
    const reader = new (await excel()).stream.xlsx.WorkbookReader(Readable.from([data]), {
      sharedStrings: 'cache',
      styles: 'cache',
      worksheets: 'emit',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = row.values as ExcelJS.CellValue[];
        if (values.length - 1 > LIMITS.maxColumns)
          throw new PlanFormatError(row.number, `a row with more than ${LIMITS.maxColumns} cells: this is not a plan export`, file);
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellString(values[c]));
        if (cells.every((c) => c.trim() === '')) continue;
        rows.push(cells);
        lineNumbers.push(row.number);
      }
      break; // the first sheet holds the plan
    }
  } catch (err) {
    if (err instanceof PlanFormatError) throw err;
    throw new PlanFormatError(0, `not a readable XLSX workbook (${(err as Error).message.split(/ : | If it is/)[0]!.trim()})`, file);
  }
  if (rows.length === 0) throw new PlanFormatError(1, 'the first sheet of the workbook is empty', file);
  return rowsToPlan(rows, { file, lineOf: (i) => lineNumbers[i] ?? i + 1, serialDates: true, date1904 });
}
