/**
 * The spreadsheet layout `dplan export` writes and `dplan import` reads back (CSV and XLSX share
 * it). One sheet, one row per record, the first column saying what the row is:
 *
 *   Plan           – Title, Organisation, Period start, Period end
 *   Objective      – Number, Title
 *   Recommendation – Number, Title (the recommendation's text), Source
 *   Item           – everything else; list cells (Outcomes, Outputs, Output targets, Leads,
 *                    Revised milestones) hold one entry per line.
 *
 * Every field the importer reads is written, so import(export(plan)) is the plan: output targets
 * ("25 sessions", "500+ reached", "none", one line per output), revised milestones
 * ("2018-08-31 → 2019-01-31 (by …, at …)"), the owner role and the cadence of recurring items
 * (the Recurring cell says "yes", "monthly", "quarterly" or "annually"). Columns may come in any
 * order; the columns added later (Owner, Output targets, Revised milestones) may be missing, as in
 * older exports, and are then derived as before.
 *
 * Cells that a spreadsheet would run as a formula (starting =, +, -, @, tab or CR) are written with
 * a leading apostrophe and read back without it, so an exported plan can be opened safely and
 * still round-trips exactly.
 */
import { PlanFormatError } from '../errors';
import { itemKeyOf } from '../domain/identity';
import { splitLeads } from '../domain/leads';
import type { Cadence, ImportWarning, ItemKind, MilestoneRevision, Output, ParsedPlan, Plan, PlanItem } from '../domain/model';
import { CADENCES, RAG_LABELS } from '../domain/model';
import { parseOutput } from '../domain/outputs';
import { checkItemCount, planWarnings } from './checks';
import { LIMITS } from './limits';
import { statusOf } from './status';

export const COLUMNS = [
  'Record',
  'Number',
  'Key',
  'Kind',
  'Objectives',
  'Title',
  'Description',
  'Outcomes',
  'Outputs',
  'Output targets',
  'Timescale',
  'Milestones',
  'Revised milestones',
  'Start',
  'Recurring',
  'Leads',
  'Owner',
  'Provider',
  'Recommendations',
  'RAG status',
  'Organisation',
  'Period start',
  'Period end',
  'Source',
  'Title derived',
  'Last update',
  'Last update by',
  'Latest note',
] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Columns older exports lack: read when present, derived when not. The last three say how each item
 * was last reported, for the people reading the export; an import does not read them (a plan's
 * history comes only from reports, and the RAG status column carries the status).
 */
const LATER_COLUMNS = new Set<Column>(['Output targets', 'Revised milestones', 'Owner', 'Last update', 'Last update by', 'Latest note']);

/** How an item was last reported, for an export: when (as people read it), by whom, and the latest note given. */
export interface ItemReport {
  at?: string;
  by?: string;
  note?: string;
}

/** Columns holding one date: an XLSX may hold them as date cells or serial numbers. */
export const DATE_COLUMNS = new Set<string>(['Milestones', 'Start', 'Period start', 'Period end']);

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralises spreadsheet formula injection (OWASP CSV injection): "=HYPERLINK(…)" → "'=HYPERLINK(…)". */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Undoes `neutraliseFormula` on read. */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * "25 sessions", "500+ reached", "95 %", "none" (no target): one output's target as a line. "none"
 * rather than "-", so that no line of the cell starts like a formula.
 */
export function targetLine(output: Output): string {
  const value = output.target === undefined ? 'none' : String(output.target);
  return `${value}${output.atLeast ? '+' : ''}${output.unit !== undefined ? ` ${output.unit}` : ''}`;
}

const TARGET_LINE = /^(?:(none|-)|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?))(\+)?(?:\s+(.*\S))?$/i;

/** A revised milestone as a line: "2018-08-31 → 2019-01-31 (by Casey Comms, at 2018-09-05T10:00:00.000Z)". */
export function revisionLine(r: MilestoneRevision): string {
  return `${r.milestone} \u2192 ${r.to} (by ${r.by}, at ${r.at})`;
}

