/**
 * Checks every reader applies to the plan it read, whatever the file kind: dates far outside the
 * plan's period, ranges that end before they start, rows that repeat another, objectives and
 * recommendations the plan does not list, and the item limit.
 */
import { PlanFormatError } from '../errors';
import type { ImportWarning, Plan, PlanItem } from '../domain/model';
import { foldText } from '../domain/identity';
import { LIMITS } from './limits';

function shiftYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

function rowFingerprint(item: PlanItem): string {
  return [
    item.kind,
    item.objectives.join(','),
    foldText(item.title),
    foldText(item.outcomes.join('|')),
    foldText(item.outputs.map((o) => o.text).join('|')),
    foldText(item.timescale),
    foldText(item.leads.join('|')),
  ].join('\u0001');
}

/** Refuses a plan over the item limit, naming the first item past it. */
export function checkItemCount(count: number, lineOf: () => number, file: string): void {
  if (count > LIMITS.maxItems)
    throw new PlanFormatError(
      lineOf(),
      `the plan has more than ${LIMITS.maxItems.toLocaleString('en-GB')} items; split it into several plans`,
      file,
    );
}

export function planWarnings(plan: Plan, options: { objectives?: boolean } = {}): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  const from = shiftYears(plan.plan.periodStart, -1);
  const to = shiftYears(plan.plan.periodEnd, 1);
  const objectives = new Set(plan.objectives.map((o) => o.number));
  const seen = new Map<string, number>();
  for (const item of plan.items) {
    const line = item.line ?? 0;
    const far = [...(item.start ? [item.start] : []), ...item.milestones].filter((d) => d < from || d > to);
    for (const date of [...new Set(far)])
      warnings.push({
        line,
        message: `date ${date} is more than a year outside the plan's period (${plan.plan.periodStart} to ${plan.plan.periodEnd}): check the year`,
      });
    const lastDue = item.milestones[item.milestones.length - 1];
    if (item.start && lastDue && lastDue < item.start)
      warnings.push({ line, message: `"${item.timescale}" ends (${lastDue}) before it starts (${item.start})` });
    if (options.objectives !== false && objectives.size > 0)
      for (const n of item.objectives)
        if (!objectives.has(n)) warnings.push({ line, message: `objective ${n} is not in the plan's list of objectives` });
    const fingerprint = rowFingerprint(item);
    const first = seen.get(fingerprint);
    if (first !== undefined) warnings.push({ line, message: `this row repeats the row at line ${first}: imported twice` });
    else seen.set(fingerprint, line);
  }
  return warnings;
}
