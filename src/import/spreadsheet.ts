/** CSV and XLSX files in the export layout (see tabular.ts). csv-parse/csv-stringify and exceljs do the file formats. */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { PlanFormatError } from '../errors';
import type { ParsedPlan, Plan } from '../domain/model';
import { planToRows, rowsToPlan } from './tabular';

export function planToCsv(plan: Plan): string {
  // BOM so that Excel opens UTF-8 correctly; CRLF as RFC 4180 says.
  return '\uFEFF' + stringify(planToRows(plan), { record_delimiter: 'windows' });
}

export function csvToPlan(text: string, file?: string): ParsedPlan {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as Array<{
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
  return rowsToPlan(rows, (i) => starts[i] ?? i + 1, file);
}

const SHEET = 'Plan';

export async function planToXlsx(plan: Plan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Delivery Plan for Teams';
  const sheet = workbook.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const rows = planToRows(plan);
  for (const r of rows) sheet.addRow(r);
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
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((t) => t.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return value.result === undefined ? '' : String(value.result);
  return String(value);
}

export async function xlsxToPlan(data: Buffer, file?: string): Promise<ParsedPlan> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new PlanFormatError(0, `not a readable XLSX workbook (${(err as Error).message.split(/ : | If it is/)[0]!.trim()})`, file);
  }
  const sheet = workbook.getWorksheet(SHEET) ?? workbook.worksheets[0];
  if (!sheet) throw new PlanFormatError(1, 'the workbook has no sheets', file);
  const rows: string[][] = [];
  const lineNumbers: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellString(row.getCell(c).value));
    rows.push(cells);
    lineNumbers.push(rowNumber);
  });
  return rowsToPlan(rows, (i) => lineNumbers[i] ?? i + 1, file);
}
