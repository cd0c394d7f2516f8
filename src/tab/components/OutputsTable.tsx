/**
 * Outputs against targets: each output of an item with a target, what was last reported and the share
 * of the target reached. On the dashboard each item is a link to its detail and progress is a bar; in
 * the board pack (a paper for the board, printed or saved) the item is its title and progress a figure.
 */
import { ProgressBar, makeStyles } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { OutputProgress } from '../../domain/dashboard';
import { figureText, targetWords } from '../../domain/words';
import { formatInstant } from '../format';
import { useShared } from '../styles';
import { ItemLink } from './DashboardTables';
import { ScrollTable } from './ScrollTable';

const useStyles = makeStyles({
  progressCell: { minWidth: '120px' },
});

export function OutputsTable({ outputs, forBoard = false }: { outputs: readonly OutputProgress[]; forBoard?: boolean }): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  return (
    <ScrollTable label="Outputs against targets">
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
          {outputs.map((o) => (
            <tr key={`${o.itemKey}-${o.index}`}>
              <td>{forBoard ? o.itemTitle : <ItemLink itemKey={o.itemKey}>{o.itemTitle}</ItemLink>}</td>
              <td>{o.text}</td>
              <td>{targetWords(o)}</td>
              <td>
                {o.reported !== undefined ? (
                  <>
                    {figureText(o.reported, o)}
                    <div className={shared.muted}>{formatInstant(o.reportedAt)}</div>
                  </>
                ) : (
                  'Not reported'
                )}
              </td>
              <td className={forBoard ? undefined : styles.progressCell}>
                {o.percent === undefined ? (
                  '—'
                ) : forBoard ? (
                  `${o.percent}%`
                ) : (
                  <>
                    <ProgressBar
                      value={Math.min(1, o.percent / 100)}
                      thickness="large"
                      aria-label={`${o.text}: ${o.percent}% of target`}
                      color={o.percent >= 100 ? 'success' : 'brand'}
                    />
                    <span>{o.percent}%</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
