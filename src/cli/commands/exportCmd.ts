/** `dplan export`: a plan as CSV or XLSX in the layout `dplan import` reads back. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../errors';
import type { Plan } from '../../domain/model';
import { readPlanFile } from '../../import/readPlanFile';
import { planToCsv, planToXlsx } from '../../import/spreadsheet';
import { readPlan } from '../../store/readPlan';
import { action, info } from '../output';
import { withStore } from '../context';

interface ExportOptions {
  plan?: string;
  from?: string;
  format?: string;
  out?: string;
}

function formatOf(opts: ExportOptions): 'csv' | 'xlsx' {
  const format = (opts.format ?? (opts.out ? path.extname(opts.out).slice(1) : 'csv')).toLowerCase();
  if (format !== 'csv' && format !== 'xlsx') throw new ValidationError(`--format must be csv or xlsx (got "${format}")`, 'format');
  return format;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a plan as CSV or XLSX (formula-safe; re-imports to the same plan)')
    .option('--plan <id>', 'plan id in the store (default: the only or newest plan)')
    .option('--from <file>', 'export a plan file instead of the store (converts a .md or .docx plan to .csv/.xlsx)')
    .option('--format <csv|xlsx>', 'file format (default: from --out, else csv)')
    .option('--out <file>', 'file to write (default: stdout, CSV only)')
    .action(
      action(async (opts: ExportOptions) => {
        const format = formatOf(opts);
        if (format === 'xlsx' && !opts.out) throw new ValidationError('XLSX is binary: give --out <file>.xlsx', 'out');
        let plan: Plan;
        if (opts.from) {
          plan = await readPlanFile(opts.from);
        } else {
          plan = await withStore((store) => readPlan(store, opts.plan));
        }
        const data = format === 'csv' ? Buffer.from(planToCsv(plan), 'utf8') : await planToXlsx(plan);
        if (opts.out) {
          await fs.writeFile(opts.out, data);
          info(`Wrote ${plan.items.length} items of "${plan.plan.title}" to ${opts.out}`);
        } else {
          process.stdout.write(data);
        }
      }),
    );
}
