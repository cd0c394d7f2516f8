/** `dplan prompts`: the prompts due on a day (sent, or listed with --dry-run). */
import type { Command } from 'commander';
import { formatLongDate } from '../../domain/calendar';
import type { PromptLine, PromptRunReport } from '../../bot/bot';
import { action } from '../output';
import { londonInstant, openBotCli, parseDateOption } from '../botContext';

const OUTCOME_TEXT: Record<string, string> = {
  'would-send': 'would send',
  sent: 'sent',
  'already-sent': 'already sent',
  unreachable: 'cannot reach',
  'no-person': 'no person for role',
  failed: 'failed',
  uncertain: 'uncertain',
};

function lineText(l: PromptLine): string {
  const who = l.person ? `${l.person.name} (${l.role})` : l.role;
  return `  ${OUTCOME_TEXT[l.outcome] ?? l.outcome}: ${who}: "${l.itemTitle}" [${l.itemKey}], milestone ${formatLongDate(l.milestone)}, ${l.reason}${l.detail && l.outcome !== 'no-person' ? ` (${l.detail})` : ''}`;
}

export function promptsText(report: PromptRunReport): string {
  const head = `${report.dryRun ? 'Prompts due' : 'Prompt run for'} ${formatLongDate(report.date)}: ${
    report.lines.length === 0
      ? 'none.'
      : Object.entries(report.totals)
          .map(([k, v]) => `${v} ${OUTCOME_TEXT[k] ?? k}`)
          .join(', ')
  }`;
  return [
    head,
    ...report.lines.map(lineText),
    ...(report.recovered ? [`  ${report.recovered} interrupted send(s) from an earlier run marked uncertain (not re-sent).`] : []),
  ].join('\n');
}

export function registerPrompts(program: Command): void {
  program
    .command('prompts')
    .description(
      "send the day's prompts to leads (28/14/7 days before a milestone, on the day, weekly when overdue); idempotent through the send ledger",
    )
    .option('--date <YYYY-MM-DD>', 'the day to run for (London); default today')
    .option('--dry-run', 'list what would be sent; send and record nothing')
    .option('--json', 'print the run report as JSON')
    .option(
      '--plan <file>',
      'read the plan from this document instead of the store (dry run only); used by default when the store is empty',
    )
    .option('--plan-id <id>', 'only this plan')
    .action(
      action(async (opts: { date?: string; dryRun?: boolean; json?: boolean; plan?: string; planId?: string }) => {
        const date = parseDateOption(opts.date, new Date());
        const ctx = await openBotCli({ ...(opts.plan ? { plan: opts.plan } : {}), at: londonInstant(date, 12), sending: !opts.dryRun });
        try {
          ctx.clock.set(londonInstant(date, ctx.config.PROMPT_HOUR));
          const report = await ctx.runtime.bot.runPrompts(date, {
            dryRun: !!opts.dryRun,
            ...(opts.planId ? { planId: opts.planId } : {}),
          });
          process.stdout.write(
            opts.json ? `${JSON.stringify({ ...report, prompts: report.lines, lines: undefined }, null, 2)}\n` : `${promptsText(report)}\n`,
          );
          if (report.lines.some((l) => l.outcome === 'failed' || l.outcome === 'uncertain')) process.exitCode = 1;
        } finally {
          await ctx.close();
        }
      }),
    );
}
