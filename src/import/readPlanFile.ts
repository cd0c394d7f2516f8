/**
 * Reads a plan from a file, or from bytes with a file name (the tab's upload), of any supported
 * kind chosen by its extension: a plan document (.md, .txt), a Word document (.docx), or a CSV or
 * XLSX export. Limits (limits.ts) and encoding (decodeText.ts) are checked first; every message
 * names the file.
 */
import path from 'node:path';
import { PlanFormatError } from '../errors';
import type { ParsedPlan } from '../domain/model';
import { decodeText } from './decodeText';
import { docxToPlan } from './docx';
import { checkSize, readPlanBytes } from './limits';
import { parsePlanDocument } from './planDocument';
import { csvToPlan, xlsxToPlan } from './spreadsheet';

export const PLAN_FILE_KINDS = ['.md', '.markdown', '.txt', '.docx', '.csv', '.xlsx'] as const;

export async function readPlanFile(file: string): Promise<ParsedPlan> {
  checkKind(file);
  return readPlanData(await readPlanBytes(file), file);
}

function checkKind(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '' && !(PLAN_FILE_KINDS as readonly string[]).includes(ext))
    throw new PlanFormatError(
      0,
      `unknown kind of file "${ext}": expected a plan document (.md), a Word document (.docx), or a CSV or XLSX export${ext === '.doc' || ext === '.xls' ? ` (save the ${ext} file from Office as ${ext}x first)` : ''}`,
      file,
    );
  return ext;
}

/** Reads plan bytes; `file` names them in messages and its extension says their kind. */
export async function readPlanData(data: Buffer, file: string): Promise<ParsedPlan> {
  const ext = checkKind(file);
  checkSize(data.length, file);
  if (ext === '.xlsx') return xlsxToPlan(data, file);
  if (ext === '.docx') return docxToPlan(data, file);
  const decoded = decodeText(data, file);
  const parsed = ext === '.csv' ? csvToPlan(decoded.text, file) : parsePlanDocument(decoded.text, file);
  if (decoded.warnings.length) parsed.warnings = [...decoded.warnings, ...parsed.warnings].sort((a, b) => a.line - b.line);
  return parsed;
}
