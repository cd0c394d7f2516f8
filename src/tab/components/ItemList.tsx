/**
 * The plan's items, grouped by objective, as a table on wide screens and as cards on a phone (the
 * same elements, laid out by CSS): title, leads, next milestone, status and last update.
 *
 * Virtualised with @tanstack/react-virtual against the page's own scroll: only the rows near the
 * screen are in the document (a 2,000-item plan keeps a few dozen), so a filter change or a keystroke
 * renders a screenful, not the plan. Each objective is an ARIA table (`role="table"`) whose rows carry
 * their place in it (`aria-rowindex` of `aria-rowcount`), so screen readers say "row 12 of 500" even
 * though the other rows are not rendered.
 */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useWindowVirtualizer, windowScroll } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { dueState } from '../../domain/milestones';
import type { StoredItem } from '../api';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { NARROW, useMediaQuery } from '../useMediaQuery';
import { RagBadge } from './RagBadge';

export interface ItemGroup {
  id: string;
  heading: string;
  items: StoredItem[];
}

type Entry = { kind: 'group'; group: ItemGroup } | { kind: 'item'; group: ItemGroup; item: StoredItem; row: number };

const COLUMNS = ['Item', 'Leads', 'Next milestone', 'Status', 'Last update'] as const;
const WIDE_GRID = 'minmax(0, 3fr) minmax(0, 2fr) minmax(0, 1.4fr) minmax(0, 1.3fr) minmax(0, 1.5fr)';

const useStyles = makeStyles({
  groupHead: { paddingTop: '16px' },
  h3: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: '0 0 6px' },
  columns: {
    display: 'grid',
    gridTemplateColumns: WIDE_GRID,
    gap: '0 8px',
    padding: '6px 8px',
    fontWeight: tokens.fontWeightSemibold,
    borderBottom: `2px solid ${tokens.colorNeutralStroke1}`,
    '@media (max-width: 640px)': { display: 'none' },
  },
  row: {
    display: 'grid',
    gridTemplateColumns: WIDE_GRID,
    gap: '0 8px',
    padding: '6px 8px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    fontSize: tokens.fontSizeBase300,
    overflowWrap: 'anywhere',
    '@media (max-width: 640px)': {
      gridTemplateColumns: 'minmax(0, 1fr) auto',
      gridTemplateAreas: '"title title" "due status" "leads leads" "updated updated"',
      gap: '4px 8px',
      padding: '10px 12px',
      border: `1px solid ${tokens.colorNeutralStroke2}`,
      borderRadius: tokens.borderRadiusMedium,
      backgroundColor: tokens.colorNeutralBackground1,
    },
  },
  // Cards sit apart: padding on the measured wrapper (a margin would not be measured, and rows would drift).
  gap: { '@media (max-width: 640px)': { paddingBottom: '8px' } },
  selected: { boxShadow: `inset 4px 0 0 ${tokens.colorCompoundBrandStroke}`, paddingLeft: '12px' },
  title: { gridArea: 'auto', '@media (max-width: 640px)': { gridArea: 'title' } },
  leads: { '@media (max-width: 640px)': { gridArea: 'leads' } },
  due: { '@media (max-width: 640px)': { gridArea: 'due' } },
  status: { '@media (max-width: 640px)': { gridArea: 'status', justifySelf: 'end' } },
  updated: { '@media (max-width: 640px)': { gridArea: 'updated' } },
  label: {
    display: 'none',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    '@media (max-width: 640px)': { display: 'block' },
  },
  leadList: { margin: 0, paddingLeft: 0, listStyleType: 'none' },
  titleButton: { fontWeight: tokens.fontWeightSemibold, '@media (min-width: 641px)': { fontWeight: tokens.fontWeightRegular } },
});

function entriesOf(groups: readonly ItemGroup[]): Entry[] {
  const out: Entry[] = [];
  for (const group of groups) {
    out.push({ kind: 'group', group });
    group.items.forEach((item, row) => out.push({ kind: 'item', group, item, row }));
  }
  return out;
}

