/**
 * The Plan view: items grouped by objective (their first one), each row with title, leads, next
 * milestone, RAG and last update; filters by objective, lead, status, due window and free text; sort;
 * and a detail pane for the selected item.
 */
import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, Print20Regular } from '@fluentui/react-icons';
import { memo, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import {
  DUE_WINDOWS,
  DUE_WINDOW_LABELS,
  filterItems,
  leadRoles,
  sortItems,
  type DueWindow,
  type SortDirection,
  type SortKey,
} from '../../domain/filters';
import { dueState } from '../../domain/milestones';
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';
import { ApiError, type StoredItem } from '../api';
import { RagBadge } from '../components/RagBadge';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { ItemDetail } from './ItemDetail';

/** Rows rendered at once, then per frame, on large plans. */
const FIRST_ROWS = 150;
const MORE_ROWS = 600;

const SORT_LABELS: Record<SortKey, string> = {
  plan: 'Plan order',
  title: 'Title',
  due: 'Next milestone',
  status: 'Status (most urgent first)',
  updated: 'Last update',
  lead: 'Lead',
};

const useStyles = makeStyles({
  filters: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))',
    gap: '8px 12px',
    alignItems: 'end',
    marginBottom: '8px',
    '& > *': { minWidth: 0 },
    '& .fui-Select': { minWidth: 0, width: '100%' },
    '& select': { minWidth: 0, width: '100%', textOverflow: 'ellipsis' },
  },
  layout: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '16px' },
  layoutWithDetail: {
    gridTemplateColumns: 'minmax(0, 3fr) minmax(320px, 2fr)',
    '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  selectedRow: { boxShadow: `inset 4px 0 0 ${tokens.colorCompoundBrandStroke}`, '& > th': { paddingLeft: '12px' } },
  count: { margin: '4px 0 8px', fontWeight: tokens.fontWeightSemibold },
  leads: { margin: 0, paddingLeft: 0, listStyleType: 'none' },
});

export interface Filters {
  objective: string;
  lead: string;
  status: '' | Rag;
  due: DueWindow;
  text: string;
  sort: SortKey;
  dir: SortDirection;
}

const EMPTY: Filters = { objective: '', lead: '', status: '', due: 'any', text: '', sort: 'plan', dir: 'asc' };

