/**
 * The spreadsheet layout `dplan export` writes and `dplan import` reads back (CSV and XLSX share
 * it). One sheet, one row per record, the first column saying what the row is:
 *
 *   Record         | Number | Key | Kind | Objectives | Title | Description | Outcomes | Outputs | Timescale |
 *   Milestones | Start | Recurring | Leads | Provider | Recommendations | RAG status | Organisation |
 *   Period start | Period end | Source | Title derived
 *
 *   Plan           – Title, Organisation, Period start, Period end
 *   Objective      – Number, Title
 *   Recommendation – Number, Title (the recommendation's text), Source
 *   Item           – everything else; list cells hold one entry per line; Leads are joined by " / ".
 *
 * Cells that a spreadsheet would run as a formula (starting =, +, -, @, tab or CR) are written with
 * a leading apostrophe and read back without it, so an exported plan can be opened safely and
 * still round-trips exactly.
 */
import { PlanFormatError } from '../errors';
import type { ImportWarning, ItemKind, ParsedPlan, Plan, PlanItem } from '../domain/model';
import { parseRag, RAG_LABELS } from '../domain/model';
import { parseOutput } from '../domain/outputs';
import { splitLeads } from '../domain/leads';

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
  'Timescale',
  'Milestones',
  'Start',
  'Recurring',
  'Leads',
  'Provider',
  'Recommendations',
  'RAG status',
  'Organisation',
  'Period start',
  'Period end',
  'Source',
  'Title derived',
] as const;
type Column = (typeof COLUMNS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralises spreadsheet formula injection (OWASP CSV injection): "=HYPERLINK(…)" → "'=HYPERLINK(…)". */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Undoes `neutraliseFormula` on read. */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function row(values: Partial<Record<Column, string>>): string[] {
  return COLUMNS.map((c) => neutraliseFormula(values[c] ?? ''));
}

/** A plan as rows of cells (header first), ready for CSV or XLSX. */
export function planToRows(plan: Plan): string[][] {
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
    rows.push(
      row({
        Record: 'Item',
        Key: item.key,
        Kind: item.kind,
        Objectives: item.objectives.join(', '),
        Title: item.title,
        'Title derived': item.titleDerived ? 'yes' : '',
        Description: item.description ?? '',
        Outcomes: item.outcomes.join('\n'),
        Outputs: item.outputs.map((o) => o.text).join('\n'),
        Timescale: item.timescale,
        Milestones: item.milestones.join(', '),
        Start: item.start ?? '',
        Recurring: item.recurring ? 'yes' : '',
        Leads: item.leads.join(' / '),
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
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function numbers(cell: string, line: number, column: string): number[] {
  if (cell.trim() === '') return [];
  return cell.split(/\s*[,;&]\s*/).map((n) => {
    const value = Number(n);
    if (!Number.isInteger(value) || value < 0) throw new PlanFormatError(line, `${column} "${cell}" is not a list of whole numbers`);
    return value;
  });
}

function isoDates(cell: string, line: number, column: string): string[] {
  if (cell.trim() === '') return [];
  return cell.split(/\s*[,;]\s*/).map((d) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d)))
      throw new PlanFormatError(line, `${column} "${d}" is not a date (YYYY-MM-DD)`);
    return d;
  });
}

/**
 * Rows (header first) back into a plan. `lineOf(i)` gives the source line of row i for messages
 * (CSV lines, XLSX row numbers).
 */
export function rowsToPlan(rows: string[][], lineOf: (rowIndex: number) => number = (i) => i + 1, file?: string): ParsedPlan {
  const fail = (line: number, message: string): never => {
    throw new PlanFormatError(line, message, file);
  };
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header[0] !== 'Record')
    fail(
      1,
      `not a plan export: the first column must be "Record" (found "${header[0] ?? ''}"); expected the columns ${COLUMNS.join(', ')}`,
    );
  const index = new Map(header.map((h, i) => [h, i]));
  const missing = COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) fail(1, `not a plan export: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const warnings: ImportWarning[] = [];
  const plan: Plan = {
    plan: { title: '', organisation: '', periodStart: '', periodEnd: '' },
    objectives: [],
    recommendations: [],
    items: [],
  };
  let sawPlan = false;
  const keys = new Set<string>();

  rows.slice(1).forEach((cells, i) => {
    const line = lineOf(i + 1);
    const get = (c: Column) => restoreFormula(cells[index.get(c)!] ?? '').trim();
    const getRaw = (c: Column) => restoreFormula(cells[index.get(c)!] ?? '');
    const record = get('Record');
    if (cells.every((c) => c.trim() === '')) return;
    switch (record) {
      case 'Plan':
        if (sawPlan) fail(line, 'a second Plan row: an export holds one plan');
        sawPlan = true;
        plan.plan = {
          title: get('Title'),
          organisation: get('Organisation'),
          periodStart: isoDates(get('Period start'), line, 'Period start')[0] ?? '',
          periodEnd: isoDates(get('Period end'), line, 'Period end')[0] ?? '',
        };
        if (!plan.plan.title || !plan.plan.periodStart || !plan.plan.periodEnd)
          fail(line, 'the Plan row needs a Title, a Period start and a Period end');
        break;
      case 'Objective': {
        const [n] = numbers(get('Number'), line, 'Number');
        if (n === undefined) fail(line, 'an Objective row needs a Number');
        plan.objectives.push({ number: n!, title: get('Title') });
        break;
      }
      case 'Recommendation': {
        const [n] = numbers(get('Number'), line, 'Number');
        if (n === undefined) fail(line, 'a Recommendation row needs a Number');
        const source = get('Source');
        plan.recommendations.push({ number: n!, text: get('Title'), ...(source ? { source } : {}) });
        break;
      }
      case 'Item': {
        const kind = get('Kind') as ItemKind;
        if (kind !== 'action' && kind !== 'project') fail(line, `Kind "${get('Kind')}" must be "action" or "project"`);
        const key = get('Key');
        if (!key) fail(line, 'an Item row needs a Key (exports write one; keep it when editing)');
        if (keys.has(key)) fail(line, `Key "${key}" appears twice`);
        keys.add(key);
        const title = get('Title');
        if (!title) fail(line, 'an Item row needs a Title');
        const statusText = get('RAG status');
        const status = parseRag(statusText);
        if (!status) fail(line, `RAG status "${statusText}" is not Red, Amber, Green, Complete or empty`);
        const item: PlanItem = {
          key,
          kind,
          objectives: numbers(get('Objectives'), line, 'Objectives'),
          title,
          outcomes: list(getRaw('Outcomes')),
          outputs: list(getRaw('Outputs')).map(parseOutput),
          timescale: get('Timescale'),
          milestones: isoDates(get('Milestones'), line, 'Milestones'),
          leads: splitLeads(get('Leads')),
          recommendations: numbers(get('Recommendations'), line, 'Recommendations'),
          status: status!,
          line,
        };
        const description = get('Description');
        if (description) item.description = description;
        const start = isoDates(get('Start'), line, 'Start')[0];
        if (start) item.start = start;
        if (/^(yes|true|y|1)$/i.test(get('Recurring'))) item.recurring = true;
        if (/^(yes|true|y|1)$/i.test(get('Title derived'))) item.titleDerived = true;
        const provider = get('Provider');
        if (provider) item.provider = provider;
        plan.items.push(item);
        break;
      }
      default:
        fail(line, `Record "${record}" is not Plan, Objective, Recommendation or Item`);
    }
  });
  if (!sawPlan) fail(rows.length, 'no Plan row: an export starts with the plan title and period');
  if (plan.items.length === 0) warnings.push({ line: rows.length, message: 'the file holds no items' });
  return { ...plan, warnings };
}
