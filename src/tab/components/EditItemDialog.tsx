/** The co-ordinator's "Edit item" dialog: title, description, outcomes, timescale, milestones, leads. */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import { useState, type FormEvent, type ReactElement } from 'react';
import { ApiError, type StoredItem } from '../api';
import { usePlan } from '../context';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '8px' },
});

/** Opened and closed through `open` (see useDialog), so Fluent restores the page for assistive technology. */
export function EditDialog({
  open,
  item,
  onClose,
  onSaved,
  onError,
}: {
  open: boolean;
  item: StoredItem;
  onClose(): void;
  onSaved(item: StoredItem): void;
  onError(e: unknown): void;
}): ReactElement {
  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_e, d) => !d.open && onClose()}>
      <DialogSurface>{open && <EditForm item={item} onClose={onClose} onSaved={onSaved} onError={onError} />}</DialogSurface>
    </Dialog>
  );
}

function EditForm({
  item,
  onClose,
  onSaved,
  onError,
}: {
  item: StoredItem;
  onClose(): void;
  onSaved(item: StoredItem): void;
  onError(e: unknown): void;
}): ReactElement {
  const { api, plan } = usePlan();
  const styles = useStyles();
  const [title, setTitle] = useState(item.title);
  const [description, setDescription] = useState(item.description ?? '');
  const [timescale, setTimescale] = useState(item.timescale);
  const [milestones, setMilestones] = useState(item.milestones.join(', '));
  const [leads, setLeads] = useState(item.leads.join('\n'));
  const [outcomes, setOutcomes] = useState(item.outcomes.join('\n'));
  const [error, setError] = useState<string>();

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    // Only what changed is sent, so an edit never rewrites fields the person did not touch.
    const lines = (text: string): string[] =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const next = {
      title: title.trim(),
      description: description.trim(),
      timescale: timescale.trim(),
      milestones: milestones.split(/[,\s]+/).filter(Boolean),
      leads: lines(leads),
      outcomes: lines(outcomes),
    };
    const before = {
      title: item.title,
      description: item.description ?? '',
      timescale: item.timescale,
      milestones: item.milestones,
      leads: item.leads,
      outcomes: item.outcomes,
    };
    const patch = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof typeof before])),
    );
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    try {
      onSaved(
        await api.send<StoredItem>(
          'PATCH',
          `/plans/${encodeURIComponent(plan.id)}/items/${encodeURIComponent(item.key)}`,
          patch,
          item.version,
        ),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setError(err.message);
      else onError(err);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)}>
      <DialogBody>
        <DialogTitle>Edit item</DialogTitle>
        <DialogContent className={styles.form}>
          {error && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>{error}</MessageBarBody>
            </MessageBar>
          )}
          <Field label="Title" required>
            <Input value={title} onChange={(_e, d) => setTitle(d.value)} />
          </Field>
          <Field label="Description">
            <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} />
          </Field>
          <Field label="Outcomes (one per line)">
            <Textarea value={outcomes} onChange={(_e, d) => setOutcomes(d.value)} rows={4} />
          </Field>
          <Field label="Timescale (as the plan states it)">
            <Input value={timescale} onChange={(_e, d) => setTimescale(d.value)} />
          </Field>
          <Field label="Milestones" hint="Dates as YYYY-MM-DD, separated by commas">
            <Input value={milestones} onChange={(_e, d) => setMilestones(d.value)} />
          </Field>
          <Field label="Lead roles (one per line)" required>
            <Textarea value={leads} onChange={(_e, d) => setLeads(d.value)} rows={3} />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button appearance="primary" type="submit">
            Save item
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
