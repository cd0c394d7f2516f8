/** The board pack's sections: summary by objective, exception report, every item, outputs, recommendations. */
import type { ReactElement } from 'react';
import { DIRECTION_LABELS, type BoardPack, type Direction } from '../../domain/boardPack';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';
import { RagBadge } from './RagBadge';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { OutputsTable } from './OutputsTable';
import { ScrollTable } from './ScrollTable';

const ARROW: Record<Direction, string> = { improved: '↑', same: '→', worse: '↓', new: '·' };

function DirectionText({ d }: { d: Direction }): ReactElement {
  return (
    <span>
      <span aria-hidden>{ARROW[d]} </span>
      {DIRECTION_LABELS[d]}
    </span>
  );
}

/** A pack row's header cell: the item's title, its leads beneath. */
function ItemHeader({ title, leads }: { title: string; leads: readonly string[] }): ReactElement {
  const shared = useShared();
  return (
    <th scope="row" style={{ fontWeight: 'normal' }}>
      {title}
      <div className={shared.muted}>{leads.join('; ')}</div>
    </th>
  );
}

export function PackSummary({ pack }: { pack: BoardPack }): ReactElement {
  const shared = useShared();
  return (
    <ScrollTable label="Summary by objective">
      <table className={shared.table} data-testid="pack-summary">
        <caption>Status by objective, and direction of travel since {pack.previous.label}</caption>
        <thead>
          <tr>
            <th scope="col">Objective</th>
            <th scope="col">Items</th>
            {RAG_VALUES.map((r) => (
              <th scope="col" key={r}>
                {RAG_LABELS[r]}
              </th>
            ))}
            <th scope="col">Direction</th>
          </tr>
        </thead>
        <tbody>
          {pack.byObjective.map((o) => (
            <tr key={o.objective}>
              <th scope="row">
                {o.objective}. {o.title}
              </th>
              <td>{o.total}</td>
              {RAG_VALUES.map((r) => (
                <td key={r}>{o.counts[r]}</td>
              ))}
              <td>
                <DirectionText d={o.direction} />{' '}
                <span className={shared.muted}>
                  ({o.improved} improved, {o.worse} worse)
                </span>
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">All items</th>
            <td>{pack.total}</td>
            {RAG_VALUES.map((r) => (
              <td key={r}>{pack.counts[r]}</td>
            ))}
            <td />
          </tr>
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function ExceptionReport({ pack }: { pack: BoardPack }): ReactElement {
  const shared = useShared();
  return (
    <section aria-labelledby="pack-exceptions" className={shared.section}>
      <h3 id="pack-exceptions" className={shared.h3}>
        Exception report
      </h3>
      {pack.exceptions.offTrack.length === 0 ? (
        <p>No item was Red or Amber at {formatDate(pack.asAt)}.</p>
      ) : (
        <ScrollTable label="Exception report">
          <table className={shared.table} data-testid="exceptions">
            <caption>Red and Amber items</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Status</th>
                <th scope="col">Note</th>
                <th scope="col">Corrective action</th>
                <th scope="col">Revised date</th>
              </tr>
            </thead>
            <tbody>
              {pack.exceptions.offTrack.map((r) => (
                <tr key={r.key}>
                  <ItemHeader title={r.title} leads={r.leads} />
                  <td>
                    <RagBadge status={r.status} size="medium" />
                  </td>
                  <td>{r.note ?? 'No note'}</td>
                  <td>{r.correctiveAction ?? 'None recorded'}</td>
                  <td>{r.revisedDate ? formatDate(r.revisedDate) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <h4 className={shared.h3}>
        Not reported in {pack.quarter.label} ({pack.exceptions.notReported.length})
      </h4>
      {pack.exceptions.notReported.length === 0 ? (
        <p>Every open item was reported in the quarter.</p>
      ) : (
        <ul data-testid="not-reported">
          {pack.exceptions.notReported.map((r) => (
            <li key={r.key}>
              {r.title}{' '}
              <span className={shared.muted}>
                ({r.leads.join('; ') || 'no lead'}; last report {r.lastReportAt ? formatInstant(r.lastReportAt) : 'never'})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function EveryItem({ pack }: { pack: BoardPack }): ReactElement {
  const shared = useShared();
  return (
    <section aria-labelledby="pack-items" className={shared.section}>
      <h3 id="pack-items" className={shared.h3}>
        Every item
      </h3>
      <ScrollTable label="Every item">
        <table className={shared.table} data-testid="pack-items">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Status</th>
              <th scope="col">At {pack.previous.label}</th>
              <th scope="col">Direction</th>
              <th scope="col">Latest note</th>
            </tr>
          </thead>
          <tbody>
            {pack.items.map((r) => (
              <tr key={r.key}>
                <ItemHeader title={r.title} leads={r.leads} />
                <td>
                  <RagBadge status={r.status} size="medium" />
                </td>
                <td>{RAG_LABELS[r.previous]}</td>
                <td>
                  <DirectionText d={r.direction} />
                </td>
                <td>{r.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}

export function OutputsAndRecommendations({ pack }: { pack: BoardPack }): ReactElement {
  const shared = useShared();
  return (
    <>
      <section aria-labelledby="pack-outputs" className={shared.section}>
        <h3 id="pack-outputs" className={shared.h3}>
          Outputs against targets
        </h3>
        <OutputsTable outputs={pack.outputs} forBoard />
      </section>
      <section aria-labelledby="pack-recs" className={shared.section}>
        <h3 id="pack-recs" className={shared.h3}>
          Recommendations
        </h3>
        <ul>
          {pack.recommendations.map((r) => (
            <li key={r.number}>
              {r.number}. {r.text}:{' '}
              {r.actions.length
                ? RAG_VALUES.filter((v) => r.counts[v])
                    .map((v) => `${r.counts[v]} ${RAG_LABELS[v].toLowerCase()}`)
                    .join(', ')
                : 'no item answers it'}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
