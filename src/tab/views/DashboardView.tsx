/**
 * The plan's Performance Management Framework and dashboard, as at a day (today by default, or a
 * quarter end): every figure rebuilt from history as it stood then. After the plan's period the tab
 * says the plan has ended, rather than calling every item overdue.
 */
import { MessageBar, MessageBarBody, ProgressBar, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import type { Dashboard } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { ApiError } from '../api';
import { RagBadge, ragIcon } from '../components/RagBadge';
import { RagCountTable } from '../components/RagCountTable';
import { TrendChart, TrendTable } from '../components/TrendChart';
import { AsAtPicker } from '../components/AsAtPicker';
import { daysAgo, inDays, plural } from '../../domain/words';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';

const useStyles = makeStyles({
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: '8px',
    listStyleType: 'none',
    padding: 0,
    margin: '8px 0',
  },
  card: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 12px',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  cardNumber: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, display: 'block' },
  cardLabel: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
  twoCol: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: '16px' },
  progressCell: { minWidth: '140px' },
  actions: { margin: 0, paddingLeft: '16px' },
});

/** A titled table of milestones (overdue or upcoming): item and leads, when, and status. */
function MilestoneSection(props: {
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
                  {m.title}
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
      )}
    </section>
  );
}

export function DashboardView(): ReactElement {
  const { api, plan, revision, today } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const [data, setData] = useState<Dashboard>();
  const [error, setError] = useState<string>();
  const [asOf, setAsOf] = useState(today);

  useEffect(() => {
    let live = true;
    api.get<Dashboard>(`/plans/${encodeURIComponent(plan.id)}/dashboard?asOf=${encodeURIComponent(asOf)}`).then(
      (d) => live && (setData(d), setError(undefined)),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'The dashboard could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, plan.id, revision, asOf]);

  if (error && !data) return <p role="alert">{error}</p>;
  if (!data) return <Spinner label="Loading the dashboard…" />;
  const ended = data.asOf > plan.plan.periodEnd;
  const notComplete = data.total - data.counts.complete;

  return (
    <div data-testid="dashboard">
      <h2 className={shared.h2}>Performance dashboard</h2>
      <AsAtPicker value={asOf} onChange={setAsOf} />
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <p className={shared.muted} data-testid="as-at-line">
        As at {formatDate(data.asOf)}
        {data.asOf < today ? ' (rebuilt from the history)' : ''} · {data.total} items
      </p>
      {ended && (
        <MessageBar intent="info" data-testid="period-ended">
          <MessageBarBody>
            The plan&apos;s period ended on {formatDate(plan.plan.periodEnd)}. {plural(notComplete, 'item was', 'items were')} not reported
            Complete by then; they are listed below as not completed, not as overdue.
          </MessageBarBody>
        </MessageBar>
      )}

      <section aria-labelledby="dash-overall" className={shared.section}>
        <h3 id="dash-overall" className={shared.h3}>
          Status of all items
        </h3>
        <ul className={styles.cards} data-testid="rag-overall">
          {RAG_VALUES.map((r) => (
            <li key={r} className={styles.card} data-rag={r}>
              <span className={styles.cardNumber}>{data.counts[r]}</span>
              <span className={styles.cardLabel}>
                {ragIcon(r)}
                {RAG_LABELS[r]}
              </span>
            </li>
          ))}
        </ul>
        <RagCountTable
          className={shared.table}
          testId="rag-by-objective"
          caption="Status by objective"
          rowHeader="Objective"
          before={['Items']}
          rows={data.byObjective.map((o) => ({
            key: String(o.objective),
            header: `Objective ${o.objective}: ${o.title}`,
            cells: [o.total],
            counts: o.counts,
          }))}
        />
      </section>

      <section aria-labelledby="dash-trend" className={shared.section}>
        <h3 id="dash-trend" className={shared.h3}>
          Trend week by week
        </h3>
        <TrendChart trend={data.trend} titleId="dash-trend-chart" />
        <details>
          <summary style={{ minHeight: 24, cursor: 'pointer' }}>Show the trend as a table</summary>
          <TrendTable trend={data.trend} className={shared.table} />
        </details>
      </section>

      <div className={styles.twoCol}>
        <MilestoneSection
          id="dash-overdue"
          heading={ended ? `Not completed by the end of the plan (${data.overdue.length})` : `Overdue (${data.overdue.length})`}
          empty={ended ? 'Every item was completed.' : 'Nothing is overdue.'}
          dueHeader="Was due"
          testId="overdue"
          milestones={data.overdue}
          relative={(days) => daysAgo(-days)}
        />
        {!ended && (
          <MilestoneSection
            id="dash-upcoming"
            heading={`Due in the next 30 days (${data.upcoming.length})`}
            empty="No milestones fall due in the next 30 days."
            dueHeader="Due"
            testId="upcoming"
            milestones={data.upcoming}
            relative={(days) => inDays(days)}
          />
        )}
      </div>

      <section aria-labelledby="dash-outputs" className={shared.section}>
        <h3 id="dash-outputs" className={shared.h3}>
          Outputs against targets
        </h3>
        <table className={shared.table} data-testid="outputs">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Output</th>
              <th scope="col">Target</th>
              <th scope="col">Reported</th>
              <th scope="col">Progress</th>
            </tr>
          </thead>
          <tbody>
            {data.outputs.map((o) => (
              <tr key={`${o.itemKey}-${o.index}`}>
                <td>{o.itemTitle}</td>
                <td>{o.text}</td>
                <td>
                  {o.atLeast ? 'at least ' : ''}
                  {o.target}
                  {o.unit ? ` ${o.unit}` : ''}
                </td>
                <td>
                  {o.reported !== undefined ? (
                    <>
                      {o.reported}
                      <div className={shared.muted}>{formatInstant(o.reportedAt)}</div>
                    </>
                  ) : (
                    'Not reported'
                  )}
                </td>
                <td className={styles.progressCell}>
                  {o.percent !== undefined ? (
                    <>
                      <ProgressBar
                        value={Math.min(1, o.percent / 100)}
                        thickness="large"
                        aria-label={`${o.text}: ${o.percent}% of target`}
                        color={o.percent >= 100 ? 'success' : 'brand'}
                      />
                      <span>{o.percent}%</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="dash-recs" className={shared.section}>
        <h3 id="dash-recs" className={shared.h3}>
          Peer review recommendations → actions
        </h3>
        <table className={shared.table} data-testid="recommendations">
          <thead>
            <tr>
              <th scope="col">Recommendation</th>
              <th scope="col">Actions answering it and their status</th>
            </tr>
          </thead>
          <tbody>
            {data.recommendations.map((r) => (
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
                          {a.title} <RagBadge status={a.status} size="medium" />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
