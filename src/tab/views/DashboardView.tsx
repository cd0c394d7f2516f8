/**
 * The plan's Performance Management Framework and dashboard, as at a day (today by default, or a
 * quarter end): every figure rebuilt from history as it stood then. After the plan's period the tab
 * says the plan has ended, rather than calling every item overdue.
 */
import { MessageBar, MessageBarBody, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import type { Dashboard } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';
import { hashOf } from '../navigation';
import { ApiError } from '../api';
import { MilestoneSection, RecommendationsTable } from '../components/DashboardTables';
import { OutputsTable } from '../components/OutputsTable';
import { ScrollTable } from '../components/ScrollTable';
import { RAG_COLOUR, ragIcon } from '../components/RagBadge';
import { CountLink, RagCountTable } from '../components/RagCountTable';
import { TrendChart, TrendTable } from '../components/TrendChart';
import { AsAtPicker } from '../components/AsAtPicker';
import { daysAgo, inDays, plural } from '../../domain/words';
import { usePlan } from '../context';
import { formatDate } from '../format';
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
  // The status colour (3:1 against the card in every Teams theme) as a thick left edge and on the icon;
  // the label says the status in words.
  card: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderLeftWidth: '6px',
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 12px',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  cardNumber: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, display: 'block' },
  cardLabel: { display: 'inline-flex', alignItems: 'center', gap: '4px', fontWeight: tokens.fontWeightSemibold },
  cardIcon: { display: 'inline-flex' },
  twoCol: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(420px, 100%), 1fr))', gap: '16px' },
  summary: { minHeight: '24px', cursor: 'pointer' },
  // A tile that shows its items in the Plan: the whole tile is the link, its label underlined as links are.
  linkedCard: { padding: 0 },
  cardLink: {
    display: 'block',
    padding: '8px 12px',
    color: 'inherit',
    textDecorationLine: 'none',
    borderRadius: tokens.borderRadiusMedium,
    ':hover': { backgroundColor: tokens.colorNeutralBackground2Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  cardLinkLabel: { textDecorationLine: 'underline' },
});

/** The Plan's address showing these items (PlanFilters' queryOf form). */
function planHref(filters: Record<string, string>): string {
  return hashOf({ view: 'plan', query: new URLSearchParams(filters).toString() });
}

/**
 * `planLinks`: the tab has a Plan view (the channel tab), so that the status tiles and counts can
 * show their items there. They link only as at today: the Plan shows the items as they are now.
 */
export function DashboardView({ planLinks = false }: { planLinks?: boolean }): ReactElement {
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
  const linked = planLinks && data.asOf === today;
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
          {RAG_VALUES.map((r) => {
            const href = linked && data.counts[r] > 0 ? planHref({ status: r }) : undefined;
            const tile = (
              <>
                <span className={styles.cardNumber}>{data.counts[r]}</span>
                <span className={styles.cardLabel}>
                  <span className={styles.cardIcon} style={{ color: RAG_COLOUR[r] }}>
                    {ragIcon(r)}
                  </span>
                  <span className={href ? styles.cardLinkLabel : undefined}>{RAG_LABELS[r]}</span>
                </span>
              </>
            );
            return (
              <li
                key={r}
                className={mergeClasses(styles.card, href && styles.linkedCard)}
                data-rag={r}
                style={{ borderLeftColor: RAG_COLOUR[r] }}
              >
                {href ? (
                  <a className={styles.cardLink} href={href}>
                    {tile}
                  </a>
                ) : (
                  tile
                )}
              </li>
            );
          })}
        </ul>
        <ScrollTable label="Status by objective">
          <RagCountTable
            className={shared.table}
            testId="rag-by-objective"
            caption="Status by objective"
            rowHeader="Objective"
            before={['Items']}
            rows={data.byObjective.map((o) => ({
              key: String(o.objective),
              header: `Objective ${o.objective}: ${o.title}`,
              cells: [
                <CountLink
                  key="total"
                  count={o.total}
                  link={
                    linked
                      ? { href: planHref({ objective: String(o.objective) }), label: `${o.total} items in objective ${o.objective}` }
                      : undefined
                  }
                />,
              ],
              counts: o.counts,
              ...(linked
                ? {
                    links: (r: Rag) => ({
                      href: planHref({ objective: String(o.objective), status: r }),
                      label: `${o.counts[r]} ${RAG_LABELS[r]} in objective ${o.objective}`,
                    }),
                  }
                : {}),
            }))}
          />
        </ScrollTable>
      </section>

      <section aria-labelledby="dash-trend" className={shared.section}>
        <h3 id="dash-trend" className={shared.h3}>
          Trend week by week
        </h3>
        <TrendChart trend={data.trend} titleId="dash-trend-chart" />
        <details>
          <summary className={styles.summary}>Show the trend as a table</summary>
          <ScrollTable label="The trend as a table">
            <TrendTable trend={data.trend} className={shared.table} />
          </ScrollTable>
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
        <OutputsTable outputs={data.outputs} />
      </section>

      <section aria-labelledby="dash-recs" className={shared.section}>
        <h3 id="dash-recs" className={shared.h3}>
          Peer review recommendations → actions
        </h3>
        <RecommendationsTable recommendations={data.recommendations} />
      </section>
    </div>
  );
}
