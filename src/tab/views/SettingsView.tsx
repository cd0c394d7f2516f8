/** Settings: reminder offsets, digest day/hour and channel (co-ordinators change them). */
import { Button, Field, Input, MessageBar, MessageBarBody, Select, Spinner, makeStyles } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { ApiError, type Settings } from '../api';
import { ImportPlan } from '../components/ImportPlan';
import { usePlan } from '../context';
import { formatInstant, WEEKDAY_LABELS } from '../format';
import { useShared } from '../styles';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '520px' } });

export function SettingsView(): ReactElement {
  const { api, plan, me } = usePlan();
  const shared = useShared();
  const styles = useStyles();
  const path = `/plans/${encodeURIComponent(plan.id)}/settings`;
  const [settings, setSettings] = useState<Settings>();
  const [offsets, setOffsets] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string }>();

  useEffect(() => {
    api.get<Settings>(path).then(
      (s) => {
        setSettings(s);
        setOffsets(s.reminderOffsets.join(', '));
      },
      (e: unknown) => setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'Settings could not be loaded.' }),
    );
  }, [api, path]);

  if (!settings) return message ? <p role="alert">{message.text}</p> : <Spinner label="Loading settings…" />;
  const readOnly = !me.coordinator;

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = offsets
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (parsed.some((n) => !Number.isInteger(n))) {
      setMessage({ intent: 'error', text: 'Reminder offsets are whole numbers of days, separated by commas (for example 28, 14, 7, 0).' });
      return;
    }
    try {
      const saved = await api.send<Settings>('PUT', path, {
        reminderOffsets: parsed,
        digestDay: settings.digestDay,
        digestHour: settings.digestHour,
        digestChannel: settings.digestChannel,
      });
      setSettings(saved);
      setOffsets(saved.reminderOffsets.join(', '));
      setMessage({ intent: 'success', text: 'Settings saved.' });
    } catch (err) {
      setMessage({ intent: 'error', text: err instanceof ApiError ? err.message : 'Settings could not be saved.' });
    }
  };

  return (
    <div data-testid="settings">
      <h2 className={shared.h2}>Settings</h2>
      {readOnly && <p>Only a co-ordinator can change these settings.</p>}
      <form className={styles.form} onSubmit={(e) => void save(e)} aria-label="Reminder and digest settings">
        <Field label="Reminder offsets (days before a milestone)" hint="Comma-separated; 0 means on the day. Leads are prompted on each.">
          <Input value={offsets} onChange={(_e, d) => setOffsets(d.value)} disabled={readOnly} data-testid="settings-offsets" />
        </Field>
        <Field label="Weekly digest day">
          <Select
            value={settings.digestDay}
            onChange={(_e, d) => setSettings({ ...settings, digestDay: d.value as Settings['digestDay'] })}
            disabled={readOnly}
          >
            {Object.entries(WEEKDAY_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Digest hour (UK time)">
          <Select
            value={String(settings.digestHour)}
            onChange={(_e, d) => setSettings({ ...settings, digestHour: Number(d.value) })}
            disabled={readOnly}
          >
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={String(h)}>
                {`${String(h).padStart(2, '0')}:00`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Digest channel" hint="Teams channel id (19:…@thread.tacv2); empty for the channel the app was added to.">
          <Input
            value={settings.digestChannel}
            onChange={(_e, d) => setSettings({ ...settings, digestChannel: d.value })}
            disabled={readOnly}
          />
        </Field>
        {message && (
          <MessageBar intent={message.intent} role={message.intent === 'error' ? 'alert' : 'status'}>
            <MessageBarBody>{message.text}</MessageBarBody>
          </MessageBar>
        )}
        {!readOnly && (
          <div>
            <Button appearance="primary" type="submit">
              Save settings
            </Button>
          </div>
        )}
        {settings.updatedAt && (
          <p className={shared.muted}>
            Last changed {formatInstant(settings.updatedAt)} by {settings.updatedBy}
          </p>
        )}
      </form>
      {me.coordinator && <ImportPlan />}
    </div>
  );
}
