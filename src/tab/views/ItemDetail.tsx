/**
 * The detail of one item, in a Fluent OverlayDrawer over the list (the list keeps its place and its
 * scroll): outcomes, outputs with targets and figures reported, recommendations, the status history
 * as a timeline (beside the form on a wide screen, above it otherwise), and what the caller may do
 * (report status, edit, prompt). On a phone it fills the screen with a Back button. Escape, Back
 * (the browser's, or the button) and the close button close it; focus goes back to the row.
 *
 * Opened and closed through the address (`#/plan/<key>`, see App.tsx), so Back closes it.
 */
import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderNavigation,
  DrawerHeaderTitle,
  MessageBar,
  MessageBarBody,
  OverlayDrawer,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeft20Regular, Dismiss20Regular, Edit20Regular, Send20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { dueDates, dueState } from '../../domain/milestones';
import { roleKey } from '../../domain/leads';
import { RAG_LABELS, type StatusUpdate } from '../../domain/model';
import { ApiError, type StoredItem } from '../api';
import { EditDialog } from '../components/EditItemDialog';
import { HistoryTimeline } from '../components/HistoryTimeline';
import { RagBadge } from '../components/RagBadge';
import { StatusForm } from '../components/StatusForm';
import { usePlan } from '../context';
import { formatDate } from '../format';
import { useShared } from '../styles';
import { useDialog } from '../useDialog';
import { NARROW, WIDE, useMediaQuery } from '../useMediaQuery';

const useStyles = makeStyles({
  drawer: { '@media (min-width: 641px) and (max-width: 1023px)': { width: 'min(640px, 92vw)' } },
  body: { paddingBottom: '24px' },
  columns: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '0 24px' },
  wide: { gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)' },
  history: { order: -1 },
  historyBeside: { order: 1, borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, paddingLeft: '16px' },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    gap: '4px 12px',
    margin: '8px 0',
    '& dt': { fontWeight: tokens.fontWeightSemibold },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
});

