/** Reads a plan from a file of any supported kind, chosen by its extension. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PlanFormatError } from '../errors';
import type { ParsedPlan } from '../domain/model';
import { parsePlanDocument } from './planDocument';
import { csvToPlan, xlsxToPlan } from './spreadsheet';

export const PLAN_FILE_KINDS = ['.md', '.markdown', '.txt', '.csv', '.xlsx'] as const;

export async function readPlanFile(file: string): Promise<ParsedPlan> {
  const ext = path.extname(file).toLowerCase();
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PlanFormatError(
      0,
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read the file (${code ?? 'error'})`,
      file,
    );
  }
  if (ext === '.xlsx') return xlsxToPlan(data, file);
  const text = data.toString('utf8');
  if (ext === '.csv') return csvToPlan(text, file);
  if (ext === '' || (PLAN_FILE_KINDS as readonly string[]).includes(ext)) return parsePlanDocument(text, file);
  throw new PlanFormatError(0, `unknown kind of file "${ext}": expected a plan document (.md), a CSV or an XLSX export`, file);
}
