/** A table of RAG counts, one column per status: the dashboard's and the report's status by objective, the trend's data. */
import type { ReactElement, ReactNode } from 'react';
import type { RagCounts } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES } from '../../domain/model';

export interface RagCountRow {
  key: string;
  /** The row's header cell (what the counts are of). */
  header: ReactNode;
  /** Cells between the header and the counts, one per `before` column. */
  cells?: ReactNode[];
  counts: RagCounts;
}

export function RagCountTable(props: {
  caption: string;
  /** Heading of the row-header column. */
  rowHeader: string;
  /** Headings of the columns between the row header and the counts. */
  before?: string[];
  rows: RagCountRow[];
  className?: string;
  testId?: string;
}): ReactElement {
  return (
    <table className={props.className} data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.rowHeader}</th>
          {(props.before ?? []).map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
          {RAG_VALUES.map((r) => (
            <th scope="col" key={r}>
              {RAG_LABELS[r]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.header}</th>
            {(row.cells ?? []).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
            {RAG_VALUES.map((r) => (
              <td key={r}>{row.counts[r]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