/** The drawer for `itemKey` (none: closed). It stays mounted while it closes, then unmounts (see useDialog). */
export function ItemDrawer({ itemKey, onClose }: { itemKey?: string; onClose(): void }): ReactElement | null {
  const dialog = useDialog();
  const [shown, setShown] = useState(itemKey);
  const { show, hide, mounted } = dialog;
  /** Where the page was scrolled when the detail opened: it is there again when the detail closes. */
  const scrolled = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (itemKey) {
      setShown(itemKey);
      scrolled.current ??= window.scrollY;
      show();
    } else hide();
  }, [itemKey, show, hide]);
  useEffect(() => {
    if (mounted || scrolled.current === undefined) return;
    const y = scrolled.current;
    scrolled.current = undefined;
    if (Math.abs(window.scrollY - y) > 1) window.scrollTo({ top: y });
    // Focus back on the item's row (Back in the browser leaves it nowhere), unless the person moved it.
    const active = document.activeElement;
    const row = shown ? document.querySelector<HTMLElement>(`[data-testid="item-row"][data-key="${CSS.escape(shown)}"] button`) : null;
    if (row && (!active || active === document.body || !active.matches('input, select, textarea, button, a[href], [role="button"]')))
      row.focus({ preventScroll: true });
  }, [mounted, shown]);
  const narrow = useMediaQuery(NARROW);
  const wide = useMediaQuery(WIDE);
  const styles = useStyles();
  const { items } = usePlan();
  if (!dialog.mounted || !shown) return null;
  const item = items.find((i) => i.key === shown);
  return (
    <OverlayDrawer
      open={dialog.open}
      onOpenChange={(_e, d) => !d.open && onClose()}
      position="end"
      size={narrow ? 'full' : wide ? 'large' : 'medium'}
      className={styles.drawer}
      data-testid="item-detail"
      aria-labelledby="item-detail-title"
    >
      <DrawerHeader>
        {narrow && (
          <DrawerHeaderNavigation>
            <Button appearance="subtle" icon={<ArrowLeft20Regular />} onClick={onClose}>
              Back
            </Button>
          </DrawerHeaderNavigation>
        )}
        <DrawerHeaderTitle
          heading={{ id: 'item-detail-title' }}
          action={
            narrow ? undefined : <Button appearance="subtle" icon={<Dismiss20Regular />} aria-label="Close item detail" onClick={onClose} />
          }
        >
          {item?.title ?? 'Item not found'}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {item ? (
          <ItemDetailBody key={item.key} item={item} wide={wide} />
        ) : (
          <p>This item is no longer in the plan: it may have been removed by a re-import. Close this panel and reload the plan.</p>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}

function ItemDetailBody({ item, wide }: { item: StoredItem; wide: boolean }): ReactElement {
  const { api, plan, me, today, replaceItem, announce } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const [history, setHistory] = useState<StatusUpdate[]>();
  const [historyError, setHistoryError] = useState<string>();
  const [message, setMessage] = useState<{ intent: 'success' | 'error' | 'warning'; text: string }>();
  const editDialog = useDialog();
  const base = `/plans/${encodeURIComponent(plan.id)}/items/${encodeURIComponent(item.key)}`;
  const canReport = me.coordinator || item.leads.some((l) => me.roles.some((r) => roleKey(r) === roleKey(l)));

  useEffect(() => {
    let live = true;
    api.get<StatusUpdate[]>(`${base}/history`).then(
      (h) => live && setHistory(h),
      (e: unknown) => live && setHistoryError(e instanceof ApiError ? e.message : 'History could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, base, item.version]);

  const onConflict = (e: unknown): boolean => {
    if (e instanceof ApiError && e.status === 409 && e.body.current) {
      replaceItem(e.body.current as StoredItem);
      setMessage({
        intent: 'warning',
        text: 'Someone else changed this item while you were working on it. The latest version is shown: check it and make your change again.',
      });
      return true;
    }
    return false;
  };

  const due = dueState(item, today, me.windowDays);
  const figures = latestFigures(history ?? []);
  const recs = plan.recommendations.filter((r) => item.recommendations.includes(r.number));
  const dates = dueDates(item);

  return (
    <div className={`${styles.columns} ${wide ? styles.wide : ''}`}>
      <section aria-labelledby="history-h" className={wide ? styles.historyBeside : styles.history}>
        <h3 id="history-h" className={shared.h3}>
          Status history
        </h3>
        {historyError && <p role="alert">{historyError}</p>}
        {history && history.length === 0 && <p className={shared.muted}>No status has been reported yet.</p>}
        {history && history.length > 0 && <HistoryTimeline history={history} item={item} />}
      </section>
      <div>
        <RagBadge status={item.status} />
        <dl className={styles.dl}>
          <dt>Type</dt>
          <dd>{item.kind === 'project' ? 'Commissioned project' : 'Action'}</dd>
          <dt>Objectives</dt>
          <dd>{item.objectives.map((n) => `Objective ${n}`).join(', ')}</dd>
          <dt>Leads</dt>
          <dd>{item.leads.join('; ') || 'None named'}</dd>
          {item.provider && (
            <>
              <dt>Provider</dt>
              <dd>{item.provider}</dd>
            </>
          )}
          <dt>Timescale</dt>
          <dd>{item.timescale || '—'}</dd>
          <dt>Milestones</dt>
          <dd data-testid="milestones">
            {dates.length
              ? dates
                  .map((d) =>
                    d.due === d.milestone || d.added ? formatDate(d.due) : `${formatDate(d.due)} (revised from ${formatDate(d.milestone)})`,
                  )
                  .join(', ')
              : item.recurring
                ? 'Ongoing (no due date)'
                : 'None'}
          </dd>
          <dt>Next</dt>
          <dd>
            {due.overdue ? (
              <span className={shared.overdue}>Overdue since {formatDate(due.overdue)}</span>
            ) : due.next ? (
              formatDate(due.next)
            ) : (
              '—'
            )}
          </dd>
          {item.lastUpdate?.revisedDate && (
            <>
              <dt>Revised date</dt>
              <dd>{formatDate(item.lastUpdate.revisedDate)}</dd>
            </>
          )}
        </dl>
        {item.description && <p>{item.description}</p>}

        {message && (
          <MessageBar intent={message.intent} role={message.intent === 'error' ? 'alert' : 'status'}>
            <MessageBarBody>{message.text}</MessageBarBody>
          </MessageBar>
        )}
        {canReport ? (
          <StatusForm
            item={item}
            onDone={(updated) => {
              replaceItem(updated);
              setMessage({ intent: 'success', text: `Status set to ${RAG_LABELS[updated.status]}.` });
              announce(`Status of ${updated.title} set to ${RAG_LABELS[updated.status]}`);
            }}
            onError={(e) => {
              if (!onConflict(e))
                setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The status could not be saved.' });
            }}
          />
        ) : (
          <p className={shared.muted}>Only this item&rsquo;s leads or a co-ordinator can report its status.</p>
        )}

        {me.coordinator && (
          <div className={shared.toolbar} role="group" aria-label="Co-ordinator actions for this item">
            <Button icon={<Edit20Regular />} onClick={editDialog.show}>
              Edit item
            </Button>
            <Button
              icon={<Send20Regular />}
              onClick={() => {
                api.send<{ sent: number; alreadySent?: number; unreachable: string[] }>('POST', `${base}/prompt`, {}).then(
                  (r) => {
                    const already = r.alreadySent ? `; ${r.alreadySent} already had today's prompt` : '';
                    const unreachable = r.unreachable.length ? `; cannot reach ${r.unreachable.join('; ')}` : '';
                    const reached = r.sent + (r.alreadySent ?? 0) > 0;
                    setMessage({
                      intent: reached ? 'success' : 'warning',
                      text: `Prompt sent to ${r.sent} ${r.sent === 1 ? 'person' : 'people'}${already}${unreachable}.`,
                    });
                  },
                  (e: unknown) =>
                    setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The prompt could not be sent.' }),
                );
              }}
            >
              Send prompt now
            </Button>
          </div>
        )}
        {editDialog.mounted && (
          <EditDialog
            open={editDialog.open}
            item={item}
            onClose={editDialog.hide}
            onSaved={(updated) => {
              replaceItem(updated);
              editDialog.hide();
              setMessage({ intent: 'success', text: 'Item saved.' });
            }}
            onError={(e) => {
              editDialog.hide();
              if (!onConflict(e)) setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The item could not be saved.' });
            }}
          />
        )}

        <h3 className={shared.h3}>Outcomes</h3>
        {item.outcomes.length ? (
          <ul>
            {item.outcomes.map((o, i) => (
              <li key={i}>{o}</li>
            ))}
          </ul>
        ) : (
          <p className={shared.muted}>None stated.</p>
        )}
        <h3 className={shared.h3}>Outputs</h3>
        {item.outputs.length ? (
          <div className={shared.scrollX} tabIndex={0} role="region" aria-label="Outputs">
            <table className={shared.table}>
              <thead>
                <tr>
                  <th scope="col">Output</th>
                  <th scope="col">Target</th>
                  <th scope="col">Reported</th>
                </tr>
              </thead>
              <tbody>
                {item.outputs.map((o, i) => (
                  <tr key={i}>
                    <td>{o.text}</td>
                    <td>{o.target !== undefined ? `${o.atLeast ? 'at least ' : ''}${o.target}${o.unit ? ` ${o.unit}` : ''}` : '—'}</td>
                    <td>{figures[i] !== undefined ? figures[i] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className={shared.muted}>None stated.</p>
        )}
        <h3 className={shared.h3}>Peer review recommendations</h3>
        {recs.length ? (
          <ul>
            {recs.map((r) => (
              <li key={r.number}>
                Recommendation {r.number}: {r.text}
              </li>
            ))}
          </ul>
        ) : (
          <p className={shared.muted}>This item answers no recommendation.</p>
        )}
      </div>
    </div>
  );
}

function latestFigures(history: readonly StatusUpdate[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const h of history) for (const [k, v] of Object.entries(h.figures ?? {})) out[Number(k)] = v;
  return out;
}
