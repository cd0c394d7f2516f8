/**
 * The Plan view: items grouped by objective (their first one) as a table, or as cards on a phone;
 * filters by objective, lead, status, due window and free text; sort; export of what is on screen;
 * and the detail of an item in a drawer over the list.
 *
 * Fast on 2,000 items: each item's searchable text is folded once, when the browser is idle after the
 * first rows have painted (domain/filters prepareForFilters), so a keystroke folds only what was
 * typed; filtering 2,000 items then takes a few milliseconds, and only the rows near the screen are
 * in the document (ItemList), so a filter change renders in its own event and is on the next frame.
 */
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, Print20Regular } from '@fluentui/react-icons';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { filterItems, leadRoles, prepareForFilters, sortItems } from '../../domain/filters';
import { ApiError } from '../api';
import { ItemList, type ItemGroup } from '../components/ItemList';
import { NO_FILTERS, PlanFilters, filtersOf, itemFilterOf, queryOf, type Filters } from '../components/PlanFilters';
import { usePlan } from '../context';
import { useShared } from '../styles';

/** The detail (drawer, forms, dialogs) loads when an item is first opened. */
const ItemDrawer = lazy(() => import('./ItemDetail').then((m) => ({ default: m.ItemDrawer })));

const useStyles = makeStyles({
  count: { margin: '4px 0 8px', fontWeight: tokens.fontWeightSemibold },
  // On a phone the Board report is in the views' menu already.
  wideOnly: { '@media (max-width: 640px)': { display: 'none' } },
});

export type { Filters } from '../components/PlanFilters';

