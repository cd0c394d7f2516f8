/**
 * The configurable tab's setup page: the co-ordinator picks the plan the channel tab shows. In Teams
 * it saves the tab (contentUrl with ?plan=); in a plain browser it shows the address it would save.
 * Set up by a co-ordinator in a team channel, it also makes that channel the plan's: its id (and its
 * team's, from the Teams context) are kept with the plan's settings, and the weekly digest and
 * escalations are posted there (PUT /api/plans/:id/channel).
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
  const [me, setMe] = useState<Me>();
  const [channel, setChannel] = useState<{ channelId: string; teamId: string; name?: string }>();

  useEffect(() => {
    api.get<Me>('/me').then(
      (m) => {
        setMe(m);
        setEntityId(m.tabEntityId);
      },
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

  // The channel the tab is being added to (none in a chat or outside Teams).
  useEffect(() => {
    if (!host.inTeams) return;
    void import('@microsoft/teams-js').then(({ app }) =>
      app.getContext().then(
        (context) => {
          const channelId = context.channel?.id;
          const teamId = context.team?.internalId;
          if (channelId && teamId)
            setChannel({ channelId, teamId, ...(context.channel?.displayName ? { name: context.channel.displayName } : {}) });
        },
        () => undefined,
      ),
    );
  }, [host]);

  const linksChannel = !!channel && !!me?.coordinator;

  useEffect(() => {
    if (!host.inTeams || !chosen) return;
    const plan = plans?.find((p) => p.id === chosen);
    void import('@microsoft/teams-js').then(({ pages }) => {
      pages.config.registerOnSaveHandler((save) => {
        // The plan's digest goes to this channel; a failure here does not stop the tab being added.
        const linked = linksChannel
          ? api.send('PUT', `/plans/${encodeURIComponent(chosen)}/channel`, { channelId: channel.channelId, teamId: channel.teamId }).then(
              () => undefined,
              () => undefined,
            )
          : Promise.resolve();
        void linked
          .then(() =>
            pages.config.setConfig({
              contentUrl: tabUrlFor(window.location.origin, chosen),
              websiteUrl: tabUrlFor(window.location.origin, chosen),
              // The bot's deep links name this entity id and carry the plan as subEntityId.
              entityId,
              suggestedDisplayName: plan ? plan.plan.title : 'Delivery plan',
            }),
          )
          .then(
            () => save.notifySuccess(),
            (e: unknown) => save.notifyFailure(String(e)),
          );
      });
      pages.config.setValidityState(true);
    });
  }, [host, api, chosen, plans, entityId, channel, linksChannel]);

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
          {channel && (
            <p data-testid="config-channel">
              {me?.coordinator
                ? `The weekly digest and escalations for this plan will be posted in ${channel.name ? `the ${channel.name} channel` : 'this channel'}.`
                : "Only a co-ordinator can make this the plan's channel for the weekly digest; the tab is added either way."}
            </p>
          )}
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