const REVISION_LINE = /^(\d{4}-\d{2}-\d{2})\s*(?:\u2192|->)\s*(\d{4}-\d{2}-\d{2})\s*\(by (.*), at ([^\s,()]+)\)$/;

function row(values: Partial<Record<Column, string>>): string[] {
  return COLUMNS.map((c) => neutraliseFormula(values[c] ?? ''));
}

/** A plan as rows of cells (header first), ready for CSV or XLSX; `reports` fills the report columns. */
export function planToRows(plan: Plan, reports?: (item: PlanItem) => ItemReport | undefined): string[][] {
  const rows: string[][] = [[...COLUMNS]];
  rows.push(
    row({
      Record: 'Plan',
      Title: plan.plan.title,
      Organisation: plan.plan.organisation,
      'Period start': plan.plan.periodStart,
      'Period end': plan.plan.periodEnd,
    }),
  );
  for (const o of plan.objectives) rows.push(row({ Record: 'Objective', Number: String(o.number), Title: o.title }));
  for (const r of plan.recommendations)
    rows.push(row({ Record: 'Recommendation', Number: String(r.number), Title: r.text, Source: r.source ?? '' }));
  for (const item of plan.items) {
    const report = reports?.(item);
    rows.push(
      row({
        'Last update': report?.at ?? '',
        'Last update by': report?.by ?? '',
        'Latest note': report?.note ?? '',
        Record: 'Item',
        Key: item.key,
        Kind: item.kind,
        Objectives: item.objectives.join(', '),
        Title: item.title,
        'Title derived': item.titleDerived ? 'yes' : '',
        Description: item.description ?? '',
        Outcomes: item.outcomes.join('\n'),
        Outputs: item.outputs.map((o) => o.text).join('\n'),
        'Output targets': item.outputs.map(targetLine).join('\n'),
        Timescale: item.timescale,
        Milestones: item.milestones.join(', '),
        'Revised milestones': (item.revisions ?? []).map(revisionLine).join('\n'),
        Start: item.start ?? '',
        Recurring: item.recurring ? (item.cadence ?? 'yes') : '',
        Leads: item.leads.join('\n'),
        Owner: item.owner ?? '',
        Provider: item.provider ?? '',
        Recommendations: item.recommendations.join(', '),
        'RAG status': RAG_LABELS[item.status],
      }),
    );
  }
  return rows;
}

