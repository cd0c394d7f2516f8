/**
 * The Plan view: items grouped by objective (their first one), each row with title, leads, next
 * milestone, RAG and last update; filters by objective, lead, status, due window and free text; sort;
 * and a detail pane for the selected item.
 */
import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, Print20Regular } from '@fluentui/react-icons';
import { useDeferredValue, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { DUE_WINDOWS, DUE_WINDOW_LABELS, dueState, filterItems, leadRoles, sortItems, type DueWindow, type SortDirection, type SortKey } from '../../domain/filters';
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';
import { ApiError, type StoredItem } from '../api';
import { RagBadge } from '../components/RagBadge';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { ItemDetail } from './ItemDetail';

const SORT_LABELS: Record<SortKey, string> = { plan: 'Plan order', title: 'Title', due: 'Next milestone', status: 'Status (most urgent first)', updated: 'Last update', lead: 'Lead' };

const useStyles = makeStyles({
  filters: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))', gap: '8px 12px', alignItems: 'end', marginBottom: '8px', '& > *': { minWidth: 0 }, '& select': { maxWidth: '100%' } },
  layout: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '16px' },
  layoutWithDetail: { gridTemplateColumns: 'minmax(0, 3fr) minmax(320px, 2fr)', '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
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
  const [selected, setSelected] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const filterStarted = useRef<number | undefined>(undefined);
  const leads = useMemo(() => leadRoles(items).sort((a, b) => a.localeCompare(b, 'en-GB')), [items]);

  const shown = useMemo(() => {
    const filtered = filterItems(
      items,
      {
        ...(filters.objective ? { objective: Number(filters.objective) } : {}),
        ...(filters.lead ? { lead: filters.lead } : {}),
        ...(filters.status ? { statuses: [filters.status] } : {}),
        due: filters.due,
        text: deferredText,
      },
      today,
    );
    return sortItems(filtered, filters.sort, filters.dir, today);
  }, [items, filters.objective, filters.lead, filters.status, filters.due, filters.sort, filters.dir, deferredText, today]);

  const groups = useMemo(
    () =>
      [...plan.objectives]
        .sort((a, b) => a.number - b.number)
        .map((o) => ({ objective: o, items: shown.filter((i) => (i.objectives[0] ?? 0) === o.number) }))
        .filter((g) => g.items.length > 0),
    [plan.objectives, shown],
  );
  const unassigned = shown.filter((i) => !plan.objectives.some((o) => o.number === (i.objectives[0] ?? 0)));

  // Measures for the bench: first render of the plan, and each filter change to its rendered result.
  useLayoutEffect(() => {
    if (!performance.getEntriesByName('dplan:rendered').length) {
      performance.mark('dplan:rendered');
      performance.measure('dplan:render', 'dplan:start', 'dplan:rendered');
    }
    if (filterStarted.current !== undefined) {
      performance.measure('dplan:filter', { start: filterStarted.current, end: performance.now() });
      filterStarted.current = undefined;
    }
  }, [shown]);

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
          <Input type="search" value={filters.text} onChange={(_e, d) => set('text', d.value)} placeholder="Words in title, outcomes, outputs…" data-testid="filter-text" />
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
          <Button onClick={() => { filterStarted.current = performance.now(); setFilters(EMPTY); }} disabled={JSON.stringify(filters) === JSON.stringify(EMPTY)}>
            Clear filters
          </Button>
        </div>
      </form>
      <p className={styles.count} role="status" data-testid="result-count">
        Showing {shown.length} of {items.length} items ({shown.filter((i) => i.kind === 'action').length} actions, {shown.filter((i) => i.kind === 'project').length} projects) in {groups.length + (unassigned.length ? 1 : 0)} objectives
      </p>
      <div className={`${styles.layout} ${selectedItem ? styles.layoutWithDetail : ''}`}>
        <div>
          {groups.map((g) => (
            <ItemGroup key={g.objective.number} id={`objective-${g.objective.number}`} heading={`Objective ${g.objective.number}: ${g.objective.title}`} items={g.items} selected={selected} onSelect={setSelected} />
          ))}
          {unassigned.length > 0 && <ItemGroup id="objective-none" heading="No objective" items={unassigned} selected={selected} onSelect={setSelected} />}
          {shown.length === 0 && <p>No items match these filters. Clear the filters to see the whole plan.</p>}
        </div>
        {selectedItem && <ItemDetail key={selectedItem.key} item={selectedItem} onClose={() => setSelected(undefined)} />}
      </div>
    </div>
  );
}

function ItemGroup({ id, heading, items, selected, onSelect }: { id: string; heading: string; items: StoredItem[]; selected?: string; onSelect(key: string): void }): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  const { today } = usePlan();
  return (
    <section aria-labelledby={`${id}-h`} data-testid="objective-group" className={shared.section}>
      <h3 id={`${id}-h`} className={shared.h3}>
        {heading} <span className={shared.muted}>({items.length} {items.length === 1 ? 'item' : 'items'})</span>
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
            <ItemRow key={item.key} item={item} today={today} selected={item.key === selected} onSelect={onSelect} selectedClass={styles.selectedRow} leadsClass={styles.leads} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ItemRow({ item, today, selected, onSelect, selectedClass, leadsClass }: { item: StoredItem; today: string; selected: boolean; onSelect(key: string): void; selectedClass: string; leadsClass: string }): ReactElement {
  const shared = useShared();
  const due = dueState(item, today);
  return (
    <tr data-testid="item-row" data-key={item.key} data-kind={item.kind} className={selected ? selectedClass : undefined} aria-current={selected ? 'true' : undefined}>
      <th scope="row" style={{ fontWeight: 'normal' }}>
        <button type="button" className={shared.linkButton} onClick={() => onSelect(item.key)} aria-expanded={selected} aria-controls={selected ? 'item-detail' : undefined}>
          {item.title}
        </button>
        <div className={shared.muted}>{item.kind === 'project' ? 'Commissioned project' : 'Action'}</div>
      </th>
      <td>
        {item.leads.length ? (
          <ul className={leadsClass}>
            {item.leads.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : (
          <span className={shared.muted}>{item.provider ? `Provider: ${item.provider}` : 'No lead named'}</span>
        )}
      </td>
      <td>
        {due.overdue ? (
          <span className={shared.overdue}>Overdue since {formatDate(due.overdue)}</span>
        ) : due.next ? (
          formatDate(due.next)
        ) : (
          <span className={shared.muted}>{item.recurring ? 'Ongoing' : item.timescale || 'No date'}</span>
        )}
      </td>
      <td>
        <RagBadge status={item.status} />
      </td>
      <td>{item.lastUpdate ? <>{formatInstant(item.lastUpdate.at)}<div className={shared.muted}>{item.lastUpdate.by}</div></> : <span className={shared.muted}>None yet</span>}</td>
    </tr>
  );
}
