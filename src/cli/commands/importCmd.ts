/** `dplan import <file>`: a plan document (.md, .docx), CSV or XLSX export → the configured store (or stdout with --dry-run). */
import type { Command } from 'commander';
import type { ParsedPlan } from '../../domain/model';
import { planIdOf } from '../../domain/identity';
import { readPlanFile } from '../../import/readPlanFile';
import { withStore } from '../context';
import { action, info, progressReporter } from '../output';

/** The `--json` shape: the parsed plan, items in document order, and the warnings. */
export function planJson(parsed: ParsedPlan): unknown {
  return {
    plan: parsed.plan,
    objectives: parsed.objectives,
    recommendations: parsed.recommendations,
    items: parsed.items.map((i) => ({
      key: i.key,
      kind: i.kind,
      objectives: i.objectives,
      title: i.title,
      ...(i.titleDerived ? { titleDerived: true } : {}),
      ...(i.description ? { description: i.description } : {}),
      outcomes: i.outcomes,
      outputs: i.outputs,
      timescale: i.timescale,
      milestones: i.milestones,
      ...(i.start ? { start: i.start } : {}),
      ...(i.recurring ? { recurring: true } : {}),
      ...(i.cadence ? { cadence: i.cadence } : {}),
      leads: i.leads,
      ...(i.owner ? { owner: i.owner } : {}),
      ...(i.provider ? { provider: i.provider } : {}),
      recommendations: i.recommendations,
      status: i.status,
      ...(i.revisions?.length ? { revisions: i.revisions } : {}),
      ...(i.line ? { line: i.line } : {}),
    })),
    warnings: parsed.warnings,
  };
}

function summary(parsed: ParsedPlan): string {
  const actions = parsed.items.filter((i) => i.kind === 'action').length;
  const projects = parsed.items.length - actions;
  const org = parsed.plan.organisation ? ` (${parsed.plan.organisation})` : '';
  return `"${parsed.plan.title}"${org}, ${parsed.plan.periodStart} to ${parsed.plan.periodEnd}: ${parsed.objectives.length} objectives, ${parsed.recommendations.length} recommendations, ${parsed.items.length} items (${actions} actions, ${projects} projects)`;
}

function printWarnings(parsed: ParsedPlan, file: string): void {
  if (parsed.warnings.length === 0) return;
  info(`${parsed.warnings.length} warning${parsed.warnings.length === 1 ? '' : 's'}:`);
  for (const w of parsed.warnings) info(`  ${file}:${w.line}: ${w.message}`);
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('read a plan (plan document .md or .docx, or a CSV/XLSX export) and write it into the configured store')
    .argument('<file>', 'plan document (.md, .docx), CSV or XLSX export')
    .option('--dry-run', 'parse and check only; write nothing')
    .option('--json', 'print the parsed plan (dry run) or the import summary as JSON on stdout')
    .action(
      action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
        const parsed = await readPlanFile(file);
        if (opts.dryRun) {
          if (opts.json) process.stdout.write(`${JSON.stringify(planJson(parsed), null, 2)}\n`);
          else {
            process.stdout.write(`Read ${summary(parsed)}. Nothing written (--dry-run).\n`);
          }
          printWarnings(parsed, file);
          return;
        }
        await withStore(async (store, { config }) => {
          const result = await store.importPlan(parsed, { onProgress: progressReporter('importing items') });
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, warnings: parsed.warnings }, null, 2)}\n`);
          else {
            process.stdout.write(
              `Imported ${summary(parsed)} into the ${config.STORE === 'graph' ? 'SharePoint' : 'embedded'} store as plan "${planIdOf(parsed.plan)}": ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.\n`,
            );
          }
          printWarnings(parsed, file);
        });
      }),
    );
}