function list(cell: string): string[] {
  return cell
    .split(/\r?\n|\r/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Excel's day count (1900 date system, with its phantom 29 February 1900) → ISO date. */
export function excelSerialToIso(serial: number, date1904 = false): string {
  const days = Math.floor(serial) + (date1904 ? 24107 : -25569);
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

export interface RowsOptions {
  file: string;
  /** Source line of row i (CSV lines, XLSX row numbers). */
  lineOf?: (rowIndex: number) => number;
  /** Whole numbers in date columns are Excel date serials (XLSX). */
  serialDates?: boolean;
  date1904?: boolean;
}

/** Rows (header first) back into a plan. */
export function rowsToPlan(rows: string[][], options: RowsOptions): ParsedPlan {
  const { file } = options;
  const lineOf = options.lineOf ?? ((i: number) => i + 1);
  const fail = (line: number, message: string): never => {
    throw new PlanFormatError(line, message, file);
  };
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header[0]?.toLowerCase() !== 'record')
    fail(
      lineOf(0),
      `not a plan export: the first column must be "Record" (found "${header[0] ?? ''}"); expected the columns ${COLUMNS.filter((c) => !LATER_COLUMNS.has(c)).join(', ')}`,
    );
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const column = COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
    if (column && !index.has(column)) index.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !index.has(c) && !LATER_COLUMNS.has(c));
  if (missing.length > 0) fail(lineOf(0), `not a plan export: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  checkItemCount(rows.length - 1, () => lineOf(LIMITS.maxItems + 1), file);

  const warnings: ImportWarning[] = [];
  const plan: Plan = {
    plan: { title: '', organisation: '', periodStart: '', periodEnd: '' },
    objectives: [],
    recommendations: [],
    items: [],
  };
  let sawPlan = false;
  const keys = new Set<string>();

  const numbers = (cell: string, line: number, column: string): number[] => {
    if (cell.trim() === '') return [];
    return cell.split(/\s*[,;&]\s*/).map((n) => {
      const value = Number(n);
      if (!Number.isInteger(value) || value < 0) fail(line, `${column} "${cell}" is not a list of whole numbers`);
      return value;
    });
  };

  const date = (text: string, line: number, column: string): string => {
    let d = text.trim();
    if (options.serialDates && /^\d{1,6}(?:\.\d+)?$/.test(d) && Number(d) >= 1 && Number(d) < 2_958_466)
      d = excelSerialToIso(Number(d), options.date1904);
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(d);
    if (uk) d = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m) fail(line, `${column} "${text}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    const [y, mo, da] = [Number(m![1]), Number(m![2]), Number(m![3])];
    const check = new Date(Date.UTC(y, mo - 1, da));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da)
      fail(
        line,
        `${column} "${text}" is not a real date (${mo < 1 || mo > 12 ? `there is no month ${mo}` : `there is no ${da} ${monthName(mo)} ${y}`})`,
      );
    return d;
  };
  const dates = (cell: string, line: number, column: string): string[] =>
    cell.trim() === ''
      ? []
      : cell
          .split(/\s*[,;\n]\s*/)
          .filter((d) => d !== '')
          .map((d) => date(d, line, column));

  rows.slice(1).forEach((cells, i) => {
    const line = lineOf(i + 1);
    if (cells.length > LIMITS.maxColumns) fail(line, `the row has ${cells.length} cells; more than ${LIMITS.maxColumns} are not read`);
    const getRaw = (c: Column) => (index.has(c) ? restoreFormula(cells[index.get(c)!] ?? '') : '');
    const get = (c: Column) => getRaw(c).trim();
    if (cells.every((c) => c.trim() === '')) return;
    const record = get('Record');
    switch (record.toLowerCase()) {
      case 'plan':
        if (sawPlan) fail(line, 'a second Plan row: an export holds one plan');
        sawPlan = true;
        plan.plan = {
          title: get('Title'),
          organisation: get('Organisation'),
          periodStart: get('Period start') ? date(get('Period start'), line, 'Period start') : '',
          periodEnd: get('Period end') ? date(get('Period end'), line, 'Period end') : '',
        };
        if (!plan.plan.title || !plan.plan.periodStart || !plan.plan.periodEnd)
          fail(line, 'the Plan row needs a Title, a Period start and a Period end');
        if (plan.plan.periodEnd < plan.plan.periodStart)
          fail(line, `the plan's period ends (${plan.plan.periodEnd}) before it starts (${plan.plan.periodStart})`);
        break;
      case 'objective': {
        const [n] = numbers(get('Number'), line, 'Number');
        if (n === undefined) fail(line, 'an Objective row needs a Number');
        if (plan.objectives.some((o) => o.number === n)) fail(line, `objective ${n} is listed twice`);
        plan.objectives.push({ number: n!, title: get('Title') });
        break;
      }
      case 'recommendation': {
        const [n] = numbers(get('Number'), line, 'Number');
        if (n === undefined) fail(line, 'a Recommendation row needs a Number');
        const source = get('Source');
        plan.recommendations.push({ number: n!, text: get('Title'), ...(source ? { source } : {}) });
        break;
      }
      case 'item': {
        const kind = get('Kind').toLowerCase() as ItemKind;
        if (kind !== 'action' && kind !== 'project') fail(line, `Kind "${get('Kind')}" must be "action" or "project"`);
        const title = get('Title');
        if (!title) fail(line, 'an Item row needs a Title');
        const statusText = get('RAG status');
        const status = statusOf(statusText);
        if (!status) fail(line, `RAG status "${statusText}" is not Red, Amber, Green, Complete, Not started or empty`);
        const objectives = numbers(get('Objectives'), line, 'Objectives');
        const outcomes = list(getRaw('Outcomes'));
        const texts = list(getRaw('Outputs'));
        const item: PlanItem = {
          key: get('Key') || itemKeyOf(kind, objectives, title, outcomes),
          kind,
          objectives,
          title,
          outcomes,
          outputs: readOutputs(texts, getRaw('Output targets'), line),
          timescale: get('Timescale'),
          milestones: [...new Set(dates(get('Milestones'), line, 'Milestones'))].sort(),
          leads: splitLeads(get('Leads')),
          recommendations: numbers(get('Recommendations'), line, 'Recommendations'),
          status: status!,
          line,
        };
        if (keys.has(item.key)) fail(line, `Key "${item.key}" appears twice`);
        keys.add(item.key);
        const description = get('Description');
        if (description) item.description = description;
        const start = get('Start') ? date(get('Start'), line, 'Start') : undefined;
        if (start) item.start = start;
        const recurring = get('Recurring').toLowerCase();
        if ((CADENCES as readonly string[]).includes(recurring)) {
          item.recurring = true;
          item.cadence = recurring as Cadence;
        } else if (/^(yes|true|y|1|ongoing)$/.test(recurring)) item.recurring = true;
        else if (!/^(|no|false|n|0)$/.test(recurring))
          fail(line, `Recurring "${get('Recurring')}" must be empty, "yes", "monthly", "quarterly" or "annually"`);
        if (/^(yes|true|y|1)$/i.test(get('Title derived'))) item.titleDerived = true;
        const owner = get('Owner');
        if (owner) item.owner = owner;
        const provider = get('Provider');
        if (provider) item.provider = provider;
        const revisions = list(getRaw('Revised milestones')).map((text) => {
          const m = REVISION_LINE.exec(text);
          if (!m) fail(line, `Revised milestones "${text}" is not "YYYY-MM-DD → YYYY-MM-DD (by who, at when)"`);
          const at = m![4]!;
          if (Number.isNaN(Date.parse(at))) fail(line, `Revised milestones: "${at}" is not an instant (ISO 8601)`);
          return { milestone: date(m![1]!, line, 'Revised milestones'), to: date(m![2]!, line, 'Revised milestones'), by: m![3]!, at };
        });
        if (revisions.length) item.revisions = revisions;
        plan.items.push(item);
        break;
      }
      default:
        fail(line, `Record "${record}" is not Plan, Objective, Recommendation or Item`);
    }
  });
  if (!sawPlan) fail(lineOf(rows.length - 1), 'no Plan row: an export starts with the plan title and period');
  if (plan.items.length === 0) warnings.push({ line: lineOf(rows.length - 1), message: 'the file holds no items' });
  warnings.push(...planWarnings(plan));
  return { ...plan, warnings: warnings.sort((a, b) => a.line - b.line) };

  function readOutputs(texts: string[], targetsCell: string, line: number): Output[] {
    if (!index.has('Output targets') || targetsCell.trim() === '') return texts.map(parseOutput);
    const targets = list(targetsCell);
    if (targets.length !== texts.length)
      fail(
        line,
        `Output targets has ${targets.length} line${targets.length === 1 ? '' : 's'} for ${texts.length} output${texts.length === 1 ? '' : 's'}: give one line per output ("none" for an output with no target)`,
      );
    return texts.map((text, i) => {
      const m = TARGET_LINE.exec(targets[i]!);
      if (!m)
        fail(
          line,
          `Output target "${targets[i]}" is not a number with an optional "+" and unit (such as "25 sessions", "500+ reached" or "none")`,
        );
      const output: Output = { text };
      if (m![2] !== undefined) output.target = Number(m![2]);
      if (m![4] !== undefined) output.unit = m![4];
      if (m![3]) output.atLeast = true;
      return output;
    });
  }
}

function monthName(month: number): string {
  return new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
}
