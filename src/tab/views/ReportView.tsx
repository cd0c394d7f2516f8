/** A printable board report: summary counts, overdue items, recommendations and every item's status and latest note. */
import { Button, Spinner, webLightTheme } from '@fluentui/react-components';
import { Print20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactElement } from 'react';
import type { Dashboard } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { ApiError } from '../api';
import { RagBadge } from '../components/RagBadge';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { RagCountTable } from '../components/RagCountTable';
import { useShared } from '../styles';

/** Paper is light: in print, every Fluent token takes its light-theme value whatever the screen theme. */
const PRINT_CSS = `@media print {
  @page { margin: 15mm }
  body { font-size: 10pt }
  table { page-break-inside: auto }
  tr { page-break-inside: avoid }
  .no-print { display: none !important }
  .fui-FluentProvider { ${Object.entries(webLightTheme)
    .map(([k, v]) => `--${k}: ${String(v)} !important;`)
    .join(' ')} }
}`;

export function ReportView(): ReactElement {
  const { api, plan, items, revision } = usePlan();
  const shared = useShared();
  const [data, setData] = useState<Dashboard>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .get<Dashboard>(`/plans/${encodeURIComponent(plan.id)}/dashboard`)
      .then(setData, (e: unknown) => setError(e instanceof ApiError ? e.message : 'The report could not be prepared.'));
  }, [api, plan.id, revision]);
  if (error) return <p role="alert">{error}</p>;
  if (!data) return <Spinner label="Preparing the report…" />;
  return (
    <article data-testid="report" aria-labelledby="report-h">
      <style>{PRINT_CSS}</style>
      <h2 id="report-h" className={shared.h2}>
        Board report: {plan.plan.organisation}, {plan.plan.title}
      </h2>
      <p>
        Position as at {formatDate(data.asOf)}. {data.total} items; {data.overdue.length} overdue.
      </p>
      <div className={`${shared.toolbar} no-print`}>
        <Button icon={<Print20Regular />} appearance="primary" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </div>
      <RagCountTable
        className={shared.table}
        caption="Status by objective"
        rowHeader="Objective"
        rows={[
          ...data.byObjective.map((o) => ({ key: String(o.objective), header: `${o.objective}. ${o.title}`, counts: o.counts })),
          { key: 'all', header: 'All items', counts: data.counts },
        ]}
      />
      <h3 className={shared.h3}>Recommendations of the peer review</h3>
      <ul>
        {data.recommendations.map((r) => (
          <li key={r.number}>
            {r.number}. {r.text}:{' '}
            {r.actions.length
              ? RAG_VALUES.filter((v) => r.counts[v])
                  .map((v) => `${r.counts[v]} ${RAG_LABELS[v].toLowerCase()}`)
                  .join(', ')
              : 'no action yet'}
          </li>
        ))}
      </ul>
      {plan.objectives.map((o) => {
        const mine = items.filter((i) => i.objectives[0] === o.number);
        return (
          <section key={o.number} aria-labelledby={`report-o${o.number}`}>
            <h3 id={`report-o${o.number}`} className={shared.h3}>
              Objective {o.number}: {o.title}
            </h3>
            <table className={shared.table}>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Lead</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Latest update</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((i) => (
                  <tr key={i.key}>
                    <td>{i.title}</td>
                    <td>{i.leads.join('; ') || i.provider || '—'}</td>
                    <td>{i.timescale}</td>
                    <td>
                      <RagBadge status={i.status} size="medium" />
                    </td>
                    <td>
                      {i.lastUpdate ? `${formatInstant(i.lastUpdate.at)}${i.lastUpdate.note ? `: ${i.lastUpdate.note}` : ''}` : 'None'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </article>
  );
}
