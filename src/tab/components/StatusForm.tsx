/**
 * The status report form of the item detail: Red, Amber, Green or Complete, a note, figures against
 * numeric targets, a revised date with Red. The rules are checked once, on the server (the same as
 * the bot's card), and their words are shown next to the fields.
 */
import { Button, Field, Input, Radio, RadioGroup, Textarea, makeStyles } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactElement } from 'react';
import { NOTE_MAX } from '../../domain/statusReport';
import { RAG_LABELS, REPORTABLE_RAG, type ReportableRag } from '../../domain/model';
import { ApiError, type StoredItem } from '../api';
import { ragIcon } from './RagBadge';
import { usePlan } from '../context';
import { useShared } from '../styles';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '8px' },
  radios: { display: 'flex', flexWrap: 'wrap' },
  radioLabel: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
});

export function StatusForm({
  item,
  onDone,
  onError,
}: {
  item: StoredItem;
  onDone(item: StoredItem): void;
  onError(e: unknown): void;
}): ReactElement {
  const { api, plan } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const [to, setTo] = useState<ReportableRag | ''>('');
  const [note, setNote] = useState('');
  const [revised, setRevised] = useState('');
  const [figures, setFigures] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  /** What the server refused, by field: the same words the bot's card uses. */
  const [problems, setProblems] = useState<Record<string, string>>({});
  const problem = (field: string) =>
    problems[field] ? { validationMessage: problems[field], validationState: 'error' as const } : { validationState: 'none' as const };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!to) {
      setProblems({ rag: 'Choose a status: Red, Amber, Green or Complete.' });
      return;
    }
    setProblems({});
    const figs: Record<string, number> = {};
    for (const [k, v] of Object.entries(figures)) if (v.trim() !== '') figs[k] = Number(v);
    setBusy(true);
    try {
      const updated = await api.send<StoredItem>(
        'POST',
        `/plans/${encodeURIComponent(plan.id)}/items/${encodeURIComponent(item.key)}/status`,
        {
          to,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(Object.keys(figs).length ? { figures: figs } : {}),
          ...(revised && to === 'red' ? { revisedDate: revised } : {}),
        },
        item.version,
      );
      setTo('');
      setNote('');
      setRevised('');
      setFigures({});
      onDone(updated);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.body.problems?.length) {
        setProblems(Object.fromEntries(err.body.problems.map((p) => [p.field, p.message])));
      } else onError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    // noValidate: the rules are checked once, on the server, and their words shown next to the fields.
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="status-form-h" data-testid="status-form" noValidate>
      <h3 id="status-form-h" className={shared.h3}>
        Report status
      </h3>
      <Field label="New status" required {...problem('rag')}>
        <RadioGroup value={to} onChange={(_e, d) => setTo(d.value as ReportableRag)} className={styles.radios} layout="horizontal">
          {REPORTABLE_RAG.map((r) => (
            <Radio
              key={r}
              value={r}
              label={
                <span className={styles.radioLabel}>
                  {ragIcon(r)}
                  {RAG_LABELS[r]}
                </span>
              }
            />
          ))}
        </RadioGroup>
      </Field>
      <Field
        label="Note (what has happened, what is next)"
        required={to === 'red' || to === 'amber'}
        hint={`${note.length.toLocaleString('en-GB')} of ${NOTE_MAX.toLocaleString('en-GB')} characters`}
        {...problem('note')}
      >
        <Textarea value={note} onChange={(_e, d) => setNote(d.value)} resize="vertical" maxLength={NOTE_MAX} data-testid="status-note" />
      </Field>
      {to === 'red' && (
        <Field label="Revised due date (optional)" hint="When it will now be delivered: it moves the milestone" {...problem('revisedDate')}>
          <Input type="date" value={revised} onChange={(_e, d) => setRevised(d.value)} />
        </Field>
      )}
      {item.outputs.map((o, i) =>
        o.target !== undefined ? (
          <Field
            key={i}
            label={`Figure to date for: ${o.text}`}
            hint={`Target ${o.atLeast ? 'at least ' : ''}${o.target}${o.unit ? ` ${o.unit}` : ''}`}
            {...problem(`figure_${i}`)}
          >
            <Input type="number" min={0} value={figures[i] ?? ''} onChange={(_e, d) => setFigures((f) => ({ ...f, [i]: d.value }))} />
          </Field>
        ) : null,
      )}
      <div>
        <Button appearance="primary" type="submit" disabledFocusable={busy}>
          {busy ? 'Saving…' : 'Save status'}
        </Button>
      </div>
    </form>
  );
}
