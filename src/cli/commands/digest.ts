/** `dplan digest`: the weekly digest card for a day (printed; posted with --send). */
import type { Command } from 'commander';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { formatLongDate } from '../../domain/calendar';
import type { DigestContent } from '../../domain/digest';
import { action } from '../output';
import { londonInstant, openBotCli, parseDateOption } from '../botContext';

export function digestText(d: DigestContent): string {
  const counts = RAG_VALUES.map((r) => `${RAG_LABELS[r]} ${d.counts[r]} (${d.change[r] >= 0 ? '+' : ''}${d.change[r]})`).join(', ');
  return [
    `${d.planTitle}: weekly digest, week to ${formatLongDate(d.date)}`,
    `  ${counts}`,
    `  status changed: ${d.changed.length}; overdue: ${d.overdue.length}; milestones in the next 28 days: ${d.upcoming.length}; did not answer: ${d.unanswered.length}; could not reach: ${d.unreachable.length}`,
    ...d.overdue.slice(0, 10).map((o) => `  overdue: ${o.title} (due ${formatLongDate(o.milestone)}, ${o.daysOverdue} days)`),
    ...d.upcoming.slice(0, 10).map((u) => `  upcoming: ${formatLongDate(u.milestone)}: ${u.title}`),
    ...(d.deepLink ? [`  ${d.deepLink}`] : []),
  ].join('\n');
}

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description(
      'build the weekly digest (RAG counts and change, status changes, overdue, next 28 days, unanswered and unreachable leads); --send posts it',
    )
    .option('--date <YYYY-MM-DD>', 'the digest day (London), at DIGEST_HOUR; default today')
    .option('--json', 'print the digest Adaptive Card JSON (an array when there are several plans)')
    .option('--content', 'print the digest content (not the card) as JSON')
    .option('--send', 'post it to the plan channel and send escalations to co-ordinators (once per day: send ledger)')
    .option('--plan <file>', 'read the plan from this document instead of the store; used by default when the store is empty')
    .option('--plan-id <id>', 'only this plan')
    .action(
      action(async (opts: { date?: string; json?: boolean; content?: boolean; send?: boolean; plan?: string; planId?: string }) => {
        const date = parseDateOption(opts.date, new Date());
        const ctx = await openBotCli({ ...(opts.plan ? { plan: opts.plan } : {}), at: new Date(), sending: !!opts.send });
        try {
          const now = londonInstant(date, ctx.config.DIGEST_HOUR);
          ctx.clock.set(now);
          const reports = await ctx.runtime.bot.runDigest(now, { dryRun: !opts.send, ...(opts.planId ? { planId: opts.planId } : {}) });
          if (opts.json) {
            const cards = reports.map((r) => r.card);
            process.stdout.write(`${JSON.stringify(cards.length === 1 ? cards[0] : cards, null, 2)}\n`);
          } else if (opts.content) {
            const contents = reports.map((r) => r.content);
            process.stdout.write(`${JSON.stringify(contents.length === 1 ? contents[0] : contents, null, 2)}\n`);
          } else {
            process.stdout.write(
              `${reports.map((r) => `${digestText(r.content)}\n  ${opts.send ? `posted: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}` : 'not posted (add --send)'}`).join('\n\n')}\n`,
            );
          }
          if (reports.some((r) => r.outcome === 'failed')) process.exitCode = 1;
        } finally {
          await ctx.close();
        }
      }),
    );
}
