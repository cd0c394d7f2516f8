/**
 * The Plan view's filters and sort. Search is always shown; on a phone the other filters fold away
 * behind a "Filters" button that says how many are set, so that the first items are on the first
 * screen. The filters, what counts as set, and the query the API and the export take for them.
 *
 * A keystroke in Search renders the search box and the list in the keystroke's own event, so the
 * result is on the next frame. The other filters are memoised apart from Clear, so that the first
 * keystroke (which enables Clear) does not render them.
 */
import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { Filter20Regular } from '@fluentui/react-icons';
import { memo, useCallback, useId, useState, type ReactElement } from 'react';
import {
  DUE_WINDOWS,
  DUE_WINDOW_LABELS,
  SORT_KEYS,
  type DueWindow,
  type ItemFilter,
  type SortDirection,
  type SortKey,
} from '../../domain/filters';
import { roleKey } from '../../domain/leads';
import { RAG_LABELS, RAG_VALUES, type Objective, type Rag } from '../../domain/model';

export interface Filters {
  objective: string;
  lead: string;
  status: '' | Rag;
  due: DueWindow;
  text: string;
  sort: SortKey;
  dir: SortDirection;
}

export const NO_FILTERS: Filters = { objective: '', lead: '', status: '', due: 'any', text: '', sort: 'plan', dir: 'asc' };

const SORT_LABELS: Record<SortKey, string> = {
  plan: 'Plan order',
  title: 'Title',
  due: 'Next milestone',
  status: 'Status (most urgent first)',
  updated: 'Last update',
  lead: 'Lead',
};

/** Filters other than Search that narrow the list (sort only orders it). */
export function countSet(f: Filters): number {
  return [f.objective, f.lead, f.status, f.due !== 'any' ? f.due : ''].filter(Boolean).length;
}

export function itemFilterOf(f: Filters, windowDays?: number): ItemFilter {
  return {
    ...(f.objective ? { objective: Number(f.objective) } : {}),
    ...(f.lead ? { lead: f.lead } : {}),
    ...(f.status ? { statuses: [f.status] } : {}),
    due: f.due,
    text: f.text,
    ...(windowDays !== undefined ? { windowDays } : {}),
  };
}

/**
 * Filters from a query in queryOf's form (the address keeps the Plan's filters so). A value the plan
 * does not have (an objective it lacks, a lead no item names, a status or order that does not exist)
 * is left unset rather than filtering to nothing under a control that cannot show it; a lead is
 * matched as the filter compares leads, and takes the plan's spelling.
 */
export function filtersOf(query: string, known: { objectives: readonly number[]; leads: readonly string[] }): Filters {
  const q = new URLSearchParams(query);
  const one = <T extends string>(name: string, values: readonly T[]): T | undefined => values.find((v) => v === q.get(name));
  const objective = q.get('objective') ?? '';
  const lead = q.get('lead');
  const wanted = lead ? roleKey(lead) : '';
  return {
    objective: /^\d+$/.test(objective) && known.objectives.includes(Number(objective)) ? String(Number(objective)) : '',
    lead: wanted ? (known.leads.find((l) => roleKey(l) === wanted) ?? '') : '',
    status: one('status', RAG_VALUES) ?? '',
    due: one('due', DUE_WINDOWS) ?? 'any',
    text: q.get('q') ?? '',
    sort: one('sort', SORT_KEYS) ?? 'plan',
    dir: one('dir', ['asc', 'desc'] as const) ?? 'asc',
  };
}

/** The same filters and order as the items API (GET …/items, …/export) takes them. */
export function queryOf(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.objective) q.set('objective', f.objective);
  if (f.lead) q.set('lead', f.lead);
  if (f.status) q.set('status', f.status);
  if (f.due !== 'any') q.set('due', f.due);
  if (f.text.trim()) q.set('q', f.text.trim());
  if (f.sort !== 'plan') q.set('sort', f.sort);
  if (f.dir !== 'asc') q.set('dir', f.dir);
  return q;
}

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'end', marginBottom: '8px' },
  search: { flexGrow: 1, flexBasis: '240px', minWidth: 0, '& input': { minWidth: 0 }, '@media (max-width: 640px)': { flexBasis: '150px' } },
  more: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))',
    gap: '8px 12px',
    alignItems: 'end',
    flexBasis: '100%',
    '& > *': { minWidth: 0 },
    '& .fui-Select': { minWidth: 0, width: '100%' },
    '& select': { minWidth: 0, width: '100%', textOverflow: 'ellipsis' },
  },
  toggle: { '@media (min-width: 641px)': { display: 'none' } },
  // Clear turns on with the first keystroke in Search. Fluent's Button fades its border, background
  // and text colours over 100 ms: six animations the compositor cannot run, so the page painted
  // every frame for them while the person typed on (the first keystrokes after a page load took
  // 20–30 ms longer for it, on a 2,000-item plan). Here the colours change at once.
  clear: { transitionProperty: 'none' },
  folded: { '@media (max-width: 640px)': { display: 'none' } },
  count: {
    marginLeft: '4px',
    minWidth: '20px',
    padding: '0 6px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontWeight: tokens.fontWeightSemibold,
  },
});

