/**
 * Settings (co-ordinators change them): reminder days, the weekly digest, the reporting cycle
 * (check-in cadence and lead time, the owner role of items with no lead, when deputies are asked),
 * what the public version leaves out; and what the bot will send in the coming quarter.
 */
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { RESTRICTABLE_FIELDS, RESTRICTABLE_LABELS, type RestrictableField } from '../../domain/publicExport';
import type { ReportingCadence } from '../../domain/reportingPeriods';
import { ApiError, type Settings } from '../api';
import { ChannelPicker } from '../components/ChannelPicker';
import { ImportPlan } from '../components/ImportPlan';
import { SchedulePreview } from '../components/SchedulePreview';
import { usePlan } from '../context';
import { formatInstant, WEEKDAY_LABELS } from '../format';
import { useShared } from '../styles';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '560px' },
  // A fieldset is as wide as its widest content by default (min-width: min-content): let it narrow.
  fieldset: { border: 'none', padding: 0, margin: '8px 0 0', display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
});

/** The settings' fields, for the problems the server names by field. */
type FieldName = keyof Omit<Settings, 'source' | 'updatedAt' | 'updatedBy'>;
type Problems = Partial<Record<FieldName | 'settings', string>>;

/** The fields shown with their own message (the public version's tick boxes and the whole form are not). */
const PLACED = new Set<string>([
  'reminderOffsets',
  'cadence',
  'leadDays',
  'ownerRole',
  'deputyAfterDays',
  'digestDay',
  'digestHour',
  'digestChannel',
  'internalFigures',
]);

/** A Field's error props: the message under the field, tied to its control (aria-describedby, aria-invalid). */
function invalid(problems: Problems, field: FieldName): { validationMessage?: string; validationState?: 'error' } {
  const message = problems[field];
  return message ? { validationMessage: message, validationState: 'error' } : {};
}

const CADENCES: Record<ReportingCadence, string> = {
  quarterly: 'Quarterly (UK financial year)',
  monthly: 'Monthly',
  none: 'None (milestone reminders only)',
};

/** Whole numbers separated by commas or spaces, or undefined when any is not one. */
function numbers(text: string): number[] | undefined {
  const parsed = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  return parsed.some((n) => !Number.isInteger(n)) ? undefined : parsed;
}

