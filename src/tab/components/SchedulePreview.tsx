/**
 * What the bot will send in the coming quarter (from today, 13 weeks), as the daily run would send it
 * if nobody answered: one row per card, who gets it and the items on it. Computed by the server with
 * the code that sends (GET …/schedule), so a co-ordinator sees the rhythm before it happens.
 */
import { Spinner } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { addDays } from '../../domain/calendar';
import { plural } from '../../domain/words';
import type { ScheduleJson } from '../../usecases/schedule';
import { ApiError } from '../api';
import { usePlan } from '../context';
import { formatDate } from '../format';
import { useShared } from '../styles';

const WHY: Record<string, string> = { 'check-in': 'check-in', milestone: 'milestone', overdue: 'overdue' };

export function SchedulePreview(props: { revision: number }): ReactElement {
  const { api, plan, today } = usePlan();
  const shared = useShared();
  const [s, setS] = useState<ScheduleJson>();
  const [error, setError] = useState<string>();
  const to = addDays(today, 90);

  useEffect(() => {
    let live = true;
    api.get<ScheduleJson>(`/plans/${encodeURIComponent(plan.id)}/schedule?from=${today}&to=${to}`).then(
      (x) => live && (setS(x), setError(undefined)),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'The schedule could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, plan.id, today, to, props.revision]);

  if (error) return <p role="alert">{error}</p>;
  if (!s) return <Spinner label="Working out what the bot will send…" />;
  return (
    <section aria-labelledby="schedule-h" className={shared.section} data-testid="schedule">
      <h3 id="schedule-h" className={shared.h3}>
        What the bot will send from {formatDate(s.from)} to {formatDate(s.to)}
      </h3>
      <p className={shared.muted}>
        {plural(s.cards.length, 'card')} with {plural(s.requests.length, 'request')}, if nobody answers in between (an answer stops the
        reminders it answers). One card a day at most for each person.
      </p>
      {s.cards.length === 0 ? (
        <p>Nothing is due in these weeks.</p>
      ) : (
        <table className={shared.table}>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">To</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {s.cards.map((c) => {
              const asked = s.requests.filter((r) => r.date === c.date && (r.person ?? r.role) === c.recipient);
              const why = new Map<string, number>();
              for (const r of asked) why.set(WHY[r.reason] ?? r.reason, (why.get(WHY[r.reason] ?? r.reason) ?? 0) + 1);
              return (
                <tr key={`${c.date}-${c.recipient}`}>
                  <td>{formatDate(c.date)}</td>
                  <td>
                    {c.name}
                    {c.name === c.recipient && <span className={shared.overdue}> (nobody named for this role)</span>}
                    {asked.some((r) => r.deputy) && <span className={shared.muted}> (as deputy)</span>}
                  </td>
                  <td>
                    {plural(c.itemKeys.length, 'item')}: {[...why].map(([k, n]) => `${n} ${k}`).join(', ')}
                    {asked.some((r) => r.period) ? ` (${asked.find((r) => r.period)!.period})` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
