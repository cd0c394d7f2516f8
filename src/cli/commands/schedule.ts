/**
 * `dplan schedule`: what the bot would send in a window, for the configured (or shared) plan,
 * computed by the same code that sends (usecases/schedule.ts → domain/schedule.ts computeDay), without
 * sending or recording anything. It assumes nobody answers in the window.
 */
import type { Command } from 'commander';
import { addDays, daysBetween, formatLongDate, isIsoDate, londonDate } from '../../domain/calendar';
import { SCHEDULE_MAX_DAYS } from '../../domain/schedule';
import { plural } from '../../domain/words';
import { ValidationError } from '../../errors';
import { scheduleInput, scheduleJson, windowOf, type ScheduleJson } from '../../usecases/schedule';
import { openBotCli } from '../botContext';
import { action } from '../output';

function dateOption(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isIsoDate(value)) throw new ValidationError(`--${name}: "${value}" is not a date (YYYY-MM-DD)`, name);
  return value;
}

/** The schedule in words: one line per card, then the totals a co-ordinator checks. */
export function scheduleText(s: ScheduleJson): string {
  const out = [`What the bot would send from ${formatLongDate(s.from)} to ${formatLongDate(s.to)} (if nobody answers):`];
  for (const card of s.cards) {
    const asked = s.requests.filter((r) => r.date === card.date && (r.person ?? r.role) === card.recipient);
    const reasons = new Map<string, number>();
    for (const r of asked) {
      const k = r.reason === 'check-in' ? `check-in ${r.period ?? ''}`.trim() : r.reason;
      reasons.set(k, (reasons.get(k) ?? 0) + 1);
    }
    const why = [...reasons].map(([k, n]) => `${k} ×${n}`).join(', ');
    out.push(
      `  ${formatLongDate(card.date)}: ${card.name}${card.recipient === card.name ? ' (nobody mapped)' : ''}: ${plural(card.itemKeys.length, 'item')} (${why})`,
    );
  }
  const perDay = new Map<string, number>();
  for (const c of s.cards) perDay.set(`${c.recipient}|${c.date}`, (perDay.get(`${c.recipient}|${c.date}`) ?? 0) + 1);
  out.push(
    `${plural(s.cards.length, 'card')}, ${plural(s.requests.length, 'request')}, ${plural(new Set(s.requests.map((r) => r.itemKey)).size, 'item')} asked; at most ${Math.max(0, ...perDay.values())} card a day per recipient.`,
  );
  return out.join('\n');
}

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description(
      'list what the bot would send in a window (cards per person per day, and why each item is asked), computed by the code that sends',
    )
    .option('--from <YYYY-MM-DD>', 'first day (London); default today')
    .option('--to <YYYY-MM-DD>', 'last day; default 90 days after --from')
    .option('--json', 'print { from, to, requests: [...], cards: [...] } as JSON')
    .option('--plan <file>', 'read the plan from this document instead of the store; used by default when the store is empty')
    .option('--plan-id <id>', 'the plan, when the store holds several')
    .action(
      action(async (opts: { from?: string; to?: string; json?: boolean; plan?: string; planId?: string }) => {
        const ctx = await openBotCli({ ...(opts.plan ? { plan: opts.plan } : {}), at: new Date(), sending: false });
        try {
          const from = dateOption('from', opts.from, londonDate(new Date()));
          const to = dateOption('to', opts.to, addDays(from, 90));
          if (to < from) throw new ValidationError(`--to (${to}) is before --from (${from})`, 'to');
          if (daysBetween(from, to) > SCHEDULE_MAX_DAYS)
            throw new ValidationError(`The window is longer than ${SCHEDULE_MAX_DAYS} days: give a shorter one`, 'to');
          const plans = (await ctx.store.listPlans()).filter((p) => !opts.planId || p.id === opts.planId);
          if (plans.length === 0)
            throw new ValidationError(
              opts.planId ? `There is no plan "${opts.planId}" in the store` : 'The store holds no plan',
              'plan-id',
            );
          if (plans.length > 1)
            throw new ValidationError(
              `The store holds ${plans.length} plans: choose one with --plan-id (${plans.map((p) => p.id).join(', ')})`,
              'plan-id',
            );
          const plan = plans[0]!;
          const schedule = scheduleJson(plan.id, windowOf(await scheduleInput(ctx.store, ctx.runtime.settings, plan), from, to));
          process.stdout.write(opts.json ? `${JSON.stringify(schedule, null, 2)}\n` : `${scheduleText(schedule)}\n`);
        } finally {
          await ctx.close();
        }
      }),
    );
}
