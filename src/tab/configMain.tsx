/**
 * The configurable tab's setup page: the co-ordinator picks the plan the channel tab shows. In Teams
 * it saves the tab (contentUrl with ?plan=); in a plain browser it shows the address it would save.
 */
import { Field, MessageBar, MessageBarBody, Select, Spinner, makeStyles } from '@fluentui/react-components';
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError, type Me, type PlanSummary } from './api';
import { connectHost, type Host } from './host';
import { Themed } from './Themed';

const useStyles = makeStyles({ page: { padding: '16px', maxWidth: '640px' }, h1: { fontSize: '20px', margin: '0 0 12px' } });

export function tabUrlFor(origin: string, planId: string): string {
  return `${origin}/tab/?plan=${encodeURIComponent(planId)}`;
}

function ConfigPage({ host }: { host: Host }): ReactElement {
  const styles = useStyles();
  const api = useMemo(() => new Api(host), [host]);
  const [plans, setPlans] = useState<PlanSummary[]>();
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string>();
  const [entityId, setEntityId] = useState('plan');

  useEffect(() => {
    api.get<Me>('/me').then(
      (me) => setEntityId(me.tabEntityId),
      () => undefined,
    );
    api.get<PlanSummary[]>('/plans').then(
      (p) => {
        setPlans(p);
        if (p[0]) setChosen(p[0].id);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'Plans could not be loaded.'),
    );
  }, [api]);

  useEffect(() => {
    if (!host.inTeams || !chosen) return;
    const plan = plans?.find((p) => p.id === chosen);
    void import('@microsoft/teams-js').then(({ pages }) => {
      pages.config.registerOnSaveHandler((save) => {
        pages.config
          .setConfig({
            contentUrl: tabUrlFor(window.location.origin, chosen),
            websiteUrl: tabUrlFor(window.location.origin, chosen),
            // The bot's deep links name this entity id and carry the plan as subEntityId.
            entityId,
            suggestedDisplayName: plan ? plan.plan.title : 'Delivery plan',
          })
          .then(
            () => save.notifySuccess(),
            (e: unknown) => save.notifyFailure(String(e)),
          );
      });
      pages.config.setValidityState(true);
    });
  }, [host, chosen, plans, entityId]);

  return (
    <main className={styles.page}>
      <h1 className={styles.h1}>Set up the delivery plan tab</h1>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {!plans && !error && <Spinner label="Loading plans…" />}
      {plans && plans.length === 0 && <p>There is no plan on this server yet. Import one first (dplan import &lt;file&gt;).</p>}
      {plans && plans.length > 0 && (
        <>
          <Field label="Plan to show in this tab">
            <Select value={chosen} onChange={(_e, d) => setChosen(d.value)} data-testid="config-plan">
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {`${p.plan.organisation}: ${p.plan.title} (${p.itemCount} items)`}
                </option>
              ))}
            </Select>
          </Field>
          <p>
            {host.inTeams ? 'Select Save to add the tab.' : 'Outside Teams: the tab would open'}{' '}
            <code data-testid="config-url">{tabUrlFor(window.location.origin, chosen)}</code>
          </p>
        </>
      )}
    </main>
  );
}

const root = createRoot(document.getElementById('root') as HTMLElement);
void connectHost().then((host) =>
  root.render(
    <Themed host={host}>
      <ConfigPage host={host} />
    </Themed>,
  ),
);
