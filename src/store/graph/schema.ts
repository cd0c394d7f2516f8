/**
 * The SharePoint lists that hold plans, as Graph columnDefinitions. One source for provisioning and
 * for the store. Column JSON follows https://learn.microsoft.com/en-us/graph/api/resources/columndefinition
 * (type facets: text, number, choice, dateTime, personOrGroup; `indexed`, `enforceUniqueValues`),
 * lists are created as in https://learn.microsoft.com/en-us/graph/api/list-create (genericList, with a Title column).
 *
 * Every column the store filters on is indexed: Graph refuses `$filter` on a non-indexed column
 * unless the request sends `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`, and such queries
 * "may fail on large lists" (https://learn.microsoft.com/en-us/graph/api/listitem-list). Graph filters
 * on one indexed field at a time, so each lookup has a single column of its own (`ItemRef`, `RoleRef`, `UpdateId`).
 * The app's own copy of each record is kept as JSON (`DocJson`, `PlanJson`, `PeopleJson`) so that
 * nothing is lost to SharePoint's column limits; the typed columns are for people using the lists.
 */
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';

export type ColumnDefinition = Record<string, unknown> & { name: string };

export interface ListDefinition {
  /** Key used in code. */
  key: 'plans' | 'items' | 'updates' | 'leads';
  displayName: string;
  description: string;
  columns: ColumnDefinition[];
}

const text = (name: string, extra: Record<string, unknown> = {}): ColumnDefinition => ({ name, text: { maxLength: 255 }, ...extra });
const note = (name: string): ColumnDefinition => ({ name, text: { allowMultipleLines: true, linesForEditing: 6, textType: 'plain' } });
const number = (name: string, extra: Record<string, unknown> = {}): ColumnDefinition => ({
  name,
  number: { decimalPlaces: 'automatic' },
  ...extra,
});
const date = (name: string, extra: Record<string, unknown> = {}): ColumnDefinition => ({
  name,
  dateTime: { displayAs: 'default', format: 'dateOnly' },
  ...extra,
});
const instant = (name: string, extra: Record<string, unknown> = {}): ColumnDefinition => ({
  name,
  dateTime: { displayAs: 'default', format: 'dateTime' },
  ...extra,
});
const choice = (name: string, choices: string[], extra: Record<string, unknown> = {}): ColumnDefinition => ({
  name,
  choice: { allowTextEntry: false, choices, displayAs: 'dropDownMenu' },
  ...extra,
});
const indexed = { indexed: true };
const unique = { indexed: true, enforceUniqueValues: true };

export const RAG_CHOICES = RAG_VALUES.map((r) => RAG_LABELS[r]);

export function ragLabel(rag: Rag): string {
  return RAG_LABELS[rag];
}

export function ragFromLabel(label: unknown): Rag {
  const found = RAG_VALUES.find((r) => RAG_LABELS[r] === label);
  return found ?? 'not-reported';
}

export const LISTS: readonly ListDefinition[] = [
  {
    key: 'plans',
    displayName: 'Delivery Plans',
    description: 'Delivery plans held by the Delivery Plan app (one row per plan).',
    columns: [text('PlanId', unique), text('Organisation'), date('PeriodStart'), date('PeriodEnd'), note('PlanJson')],
  },
  {
    key: 'items',
    displayName: 'Delivery Plan Items',
    description: 'Actions and projects of each delivery plan, with their RAG status.',
    columns: [
      text('PlanId', indexed),
      text('ItemRef', unique),
      text('ItemKey'),
      choice('Kind', ['action', 'project']),
      choice('Status', RAG_CHOICES, indexed),
      date('Due', indexed),
      date('Start'),
      note('Milestones'),
      number('Target'),
      text('Leads'),
      text('Objectives'),
      text('Timescale'),
      number('Position'),
      note('DocJson'),
      text('DocHash'),
      note('LastUpdateJson'),
      instant('LastReportedAt'),
      text('LastReportedBy'),
      text('LastUpdateId'),
      note('RevisionsJson'),
    ],
  },
  {
    key: 'updates',
    displayName: 'Delivery Plan Updates',
    description: 'History of every status report: who, when, old and new RAG, note and output figures.',
    columns: [
      text('PlanId', indexed),
      text('ItemRef', indexed),
      text('UpdateId', unique),
      instant('At', indexed),
      text('By'),
      choice('FromStatus', RAG_CHOICES),
      choice('ToStatus', RAG_CHOICES),
      note('Note'),
      note('FiguresJson'),
      date('RevisedDate'),
      note('RecordJson'),
    ],
  },
  {
    key: 'leads',
    displayName: 'Delivery Plan Leads',
    description: 'Who answers for each lead role of a plan.',
    columns: [
      text('PlanId', indexed),
      text('RoleRef', unique),
      {
        name: 'People',
        personOrGroup: { allowMultipleSelection: true, chooseFromType: 'peopleOnly', displayAs: 'nameWithPresence' },
      },
      note('PeopleJson'),
    ],
  },
];

export type ListIds = Record<ListDefinition['key'], string>;

/** The type facet a column definition declares (text, number, choice…). */
export function columnType(column: Record<string, unknown>): string | undefined {
  return ['text', 'number', 'choice', 'dateTime', 'boolean', 'personOrGroup', 'currency', 'lookup', 'calculated'].find(
    (t) => column[t] !== undefined && column[t] !== null,
  );
}

/**
 * How a column as SharePoint reports it (https://learn.microsoft.com/en-us/graph/api/resources/columndefinition:
 * its type facet, `indexed`, `enforceUniqueValues`) differs from what the app needs; empty when it
 * will do. An index or uniqueness the app did not ask for is harmless unless it makes repeated
 * values impossible.
 */
export function columnProblems(present: Record<string, unknown> | undefined, wanted: ColumnDefinition): string[] {
  if (!present) return ['is missing'];
  const problems: string[] = [];
  const [has, needs] = [columnType(present), columnType(wanted)];
  if (has !== needs) problems.push(`is of type ${has ?? 'unknown'}, not ${needs ?? 'unknown'}`);
  if (wanted.indexed && !present.indexed) problems.push('is not indexed, so every read filtered on it is refused (400)');
  if (wanted.enforceUniqueValues && !present.enforceUniqueValues)
    problems.push('does not enforce unique values, so a retried write could add a second row');
  if (!wanted.enforceUniqueValues && present.enforceUniqueValues)
    problems.push('enforces unique values, but the app writes the same value on many rows');
  return problems;
}
