/** `dplan prompts`: the prompts due on a day (sent, or listed with --dry-run). */
import type { Command } from 'commander';
import { formatLongDate } from '../../domain/calendar';
import { dayCount, plural } from '../../domain/words';
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

/** Why an item is asked, in a few words: "check-in for Q2 2018-19", "milestone Sunday 30 September 2018 (in 14 days)". */
export function reasonText(l: Pick<PromptLine, 'reason' | 'milestone' | 'daysUntil' | 'period' | 'deputy'>): string {
  const deputy = l.deputy
    ? ` (as deputy: ${l.deputy === 'lead-away' ? 'the lead is away' : l.deputy === 'no-lead' ? 'no lead named' : 'no answer for a week'})`
    : '';
  if (l.reason === 'check-in') return `check-in for ${l.period ?? 'the period'}${deputy}`;
  const when = l.milestone ? formatLongDate(l.milestone) : 'no date';
  if (l.reason === 'overdue') return `overdue since ${when}${deputy}`;
  const days = l.daysUntil ?? 0;
  return `milestone ${when} (${days === 0 ? 'due today' : `in ${dayCount(days)}`})${deputy}`;
}

function lineText(l: PromptLine): string {
  return `    "${l.itemTitle}" [${l.itemKey}]: ${reasonText(l)}${l.onCard === false ? ' (beyond the card: linked to My actions)' : ''}`;
}

export function promptsText(report: PromptRunReport): string {
  const head = `${report.dryRun ? 'Cards due' : 'Prompt run for'} ${formatLongDate(report.date)}: ${
    report.cards.length === 0
      ? 'none.'
      : Object.entries(report.totals)
          .map(([k, v]) => `${v} ${OUTCOME_TEXT[k] ?? k}`)
          .join(', ')
  }`;
  const out = [head];
  for (const card of report.cards) {
    const lines = report.lines.filter((l) => l.promptId === card.promptId);
    const who = card.outcome === 'no-person' ? `${card.name} (${NOBODY_TEXT})` : `${card.name} (${lines[0]?.role ?? ''})`;
    out.push(
      `  ${OUTCOME_TEXT[card.outcome] ?? card.outcome}: ${who}: ${plural(lines.length, 'item')}${card.detail && card.outcome !== 'no-person' ? ` (${card.detail})` : ''}`,
    );
    out.push(...lines.map(lineText));
  }
  if (report.recovered) out.push(`  ${report.recovered} interrupted send(s) from an earlier run marked uncertain (not re-sent).`);
  return out.join('\n');
}

const NOBODY_TEXT = 'nobody in the directory for this role';

export function registerPrompts(program: Command): void {
  program
    .command('prompts')
    .description(
      "send the day's cards: one per person, with every item they are asked about (check-ins, milestone reminders, overdue); idempotent through the send ledger",
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
