/** A table of RAG counts, one column per status: the dashboard's and the report's status by objective, the trend's data. */
import { makeStyles } from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';
import type { RagCounts } from '../../domain/dashboard';
import { RAG_LABELS, RAG_VALUES, type Rag } from '../../domain/model';

export interface RagCountRow {
  key: string;
  /** The row's header cell (what the counts are of). */
  header: ReactNode;
  /** Cells between the header and the counts, one per `before` column. */
  cells?: ReactNode[];
  counts: RagCounts;
  /** Where a count (other than 0) links to, with what the link shows in words: the items it counts. */
  links?: (rag: Rag) => { href: string; label: string } | undefined;
}

const useStyles = makeStyles({
  // A lone figure is a small target: at least 24 px square (WCAG 2.2 target size).
  link: { display: 'inline-block', minWidth: '24px', minHeight: '24px' },
});

/**
 * A count, as a link to the items it counts when there are any and `link` says where; its label says
 * so in words (the figure alone says little out of its table).
 */
export function CountLink({ count, link }: { count: number; link?: { href: string; label: string } | undefined }): ReactElement {
  const styles = useStyles();
  if (!link || count === 0) return <>{count}</>;
  return (
    <a href={link.href} aria-label={link.label} className={styles.link}>
      {count}
    </a>
  );
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
              <td key={r}>
                <CountLink count={row.counts[r]} link={row.links?.(r)} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
