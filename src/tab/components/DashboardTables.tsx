/**
 * The dashboard's lists of items (overdue, upcoming, recommendations → actions; outputs against
 * targets are in OutputsTable.tsx), each item a link to its detail (`#/plan/<item key>`, the drawer over the Plan; Back or
 * closing the drawer returns to the dashboard). Tables too wide for a phone scroll inside themselves.
 */
import { makeStyles } from '@fluentui/react-components';
import type { MouseEvent, ReactElement, ReactNode } from 'react';
import type { Dashboard } from '../../domain/dashboard';
import { usePlan } from '../context';
import { formatDate } from '../format';
import { hashOf } from '../navigation';
import { useShared } from '../styles';
import { RagBadge } from './RagBadge';
import { ScrollTable } from './ScrollTable';

const useStyles = makeStyles({
  actions: { margin: 0, paddingLeft: '16px' },
  link: { overflowWrap: 'anywhere' },
});

/** A link to an item's detail: a plain click opens the drawer over the Plan, so that closing it comes back here. */
export function ItemLink({ itemKey, children }: { itemKey: string; children: ReactNode }): ReactElement {
  const { openItem } = usePlan();
  const styles = useStyles();
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openItem(itemKey, 'plan');
  };
  return (
    <a href={hashOf({ view: 'plan', item: itemKey })} onClick={onClick} className={styles.link} data-item-link={itemKey}>
      {children}
    </a>
  );
}

/** A titled table of milestones (overdue or upcoming): item and leads, when, and status. */
export function MilestoneSection(props: {
  id: string;
  heading: string;
  empty: string;
  dueHeader: string;
  testId: string;
  milestones: Dashboard['overdue'];
  relative: (days: number) => string;
}): ReactElement {
  const shared = useShared();
  return (
    <section aria-labelledby={props.id} className={shared.section}>
      <h3 id={props.id} className={shared.h3}>
        {props.heading}
      </h3>
      {props.milestones.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <ScrollTable label={props.heading}>
          <table className={shared.table} data-testid={props.testId}>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">{props.dueHeader}</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {props.milestones.map((m) => (
                <tr key={`${m.itemKey}-${m.due}`}>
                  <td>
                    <ItemLink itemKey={m.itemKey}>{m.title}</ItemLink>
                    <div className={shared.muted}>{m.leads.join('; ')}</div>
                  </td>
                  <td>
                    {formatDate(m.due)} <span className={shared.muted}>({props.relative(m.days)})</span>
                  </td>
                  <td>
                    <RagBadge status={m.status} size="medium" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}

export function RecommendationsTable({ recommendations }: { recommendations: Dashboard['recommendations'] }): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  return (
    <table className={shared.table} data-testid="recommendations">
      <thead>
        <tr>
          <th scope="col">Recommendation</th>
          <th scope="col">Actions answering it and their status</th>
        </tr>
      </thead>
      <tbody>
        {recommendations.map((r) => (
          <tr key={r.number}>
            <th scope="row" style={{ fontWeight: 'normal' }}>
              <strong>{r.number}.</strong> {r.text}
            </th>
            <td>
              {r.actions.length === 0 ? (
                <span className={shared.overdue}>No action answers this recommendation</span>
              ) : (
                <ul className={styles.actions}>
                  {r.actions.map((a) => (
                    <li key={a.key}>
                      <ItemLink itemKey={a.key}>{a.title}</ItemLink> <RagBadge status={a.status} size="medium" />
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
