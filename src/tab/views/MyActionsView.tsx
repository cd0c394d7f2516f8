/**
 * My actions (the personal tab): the items the signed-in person leads, most urgent first, with the
 * detail pane to report on them. A co-ordinator who leads nothing sees what is overdue or due soon.
 */
import { makeStyles } from '@fluentui/react-components';
import { useMemo, useState, type ReactElement } from 'react';
import { addDays } from '../../domain/calendar';
import { sortItems } from '../../domain/filters';
import { dueState } from '../../domain/milestones';
import { roleKey } from '../../domain/leads';
import { RagBadge } from '../components/RagBadge';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { ItemDetail } from './ItemDetail';

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '16px' },
  withDetail: {
    gridTemplateColumns: 'minmax(0, 3fr) minmax(320px, 2fr)',
    '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
});

export function MyActionsView(): ReactElement {
  const { items, me, today, plan } = usePlan();
  const shared = useShared();
  const styles = useStyles();
  const [selected, setSelected] = useState<string>();
  const mine = useMemo(() => {
    const roles = new Set(me.roles.map(roleKey));
    return items.filter((i) => i.leads.some((l) => roles.has(roleKey(l))));
  }, [items, me.roles]);
  const soon = addDays(today, 30);
  const shown = useMemo(() => {
    const list =
      mine.length || !me.coordinator
        ? mine
        : items.filter((i) => {
            const due = dueState(i, today, me.windowDays);
            return i.status !== 'complete' && (due.overdue || (due.next ?? '9999') <= soon);
          });
    return sortItems(list, 'due', 'asc', today, me.windowDays);
  }, [mine, items, me.coordinator, me.windowDays, today, soon]);
  const selectedItem = items.find((i) => i.key === selected);

  return (
    <div data-testid="my-actions">
      <h2 className={shared.h2}>My actions</h2>
      {mine.length > 0 ? (
        <p>
          You lead {mine.length} {mine.length === 1 ? 'item' : 'items'} in {plan.plan.title} as {me.roles.join(', ')}. Most urgent first.
        </p>
      ) : me.coordinator ? (
        <p>You lead no item in this plan. As a co-ordinator, here is what is overdue or due in the next 30 days.</p>
      ) : (
        <p>
          You are not named as a lead in this plan&rsquo;s directory, so there is nothing for you to report. Ask the plan co-ordinator to
          add you in the Directory.
        </p>
      )}
      <div className={`${styles.layout} ${selectedItem ? styles.withDetail : ''}`}>
        <div>
          {shown.length > 0 && (
            <table className={shared.table}>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last update</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((item) => {
                  const due = dueState(item, today, me.windowDays);
                  return (
                    <tr key={item.key} data-testid="my-row" aria-current={item.key === selected ? 'true' : undefined}>
                      <th scope="row" style={{ fontWeight: 'normal' }}>
                        <button
                          type="button"
                          className={shared.linkButton}
                          onClick={() => setSelected(item.key)}
                          aria-expanded={item.key === selected}
                        >
                          {item.title}
                        </button>
                        <div className={shared.muted}>{item.leads.join('; ')}</div>
                      </th>
                      <td>
                        {due.overdue ? (
                          <span className={shared.overdue}>Overdue since {formatDate(due.overdue)}</span>
                        ) : due.next ? (
                          formatDate(due.next)
                        ) : item.recurring ? (
                          'Ongoing'
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        <RagBadge status={item.status} />
                      </td>
                      <td>{item.lastUpdate ? formatInstant(item.lastUpdate.at) : <span className={shared.muted}>None yet</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
        {selectedItem && <ItemDetail key={selectedItem.key} item={selectedItem} onClose={() => setSelected(undefined)} />}
      </div>
    </div>
  );
}
