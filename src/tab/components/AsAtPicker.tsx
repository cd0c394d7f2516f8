/**
 * "As at" a day: a date field, with a quick pick for each quarter end of the plan's period (the board
 * reports on those). Today by default; a past day shows the plan as it stood then, rebuilt from history.
 */
import { Button, Field, Input, makeStyles } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import type { ReportingPeriod } from '../../domain/reportingPeriods';
import { ApiError } from '../api';
import { usePlan } from '../context';
import { formatDate } from '../format';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'flex-end', margin: '8px 0' },
  picks: { display: 'flex', flexWrap: 'wrap', gap: '4px' },
});

/** The plan's quarters (label, start, end), from the API. */
export function useQuarters(): ReportingPeriod[] | undefined {
  const { api, plan } = usePlan();
  const [quarters, setQuarters] = useState<ReportingPeriod[]>();
  useEffect(() => {
    let live = true;
    api.get<ReportingPeriod[]>(`/plans/${encodeURIComponent(plan.id)}/quarters`).then(
      (q) => live && setQuarters(q),
      (e: unknown) => live && e instanceof ApiError && setQuarters([]),
    );
    return () => {
      live = false;
    };
  }, [api, plan.id]);
  return quarters;
}

export function AsAtPicker(props: { value: string; onChange(date: string): void }): ReactElement {
  const { today } = usePlan();
  const styles = useStyles();
  const quarters = useQuarters();
  const [typed, setTyped] = useState(props.value);
  useEffect(() => setTyped(props.value), [props.value]);
  return (
    <div className={styles.row}>
      <Field label="As at" hint="The plan as it stood at the end of this day">
        <Input
          type="date"
          value={typed}
          max={today}
          onChange={(_e, d) => {
            setTyped(d.value);
            if (/^\d{4}-\d{2}-\d{2}$/.test(d.value)) props.onChange(d.value);
          }}
          data-testid="as-at"
        />
      </Field>
      <div role="group" aria-label="Quarter ends" className={styles.picks}>
        <Button
          size="small"
          appearance={props.value === today ? 'primary' : 'secondary'}
          aria-pressed={props.value === today}
          onClick={() => props.onChange(today)}
        >
          Today
        </Button>
        {(quarters ?? [])
          .filter((q) => q.end <= today)
          .map((q) => (
            <Button
              key={q.end}
              size="small"
              appearance={props.value === q.end ? 'primary' : 'secondary'}
              aria-pressed={props.value === q.end}
              onClick={() => props.onChange(q.end)}
            >
              {`${q.label} (${formatDate(q.end)})`}
            </Button>
          ))}
      </div>
    </div>
  );
}