export function PlanFilters({
  filters,
  objectives,
  leads,
  onChange,
  onClear,
  replaced = 0,
}: {
  filters: Filters;
  objectives: readonly Objective[];
  leads: readonly string[];
  /** Counts the times the filters were replaced from outside (by the address): the search box then takes their text. */
  replaced?: number;
  /** Kept the same from render to render (useCallback): a keystroke in Search then leaves the other filters alone. */
  onChange<K extends keyof Filters>(key: K, value: Filters[K]): void;
  onClear(): void;
}): ReactElement {
  const styles = useStyles();
  const [unfolded, setUnfolded] = useState(false);
  // Clear empties the search box too: a new box, as the box keeps its own text.
  const [searchBox, setSearchBox] = useState(0);
  const clear = useCallback(() => {
    setSearchBox((n) => n + 1);
    onClear();
  }, [onClear]);
  const panel = useId();
  const set = countSet(filters);
  return (
    <form className={styles.bar} aria-label="Filter and sort items" role="search" onSubmit={(e) => e.preventDefault()}>
      <SearchBox key={`${searchBox}-${replaced}`} initial={filters.text} className={styles.search} onChange={onChange} />
      <Button
        className={styles.toggle}
        icon={<Filter20Regular />}
        aria-expanded={unfolded}
        aria-controls={panel}
        onClick={() => setUnfolded((u) => !u)}
        data-testid="filters-toggle"
      >
        Filters
        {set > 0 && (
          <span className={styles.count} aria-label={`${set} set`}>
            {set}
          </span>
        )}
      </Button>
      <div id={panel} className={`${styles.more} ${unfolded ? '' : styles.folded}`} data-testid="filters-panel">
        <FilterFields
          objective={filters.objective}
          lead={filters.lead}
          status={filters.status}
          due={filters.due}
          sort={filters.sort}
          dir={filters.dir}
          objectives={objectives}
          leads={leads}
          onChange={onChange}
        />
        <div>
          <Button className={styles.clear} onClick={clear} disabled={isCleared(filters)}>
            Clear filters
          </Button>
        </div>
      </div>
    </form>
  );
}

type OnChange = <K extends keyof Filters>(key: K, value: Filters[K]) => void;

/**
 * The search box: its text is its own state, which the view's filters follow in the same event.
 * Not a transition: React renders a transition in 5 ms slices with the browser free to paint between
 * them, so a 10-15 ms list render reached the screen a frame or two after the key (bench: keypress
 * median 32 ms as a transition, 23 ms in the event). `initial` is read once: Clear gives a new box
 * (a new key).
 */
const SearchBox = memo(
  function SearchBox({ initial, className, onChange }: { initial: string; className: string; onChange: OnChange }): ReactElement {
    const [text, setText] = useState(initial);
    return (
      <Field label="Search" className={className}>
        <Input
          type="search"
          value={text}
          onChange={(_e, d) => {
            setText(d.value);
            onChange('text', d.value);
          }}
          placeholder="Words in title, outcomes, outputs…"
          data-testid="filter-text"
        />
      </Field>
    );
  },
  (was, now) => was.className === now.className && was.onChange === now.onChange,
);

function isCleared(f: Filters): boolean {
  return (Object.keys(NO_FILTERS) as Array<keyof Filters>).every((k) => f[k] === NO_FILTERS[k]);
}

/** The filters other than Search: rendered again only when one of them changes, not on a keystroke in Search. */
const FilterFields = memo(function FilterFields({
  objective,
  lead,
  status,
  due,
  sort,
  dir,
  objectives,
  leads,
  onChange,
}: Omit<Filters, 'text'> & {
  objectives: readonly Objective[];
  leads: readonly string[];
  onChange: OnChange;
}): ReactElement {
  return (
    <>
      <Field label="Objective">
        <Select value={objective} onChange={(_e, d) => onChange('objective', d.value)} data-testid="filter-objective">
          <option value="">All objectives</option>
          {objectives.map((o) => (
            <option key={o.number} value={String(o.number)}>
              {`Objective ${o.number}`}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Lead">
        <Select value={lead} onChange={(_e, d) => onChange('lead', d.value)} data-testid="filter-lead">
          <option value="">All leads</option>
          {leads.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Status">
        <Select value={status} onChange={(_e, d) => onChange('status', d.value as Filters['status'])} data-testid="filter-status">
          <option value="">Any status</option>
          {RAG_VALUES.map((r) => (
            <option key={r} value={r}>
              {RAG_LABELS[r]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Due">
        <Select value={due} onChange={(_e, d) => onChange('due', d.value as DueWindow)} data-testid="filter-due">
          {DUE_WINDOWS.map((w) => (
            <option key={w} value={w}>
              {DUE_WINDOW_LABELS[w]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Sort by">
        <Select value={sort} onChange={(_e, d) => onChange('sort', d.value as SortKey)} data-testid="sort-key">
          {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
            <option key={k} value={k}>
              {SORT_LABELS[k]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Order">
        <Select value={dir} onChange={(_e, d) => onChange('dir', d.value as SortDirection)}>
          <option value="asc">Ascending</option>
          <option value="desc">Descending</option>
        </Select>
      </Field>
    </>
  );
});