/** Runs `work` when the browser is idle (soon, where it cannot tell); returns the function that cancels it. */
function whenIdle(work: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(work, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(work, 50);
  return () => window.clearTimeout(timer);
}

/** Saves a file the API sends (the export) under the name it gives. */
function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How long the filters stay unchanged before the address takes them (not on every keystroke in Search). */
const ADDRESS_AFTER_MS = 300;

/**
 * `query`: the filters in the address (`#/plan?status=red`, from a dashboard link, a reload or Back);
 * `onQuery` puts the filters on screen there, once they have stayed unchanged a moment.
 */
export function PlanView({ query = '', onQuery }: { query?: string; onQuery?(query: string): void }): ReactElement {
  const { plan, items, today, me, api, openKey, openItem, closeItem } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const leads = useMemo(() => leadRoles(items).sort((a, b) => a.localeCompare(b, 'en-GB')), [items]);
  const known = useMemo(() => ({ objectives: plan.objectives.map((o) => o.number), leads }), [plan.objectives, leads]);
  const [filters, setFilters] = useState<Filters>(() => (query ? filtersOf(query, known) : NO_FILTERS));
  const [replaced, setReplaced] = useState(0);
  const [exportError, setExportError] = useState<string>();
  const changeFilter = useCallback(<K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value })), []);
  const clearFilters = useCallback(() => setFilters(NO_FILTERS), []);
  const windowDays = me.windowDays;

  // The filters and the address follow each other. The address changes under the view only by a link
  // or Back (then its filters apply); the view writes it when its filters have settled, replacing the
  // history entry: writing on each keystroke would add a render of the whole tab to every one.
  const written = useRef(query);
  const current = useRef(filters);
  current.current = filters;
  useEffect(() => {
    if (query === written.current) return;
    written.current = query;
    setFilters(filtersOf(query, known));
    setReplaced((n) => n + 1);
  }, [query, known]);
  const write = useCallback(() => {
    const next = queryOf(current.current).toString();
    if (!onQuery || next === written.current) return;
    written.current = next;
    onQuery(next);
  }, [onQuery]);
  useEffect(() => {
    if (queryOf(filters).toString() === written.current) return undefined;
    const timer = window.setTimeout(write, ADDRESS_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [filters, write]);
  // Opening an item adds a history entry: the list's entry takes its filters first, whether or not
  // they have settled, so that closing the item (Back) comes back to the same list.
  const open = useCallback(
    (key: string) => {
      write();
      openItem(key);
    },
    [write, openItem],
  );

  useEffect(() => whenIdle(() => prepareForFilters(items)), [items]);
  const sorted = useMemo(
    () => sortItems(items, filters.sort, filters.dir, today, windowDays),
    [items, filters.sort, filters.dir, today, windowDays],
  );
  const shown = useMemo(() => filterItems(sorted, itemFilterOf(filters, windowDays), today), [sorted, filters, today, windowDays]);

  const groups = useMemo<ItemGroup[]>(() => {
    const known = new Set(plan.objectives.map((o) => o.number));
    const list: ItemGroup[] = [...plan.objectives]
      .sort((a, b) => a.number - b.number)
      .map((o) => ({
        id: `objective-${o.number}`,
        heading: `Objective ${o.number}: ${o.title}`,
        items: shown.filter((i) => (i.objectives[0] ?? 0) === o.number),
      }));
    const none = shown.filter((i) => !known.has(i.objectives[0] ?? 0));
    if (none.length) list.push({ id: 'objective-none', heading: 'No objective', items: none });
    return list.filter((g) => g.items.length > 0);
  }, [plan.objectives, shown]);

  const counts = useMemo(() => {
    let actions = 0;
    for (const i of shown) if (i.kind === 'action') actions++;
    return { actions, projects: shown.length - actions };
  }, [shown]);

  const download = async (format: 'csv' | 'xlsx'): Promise<void> => {
    setExportError(undefined);
    try {
      const query = queryOf(filters);
      query.set('format', format);
      const { blob, filename } = await api.download(`/plans/${encodeURIComponent(plan.id)}/export?${query.toString()}`);
      save(blob, filename);
    } catch (e) {
      setExportError(e instanceof ApiError ? e.message : 'The export failed.');
    }
  };
  const filtered = shown.length !== items.length;

  return (
    <div>
      <h2 className={shared.h2}>Plan items</h2>
      {me.coordinator && (
        <div className={shared.toolbar} role="group" aria-label="Co-ordinator actions">
          <Button icon={<ArrowDownload20Regular />} onClick={() => void download('csv')}>
            {filtered ? 'Export shown as CSV' : 'Export CSV'}
          </Button>
          <Button icon={<ArrowDownload20Regular />} onClick={() => void download('xlsx')}>
            {filtered ? 'Export shown as XLSX' : 'Export XLSX'}
          </Button>
          <Button icon={<Print20Regular />} as="a" href="#/report" className={styles.wideOnly}>
            Board report
          </Button>
          {exportError && <span role="alert">{exportError}</span>}
        </div>
      )}
      <PlanFilters
        filters={filters}
        objectives={plan.objectives}
        leads={leads}
        onChange={changeFilter}
        onClear={clearFilters}
        replaced={replaced}
      />
      <p className={styles.count} role="status" data-testid="result-count">
        Showing {shown.length} of {items.length} items ({counts.actions} actions, {counts.projects} projects) in {groups.length}{' '}
        {groups.length === 1 ? 'objective' : 'objectives'}
      </p>
      <ItemList groups={groups} selected={openKey} onOpen={open} today={today} {...(windowDays !== undefined ? { windowDays } : {})} />
      {shown.length === 0 && <p>No items match these filters. Clear the filters to see the whole plan.</p>}
      <Detail openKey={openKey} onClose={closeItem} />
    </div>
  );
}

/** The item drawer, from the first time an item is opened (it then stays, closed, to play its closing animation). */
export function Detail({ openKey, onClose }: { openKey?: string; onClose(): void }): ReactElement | null {
  const [used, setUsed] = useState(!!openKey);
  if (openKey && !used) setUsed(true);
  if (!used) return null;
  return (
    <Suspense fallback={null}>
      <ItemDrawer {...(openKey ? { itemKey: openKey } : {})} onClose={onClose} />
    </Suspense>
  );
}