export function SettingsView(): ReactElement {
  const { api, plan, me, team } = usePlan();
  const shared = useShared();
  const styles = useStyles();
  const path = `/plans/${encodeURIComponent(plan.id)}/settings`;
  const [settings, setSettings] = useState<Settings>();
  const [offsets, setOffsets] = useState('');
  const [internal, setInternal] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string }>();
  const [problems, setProblems] = useState<Problems>({});
  const [saves, setSaves] = useState(0);
  const form = useRef<HTMLFormElement>(null);

  // After a refused save, focus goes to the first field in error, whose message is read with it.
  useEffect(() => {
    if (Object.keys(problems).length) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  useEffect(() => {
    api.get<Settings>(path).then(
      (s) => {
        setSettings(s);
        setOffsets(s.reminderOffsets.join(', '));
        setInternal(s.internalFigures.join('\n'));
      },
      (e: unknown) => setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'Settings could not be loaded.' }),
    );
  }, [api, path]);

  if (!settings) return message ? <p role="alert">{message.text}</p> : <Spinner label="Loading settings…" />;
  const readOnly = !me.coordinator;
  const set = (patch: Partial<Settings>): void => setSettings({ ...settings, ...patch });

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = numbers(offsets);
    if (!parsed) {
      setMessage({ intent: 'error', text: 'The settings were not saved: check the field marked below.' });
      setProblems({ reminderOffsets: 'Reminder days are whole numbers of days, separated by commas (for example 28, 14, 7, 0).' });
      return;
    }
    try {
      const { source: _source, updatedAt: _at, updatedBy: _by, ...body } = settings;
      const saved = await api.send<Settings>('PUT', path, {
        ...body,
        reminderOffsets: parsed,
        internalFigures: internal
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      });
      // A channel chosen from the team's list: the bot learns which team it belongs to, so that it can
      // start the digest's thread there (the same call the tab's set-up page makes).
      if (team?.internalId && saved.digestChannel) {
        await api.send('PUT', `/plans/${encodeURIComponent(plan.id)}/channel`, { channelId: saved.digestChannel, teamId: team.internalId });
      }
      setSettings(saved);
      setOffsets(saved.reminderOffsets.join(', '));
      setInternal(saved.internalFigures.join('\n'));
      setMessage({ intent: 'success', text: 'Settings saved.' });
      setProblems({});
      setSaves((n) => n + 1);
    } catch (err) {
      const found: Problems = {};
      if (err instanceof ApiError)
        for (const p of err.body.problems ?? []) {
          const field = p.field as FieldName;
          found[field] = found[field] ? `${found[field]} ${p.message}` : p.message;
        }
      setProblems(found);
      // Problems with no field of their own on the form are said in the message.
      const unplaced = Object.entries(found)
        .filter(([field]) => !PLACED.has(field))
        .map(([, text]) => text);
      const marked = Object.keys(found).length - unplaced.length;
      const text = err instanceof ApiError ? err.message : 'Settings could not be saved.';
      setMessage({
        intent: 'error',
        text:
          marked || unplaced.length
            ? `The settings were not saved: ${[marked ? `check the ${marked === 1 ? 'field' : 'fields'} marked below` : '', ...unplaced].filter(Boolean).join('; ')}.`
            : text,
      });
    }
  };

  const restricted = new Set(settings.publicRestricted);
  const toggle = (field: RestrictableField, on: boolean): void =>
    set({ publicRestricted: RESTRICTABLE_FIELDS.filter((f) => (f === field ? on : restricted.has(f))) });

  return (
    <div data-testid="settings">
      <h2 className={shared.h2}>Settings</h2>
      {readOnly && <p>Only a co-ordinator can change these settings.</p>}
      <form
        ref={form}
        className={styles.form}
        noValidate
        onSubmit={(e) => void save(e)}
        aria-label="Reminder, reporting and digest settings"
      >
        <Field
          label="Reminder offsets (days before a milestone)"
          hint="Comma-separated; 0 means on the day. Leads are prompted on each."
          {...invalid(problems, 'reminderOffsets')}
        >
          <Input value={offsets} onChange={(_e, d) => setOffsets(d.value)} disabled={readOnly} data-testid="settings-offsets" />
        </Field>
        <fieldset className={styles.fieldset}>
          <legend className={shared.h3}>Reporting cycle</legend>
          <Field
            label="Check-ins"
            hint="Every open item is asked for its status once per period, unless it was reported in it. UK financial quarters end 30 June, 30 September, 31 December and 31 March."
            {...invalid(problems, 'cadence')}
          >
            <Select value={settings.cadence} onChange={(_e, d) => set({ cadence: d.value as ReportingCadence })} disabled={readOnly}>
              {Object.entries(CADENCES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Check-in lead time (days before the period ends)" {...invalid(problems, 'leadDays')}>
            <Input
              type="number"
              min={0}
              max={60}
              value={String(settings.leadDays)}
              onChange={(_e, d) => set({ leadDays: Number(d.value) })}
              disabled={readOnly}
            />
          </Field>
          <Field
            label="Owner role for items with no lead (the contract manager)"
            hint="Commissioned projects name no lead: this role answers for them. Empty for the co-ordinator's role."
            {...invalid(problems, 'ownerRole')}
          >
            <Input value={settings.ownerRole} onChange={(_e, d) => set({ ownerRole: d.value })} disabled={readOnly} />
          </Field>
          <Field
            label="Ask a role's deputy after (days without an answer)"
            hint="At once when every lead of the role is marked away."
            {...invalid(problems, 'deputyAfterDays')}
          >
            <Input
              type="number"
              min={0}
              max={60}
              value={String(settings.deputyAfterDays)}
              onChange={(_e, d) => set({ deputyAfterDays: Number(d.value) })}
              disabled={readOnly}
            />
          </Field>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={shared.h3}>Weekly digest</legend>
          <Field label="Weekly digest day" hint="Overdue items are asked on this day too." {...invalid(problems, 'digestDay')}>
            <Select
              value={settings.digestDay}
              onChange={(_e, d) => set({ digestDay: d.value as Settings['digestDay'] })}
              disabled={readOnly}
            >
              {Object.entries(WEEKDAY_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Digest hour (UK time)" {...invalid(problems, 'digestHour')}>
            <Select value={String(settings.digestHour)} onChange={(_e, d) => set({ digestHour: Number(d.value) })} disabled={readOnly}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={String(h)}>
                  {`${String(h).padStart(2, '0')}:00`}
                </option>
              ))}
            </Select>
          </Field>
          <ChannelPicker
            value={settings.digestChannel}
            onChange={(digestChannel) => set({ digestChannel })}
            disabled={readOnly}
            {...(problems.digestChannel ? { error: problems.digestChannel } : {})}
          />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={shared.h3}>Public version</legend>
          <p className={shared.muted}>Notes, corrective actions and people&apos;s names are always left out. Also leave out:</p>
          {RESTRICTABLE_FIELDS.map((f) => (
            <Checkbox
              key={f}
              label={RESTRICTABLE_LABELS[f]}
              checked={restricted.has(f)}
              onChange={(_e, d) => toggle(f, !!d.checked)}
              disabled={readOnly}
            />
          ))}
          <Field
            label="Internal figures"
            hint="One a line: an item key for all its figures, or the key, # and the output number (a4-1234abcd#2)."
            {...invalid(problems, 'internalFigures')}
          >
            <Textarea value={internal} onChange={(_e, d) => setInternal(d.value)} rows={3} disabled={readOnly} />
          </Field>
        </fieldset>
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
      <SchedulePreview revision={saves} />
      {me.coordinator && <ImportPlan />}
    </div>
  );
}