/** Runs of consecutive rendered entries of one group: each becomes one table (part). */
function runsOf(entries: Entry[], indexes: number[]): Array<{ group: ItemGroup; head?: number; rows: number[] }> {
  const runs: Array<{ group: ItemGroup; head?: number; rows: number[] }> = [];
  for (const i of indexes) {
    const e = entries[i]!;
    const last = runs.at(-1);
    if (e.kind === 'group') runs.push({ group: e.group, head: i, rows: [] });
    else if (last && last.group === e.group) last.rows.push(i);
    else runs.push({ group: e.group, rows: [i] });
  }
  return runs;
}

/** Memoised: it renders when its groups (or the selection) change, not for the view's other state. */
export const ItemList = memo(function ItemList({
  groups,
  selected,
  onOpen,
  today,
  windowDays,
}: {
  groups: readonly ItemGroup[];
  selected?: string;
  onOpen(key: string): void;
  today: string;
  windowDays?: number;
}): ReactElement {
  const styles = useStyles();
  const shared = useShared();
  const narrow = useMediaQuery(NARROW);
  const entries = useMemo(() => entriesOf(groups), [groups]);
  const list = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  // Where the list starts on the page: the virtualiser counts the page's scroll from there. It is read
  // when the view or the page changes size (anything above the list growing or wrapping does that),
  // in the ResizeObserver's callback, where the layout is already done: never by forcing one more
  // layout in a render. Until it is known the list renders a few rows more than it needs, from the top.
  useEffect(() => {
    const el = list.current;
    if (!el) return undefined;
    const read = (): void => {
      const at = el.getBoundingClientRect().top + window.scrollY;
      setTop((was) => (Math.abs(at - was) > 0.5 ? at : was));
    };
    const observer = new ResizeObserver(read);
    observer.observe(document.body);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => observer.disconnect();
  }, []);
  // When it mounts, the virtualiser scrolls the window to where it already is: a write that lays out
  // the whole page in the middle of the first render (~120 ms of a first visit, profiled), before the
  // browser's own layout for the frame. Only that first write is skipped; every later one happens.
  const mounted = useRef(false);
  const virtualizer = useWindowVirtualizer({
    count: entries.length,
    scrollToFn: (offset, options, instance) => {
      if (!mounted.current) {
        mounted.current = true;
        return;
      }
      windowScroll(offset, options, instance);
    },
    estimateSize: (i) => (entries[i]?.kind === 'group' ? (narrow ? 52 : 84) : narrow ? 150 : 64),
    // Rows kept beyond the screen on each side: every keystroke renders these too (8 cost ~25 % more per
    // keystroke in the bench than 6).
    overscan: 6,
    scrollMargin: top,
    getItemKey: (i) => {
      const e = entries[i]!;
      return e.kind === 'group' ? e.group.id : e.item.key;
    },
    // A row's height comes from the ResizeObserver once the browser has laid it out. A row just mounted
    // is not measured there and then (that would force a layout in the middle of the commit, one per
    // keystroke): it keeps the height it had when last shown, or the estimate, until then. Rows are in
    // the page's flow, so a height not yet known moves no row: only the list's total height waits.
    measureElement: (el, entry, instance) => {
      const box = entry?.borderBoxSize?.[0];
      if (box) return Math.round(box.blockSize);
      const index = instance.indexFromElement(el);
      return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
    },
  });
  const shown = virtualizer.getVirtualItems();
  const runs = runsOf(
    entries,
    shown.map((v) => v.index),
  );
  const classes = useMemo(
    () => ({
      row: styles.row,
      selected: styles.selected,
      title: styles.title,
      leads: styles.leads,
      due: styles.due,
      status: styles.status,
      updated: styles.updated,
      label: styles.label,
      leadList: styles.leadList,
      muted: shared.muted,
      link: mergeClasses(shared.linkButton, styles.titleButton),
      overdue: shared.overdue,
      gap: styles.gap,
    }),
    [styles, shared],
  );

  return (
    <div ref={list} style={{ height: virtualizer.getTotalSize(), position: 'relative' }} data-testid="item-list">
      <div style={{ transform: `translateY(${(shown[0]?.start ?? 0) - virtualizer.options.scrollMargin}px)` }}>
        {runs.map((run) => {
          const count = run.group.items.length;
          const label = `${run.group.heading} (${count} ${count === 1 ? 'item' : 'items'})`;
          return (
            <section key={`${run.group.id}-${run.head ?? run.rows[0]}`} data-testid="objective-group" aria-label={label}>
              {run.head !== undefined && (
                <div data-index={run.head} ref={virtualizer.measureElement} className={styles.groupHead}>
                  <h3 className={styles.h3}>
                    {run.group.heading}{' '}
                    <span className={shared.muted}>
                      ({count} {count === 1 ? 'item' : 'items'})
                    </span>
                  </h3>
                  <div className={styles.columns} aria-hidden="true">
                    {COLUMNS.map((c) => (
                      <span key={c}>{c}</span>
                    ))}
                  </div>
                </div>
              )}
              {run.rows.length > 0 && (
                <div role="table" aria-label={label} aria-rowcount={count + 1}>
                  <div role="rowgroup" className={shared.visuallyHidden}>
                    <div role="row" aria-rowindex={1}>
                      {COLUMNS.map((c) => (
                        <span role="columnheader" key={c}>
                          {c}
                        </span>
                      ))}
                    </div>
                  </div>
                  <div role="rowgroup">
                    {run.rows.map((i) => {
                      const e = entries[i] as Extract<Entry, { kind: 'item' }>;
                      return (
                        <div key={e.item.key} data-index={i} ref={virtualizer.measureElement} className={classes.gap}>
                          <Row
                            item={e.item}
                            index={e.row + 2}
                            today={today}
                            windowDays={windowDays}
                            selected={e.item.key === selected}
                            onOpen={onOpen}
                            classes={classes}
                          />
                        </div>
                      );
                    })}
                  </div>
                </div>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
});

type RowClasses = Record<
  'row' | 'selected' | 'title' | 'leads' | 'due' | 'status' | 'updated' | 'label' | 'leadList' | 'muted' | 'link' | 'overdue' | 'gap',
  string
>;

const Row = memo(function Row({
  item,
  index,
  today,
  windowDays,
  selected,
  onOpen,
  classes,
}: {
  item: StoredItem;
  index: number;
  today: string;
  windowDays?: number;
  selected: boolean;
  onOpen(key: string): void;
  classes: RowClasses;
}): ReactElement {
  const due = dueState(item, today, windowDays);
  return (
    <div
      role="row"
      aria-rowindex={index}
      data-testid="item-row"
      data-key={item.key}
      data-kind={item.kind}
      className={mergeClasses(classes.row, selected && classes.selected)}
      aria-current={selected ? 'true' : undefined}
    >
      <div role="rowheader" className={classes.title}>
        <button type="button" className={classes.link} onClick={() => onOpen(item.key)} aria-haspopup="dialog">
          {item.title}
        </button>
        <div className={classes.muted}>{item.kind === 'project' ? 'Commissioned project' : 'Action'}</div>
      </div>
      <div role="cell" className={classes.leads} data-col="leads">
        <span className={classes.label} aria-hidden="true">
          Leads
        </span>
        {item.leads.length ? (
          <ul className={classes.leadList}>
            {item.leads.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : (
          <span className={classes.muted}>{item.provider ? `Provider: ${item.provider}` : 'No lead named'}</span>
        )}
      </div>
      <div role="cell" className={classes.due} data-col="due">
        <span className={classes.label} aria-hidden="true">
          Next milestone
        </span>
        {due.overdue ? (
          <span className={classes.overdue}>Overdue since {formatDate(due.overdue)}</span>
        ) : due.next ? (
          formatDate(due.next)
        ) : (
          <span className={classes.muted}>{item.recurring ? 'Ongoing' : item.timescale || 'No date'}</span>
        )}
      </div>
      <div role="cell" className={classes.status} data-col="status">
        <RagBadge status={item.status} />
      </div>
      <div role="cell" className={classes.updated} data-col="updated">
        <span className={classes.label} aria-hidden="true">
          Last update
        </span>
        {item.lastUpdate ? (
          <>
            {formatInstant(item.lastUpdate.at)}
            <div className={classes.muted}>{item.lastUpdate.by}</div>
          </>
        ) : (
          <span className={classes.muted}>None yet</span>
        )}
      </div>
    </div>
  );
});