export function PlanView(): ReactElement {
  const { plan, items, today, me, api } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const deferredText = useDeferredValue(filters.text);
  // ?item=<key> opens that item (links from the bot and the digest).
  const [selected, setSelected] = useState<string | undefined>(() => new URLSearchParams(window.location.search).get('item') ?? undefined);
  const [exportError, setExportError] = useState<string>();
  const filterStarted = useRef<number | undefined>(undefined);
  const leads = useMemo(() => leadRoles(items).sort((a, b) => a.localeCompare(b, 'en-GB')), [items]);

  // Sorting and filtering are separate: every row stays mounted and filters only hide rows, so a
  // filter change re-renders just the rows whose visibility changed (fast on 2,000-item plans).
  const windowDays = me.windowDays;
  const sorted = useMemo(
    () => sortItems(items, filters.sort, filters.dir, today, windowDays),
    [items, filters.sort, filters.dir, today, windowDays],
  );
  const shown = useMemo(
    () =>
      filterItems(
        sorted,
        {
          ...(filters.objective ? { objective: Number(filters.objective) } : {}),
          ...(filters.lead ? { lead: filters.lead } : {}),
          ...(filters.status ? { statuses: [filters.status] } : {}),
          due: filters.due,
          text: deferredText,
          ...(windowDays !== undefined ? { windowDays } : {}),
        },
        today,
      ),
    [sorted, filters.objective, filters.lead, filters.status, filters.due, deferredText, today, windowDays],
  );
  const visible = useMemo(() => new Set(shown.map((i) => i.key)), [shown]);

  const groups = useMemo(() => {
    const known = new Set(plan.objectives.map((o) => o.number));
    const list = [...plan.objectives]
      .sort((a, b) => a.number - b.number)
      .map((o) => ({
        id: `objective-${o.number}`,
        heading: `Objective ${o.number}: ${o.title}`,
        items: sorted.filter((i) => (i.objectives[0] ?? 0) === o.number),
      }));
    const none = sorted.filter((i) => !known.has(i.objectives[0] ?? 0));
    if (none.length) list.push({ id: 'objective-none', heading: 'No objective', items: none });
    return list.filter((g) => g.items.length > 0);
  }, [plan.objectives, sorted]);
  const shownGroups = groups.filter((g) => g.items.some((i) => visible.has(i.key))).length;

  // Large plans render progressively: the first rows at once, the rest a chunk per frame, so the
  // page is usable long before the last of 2,000 rows is in the DOM.
  const [limit, setLimit] = useState(FIRST_ROWS);
  useEffect(() => {
    if (limit >= items.length) return;
    const handle = window.setTimeout(() => setLimit((l) => l + MORE_ROWS), 0);
    return () => window.clearTimeout(handle);
  }, [limit, items.length]);
  const rendered = useMemo(() => {
    let budget = limit;
    return groups.map((g) => {
      const take = Math.max(0, Math.min(budget, g.items.length));
      budget -= take;
      return take === g.items.length ? g.items : g.items.slice(0, take);
    });
  }, [groups, limit]);

  // Measures for the bench: first rows and all rows of the plan, and each filter change to its result.
  useLayoutEffect(() => {
    if (!performance.getEntriesByName('dplan:first-rows').length) {
      performance.mark('dplan:first-rows');
      performance.measure('dplan:first-render', 'dplan:start', 'dplan:first-rows');
    }
    if (limit >= items.length && !performance.getEntriesByName('dplan:rendered').length) {
      performance.mark('dplan:rendered');
      performance.measure('dplan:render', 'dplan:start', 'dplan:rendered');
    }
    if (filterStarted.current !== undefined) {
      performance.measure('dplan:filter', { start: filterStarted.current, end: performance.now() });
      filterStarted.current = undefined;
    }
  }, [shown, limit, items.length]);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]): void => {
    filterStarted.current = performance.now();
    setFilters((f) => ({ ...f, [key]: value }));
  };

  const selectedItem = items.find((i) => i.key === selected);

  const download = async (format: 'csv' | 'xlsx'): Promise<void> => {
    setExportError(undefined);
    try {
      const { blob, filename } = await api.download(`/plans/${encodeURIComponent(plan.id)}/export?format=${format}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e instanceof ApiError ? e.message : 'The export failed.');
    }
  };

  return (
    <div>
      <h2 className={shared.h2}>Plan items</h2>
      {me.coordinator && (
        <div className={shared.toolbar} role="group" aria-label="Co-ordinator actions">
          <Button icon={<ArrowDownload20Regular />} onClick={() => void download('csv')}>
            Export CSV
          </Button>
          <Button icon={<ArrowDownload20Regular />} onClick={() => void download('xlsx')}>
            Export XLSX
          </Button>
          <Button icon={<Print20Regular />} as="a" href="#/report">
            Board report
          </Button>
          {exportError && <span role="alert">{exportError}</span>}
        </div>
      )}
      <form className={styles.filters} aria-label="Filter and sort items" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          <Input
            type="search"
            value={filters.text}
            onChange={(_e, d) => set('text', d.value)}
            placeholder="Words in title, outcomes, outputs…"
            data-testid="filter-text"
          />
        </Field>
        <Field label="Objective">
          <Select value={filters.objective} onChange={(_e, d) => set('objective', d.value)} data-testid="filter-objective">
            <option value="">All objectives</option>
            {plan.objectives.map((o) => (
              <option key={o.number} value={String(o.number)}>
                {`Objective ${o.number}`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Lead">
          <Select value={filters.lead} onChange={(_e, d) => set('lead', d.value)} data-testid="filter-lead">
            <option value="">All leads</option>
            {leads.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Status">
          <Select value={filters.status} onChange={(_e, d) => set('status', d.value as Filters['status'])} data-testid="filter-status">
            <option value="">Any status</option>
            {RAG_VALUES.map((r) => (
              <option key={r} value={r}>
                {RAG_LABELS[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Due">
          <Select value={filters.due} onChange={(_e, d) => set('due', d.value as DueWindow)} data-testid="filter-due">
            {DUE_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {DUE_WINDOW_LABELS[w]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Sort by">
          <Select value={filters.sort} onChange={(_e, d) => set('sort', d.value as SortKey)} data-testid="sort-key">
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Order">
          <Select value={filters.dir} onChange={(_e, d) => set('dir', d.value as SortDirection)}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </Select>
        </Field>
        <div>
          <Button
            onClick={() => {
              filterStarted.current = performance.now();
              setFilters(EMPTY);
            }}
            disabled={JSON.stringify(filters) === JSON.stringify(EMPTY)}
          >
            Clear filters
          </Button>
        </div>
      </form>
      <p className={styles.count} role="status" data-testid="result-count">
        Showing {shown.length} of {items.length} items ({shown.filter((i) => i.kind === 'action').length} actions,{' '}
        {shown.filter((i) => i.kind === 'project').length} projects) in {shownGroups} {shownGroups === 1 ? 'objective' : 'objectives'}
      </p>
      <div className={`${styles.layout} ${selectedItem ? styles.layoutWithDetail : ''}`}>
        <div>
          {groups.map((g, i) => (
            <ItemGroup
              key={g.id}
              id={g.id}
              heading={g.heading}
              items={rendered[i] ?? []}
              total={g.items}
              visible={visible}
              selected={selected}
              onSelect={setSelected}
            />
          ))}
          {shown.length === 0 && <p>No items match these filters. Clear the filters to see the whole plan.</p>}
        </div>
        {selectedItem && (
          <ItemDetail
            key={selectedItem.key}
            item={selectedItem}
            onClose={() => {
              const key = selectedItem.key;
              setSelected(undefined);
              // Focus goes back to the row the pane was opened from.
              window.setTimeout(
                () => document.querySelector<HTMLButtonElement>(`[data-testid="item-row"][data-key="${CSS.escape(key)}"] button`)?.focus(),
                0,
              );
            }}
          />
        )}
      </div>
    </div>
  );
}

function ItemGroup({
  id,
  heading,
  items,
  total,
  visible,
  selected,
  onSelect,
}: {
  id: string;
  heading: string;
  items: StoredItem[];
  total: StoredItem[];
  visible: Set<string>;
  selected?: string;
  onSelect(key: string): void;
}): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  const { today, me } = usePlan();
  const count = total.filter((i) => visible.has(i.key)).length;
  const classes = useMemo(
    () => ({ selected: styles.selectedRow, leads: styles.leads, muted: shared.muted, link: shared.linkButton, overdue: shared.overdue }),
    [styles.selectedRow, styles.leads, shared.muted, shared.linkButton, shared.overdue],
  );
  return (
    <section aria-labelledby={`${id}-h`} data-testid="objective-group" className={shared.section} hidden={count === 0}>
      <h3 id={`${id}-h`} className={shared.h3}>
        {heading}{' '}
        <span className={shared.muted}>
          ({count} {count === 1 ? 'item' : 'items'})
        </span>
      </h3>
      <table className={shared.table}>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Leads</th>
            <th scope="col">Next milestone</th>
            <th scope="col">Status</th>
            <th scope="col">Last update</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <ItemRow
              key={item.key}
              item={item}
              today={today}
              windowDays={me.windowDays}
              hidden={!visible.has(item.key)}
              selected={item.key === selected}
              onSelect={onSelect}
              classes={classes}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface RowClasses {
  selected: string;
  leads: string;
  muted: string;
  link: string;
  overdue: string;
}

/** The row element only: a filter change re-renders this (its `hidden`), not the cells. */
const ItemRow = memo(function ItemRow({
  item,
  today,
  windowDays,
  hidden,
  selected,
  onSelect,
  classes,
}: {
  item: StoredItem;
  today: string;
  windowDays?: number;
  hidden: boolean;
  selected: boolean;
  onSelect(key: string): void;
  classes: RowClasses;
}): ReactElement {
  return (
    <tr
      data-testid="item-row"
      data-key={item.key}
      data-kind={item.kind}
      hidden={hidden}
      className={selected ? classes.selected : undefined}
      aria-current={selected ? 'true' : undefined}
    >
      <RowCells item={item} today={today} windowDays={windowDays} selected={selected} onSelect={onSelect} classes={classes} />
    </tr>
  );
});

const RowCells = memo(function RowCells({
  item,
  today,
  windowDays,
  selected,
  onSelect,
  classes,
}: {
  item: StoredItem;
  today: string;
  windowDays?: number;
  selected: boolean;
  onSelect(key: string): void;
  classes: RowClasses;
}): ReactElement {
  const due = dueState(item, today, windowDays);
  return (
    <>
      <th scope="row" style={{ fontWeight: 'normal' }}>
        <button
          type="button"
          className={classes.link}
          onClick={() => onSelect(item.key)}
          aria-expanded={selected}
          aria-controls={selected ? 'item-detail' : undefined}
        >
          {item.title}
        </button>
        <div className={classes.muted}>{item.kind === 'project' ? 'Commissioned project' : 'Action'}</div>
      </th>
      <td>
        {item.leads.length ? (
          <ul className={classes.leads}>
            {item.leads.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : (
          <span className={classes.muted}>{item.provider ? `Provider: ${item.provider}` : 'No lead named'}</span>
        )}
      </td>
      <td>
        {due.overdue ? (
          <span className={classes.overdue}>Overdue since {formatDate(due.overdue)}</span>
        ) : due.next ? (
          formatDate(due.next)
        ) : (
          <span className={classes.muted}>{item.recurring ? 'Ongoing' : item.timescale || 'No date'}</span>
        )}
      </td>
      <td>
        <RagBadge status={item.status} />
      </td>
      <td>
        {item.lastUpdate ? (
          <>
            {formatInstant(item.lastUpdate.at)}
            <div className={classes.muted}>{item.lastUpdate.by}</div>
          </>
        ) : (
          <span className={classes.muted}>None yet</span>
        )}
      </td>
    </>
  );
});
