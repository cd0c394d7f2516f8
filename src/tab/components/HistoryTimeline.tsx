/**
 * An item's status history as a timeline, newest first: when, who, the change (status, or due dates
 * moved), figures and the note. An ordered list, each entry marked with its status's colour and icon
 * (never colour alone).
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { RAG_LABELS, type StatusUpdate } from '../../domain/model';
import type { StoredItem } from '../api';
import { formatDate, formatInstant } from '../format';
import { RagBadge } from './RagBadge';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  entry: {
    position: 'relative',
    padding: '0 0 14px 20px',
    borderLeft: `2px solid ${tokens.colorNeutralStroke2}`,
    marginLeft: '6px',
    overflowWrap: 'anywhere',
    ':last-child': { borderLeftColor: 'transparent' },
    '::before': {
      content: '""',
      position: 'absolute',
      left: '-7px',
      top: '2px',
      width: '12px',
      height: '12px',
      borderRadius: '50%',
      backgroundColor: tokens.colorNeutralBackground1,
      border: `2px solid ${tokens.colorNeutralForeground2}`,
    },
  },
  when: { fontWeight: tokens.fontWeightSemibold },
  who: { color: tokens.colorNeutralForeground2 },
  change: { margin: '4px 0' },
  note: { margin: '4px 0 0', whiteSpace: 'pre-wrap' },
});

function datesText(dates: readonly string[] | undefined): string {
  return dates && dates.length > 0 ? dates.map(formatDate).join(', ') : 'none';
}

export function HistoryTimeline({ history, item }: { history: readonly StatusUpdate[]; item: StoredItem }): ReactElement {
  const styles = useStyles();
  return (
    <ol className={styles.list} data-testid="history" aria-label="Status history, newest first">
      {[...history].reverse().map((h, i) => (
        <li key={`${h.at}-${i}`} className={styles.entry} data-testid="history-entry">
          <div>
            <span className={styles.when}>{formatInstant(h.at)}</span>{' '}
            <span className={styles.who}>
              · {h.by}
              {h.via === 'email' ? ' (by e-mail)' : ''}
            </span>
          </div>
          <div className={styles.change}>
            {h.kind === 'plan-edit' ? (
              <span data-testid="history-dates">
                Due dates changed in the plan: {datesText(h.milestonesBefore)} → {datesText(h.milestonesAfter)}
              </span>
            ) : (
              <>
                {RAG_LABELS[h.from]} → <RagBadge status={h.to} size="medium" />
              </>
            )}
          </div>
          {h.revisedDate && (
            <div data-testid="history-dates">
              Due date moved{h.revisedFrom ? ` from ${formatDate(h.revisedFrom)}` : ''} to {formatDate(h.revisedDate)}
            </div>
          )}
          {h.figures && Object.keys(h.figures).length > 0 && (
            <div>
              Figures:{' '}
              {Object.entries(h.figures)
                .map(([k, v]) => `${item.outputs[Number(k)]?.text.slice(0, 40) ?? `output ${k}`}: ${v}`)
                .join('; ')}
            </div>
          )}
          {h.note && <p className={styles.note}>{h.note}</p>}
        </li>
      ))}
    </ol>
  );
}
