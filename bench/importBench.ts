/** Import speed and memory: the shared plan, and a generated 5,000-item plan, each parsed end to end. */
import fs from 'node:fs';
import { parsePlanDocument } from '../src/import/planDocument';
import { docxToPlan } from '../src/import/docx';
import { csvToPlan, planToCsv, planToXlsx, xlsxToPlan } from '../src/import/spreadsheet';
import { planToDocx } from '../test/import/support/planToDocx';
import { generatePlanDocument } from './generatePlan';
import { medianMs, type BenchRow } from './table';

import { SHARED_PLAN_FILE as SHARED_PLAN } from '../src/import/sharedPlan';

export async function benchImport(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const shared = fs.readFileSync(SHARED_PLAN, 'utf8');
  const sharedMs = await medianMs(() => parsePlanDocument(shared), 20);
  rows.push({ name: 'import: parse shared plan (31 items)', value: sharedMs, unit: 'ms', note: 'median of 20' });

  const big = generatePlanDocument(5000);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let parsed = parsePlanDocument(big);
  const heapMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const bigMs = await medianMs(() => {
    parsed = parsePlanDocument(big);
  }, 5);
  rows.push({
    name: 'import: parse generated plan (5,000 items)',
    value: bigMs,
    unit: 'ms',
    note: `median of 5; ${parsed.items.length} items, ${(big.length / 1024 / 1024).toFixed(1)} MB text`,
  });
  rows.push({ name: 'import: per item (5,000-item plan)', value: (bigMs * 1000) / parsed.items.length, unit: '\u00b5s' });
  rows.push({
    name: 'import: heap growth parsing 5,000 items',
    value: Math.max(0, heapMb),
    unit: 'MB',
    note: global.gc ? 'after gc' : 'approximate (run node with --expose-gc for exact)',
  });
  rows.push({ name: 'import: ratio 5,000-item / 31-item parse', value: bigMs / sharedMs, unit: 'x', note: 'linear would be ~161x' });
  const csv = planToCsv(parsed);
  const csvMs = await medianMs(() => csvToPlan(csv), 5);
  rows.push({ name: 'import: CSV export re-read (5,000 items)', value: csvMs, unit: 'ms', note: 'median of 5' });
  const xlsx = await planToXlsx(parsed);
  const xlsxMs = await medianMs(() => xlsxToPlan(xlsx), 3);
  rows.push({
    name: 'import: XLSX export re-read (5,000 items)',
    value: xlsxMs,
    unit: 'ms',
    note: `median of 3; ${(xlsx.length / 1024).toFixed(0)} KB, streaming reader after the ZIP guard`,
  });
  const docx = await planToDocx(shared);
  const docxMs = await medianMs(() => docxToPlan(docx), 5);
  rows.push({
    name: 'import: parse shared plan as Word .docx (31 items)',
    value: docxMs,
    unit: 'ms',
    note: 'median of 5; mammoth, then the template rules',
  });
  return rows;
}
