/**
 * Detail pane of one item: outcomes, outputs with targets and figures reported, recommendations,
 * the full status history; and the actions the caller may take (report status, edit, prompt).
 */
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
  Radio,
  RadioGroup,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular, Edit20Regular, Send20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { dueDates, dueState } from '../../domain/milestones';
import { NOTE_MAX } from '../../domain/statusReport';
import { roleKey } from '../../domain/leads';
import { RAG_LABELS, REPORTABLE_RAG, type ReportableRag, type StatusUpdate } from '../../domain/model';
import { ApiError, type StoredItem } from '../api';
import { RagBadge, ragIcon } from '../components/RagBadge';
import { usePlan } from '../context';
import { formatDate, formatInstant } from '../format';
import { useShared } from '../styles';
import { useDialog } from '../useDialog';

/** The longest note the API and the bot's card accept. */

const useStyles = makeStyles({
  pane: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '12px 16px',
    backgroundColor: tokens.colorNeutralBackground2,
    alignSelf: 'start',
    position: 'sticky',
    top: '8px',
    maxHeight: 'calc(100vh - 16px)',
    overflowY: 'auto',
  },
  head: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'start' },
  title: {
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
    margin: '0 0 8px',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: '4px 12px',
    margin: '8px 0',
    '& dt': { fontWeight: tokens.fontWeightSemibold },
    '& dd': { margin: 0 },
  },
  form: { display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '8px' },
  radios: { display: 'flex', flexWrap: 'wrap' },
  radioLabel: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
});

export function ItemDetail({ item, onClose }: { item: StoredItem; onClose(): void }): ReactElement {
  const { api, plan, me, today, replaceItem, announce } = usePlan();
  const styles = useStyles();
  const shared = useShared();
  const [history, setHistory] = useState<StatusUpdate[]>();
  const [historyError, setHistoryError] = useState<string>();
  const [message, setMessage] = useState<{ intent: 'success' | 'error' | 'warning'; text: string }>();
  const editDialog = useDialog();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const base = `/plans/${encodeURIComponent(plan.id)}/items/${encodeURIComponent(item.key)}`;
  const canReport = me.coordinator || item.leads.some((l) => me.roles.some((r) => sameRole(r, l)));

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    let live = true;
    api.get<StatusUpdate[]>(`${base}/history`).then(
      (h) => live && setHistory(h),
      (e: unknown) => live && setHistoryError(e instanceof ApiError ? e.message : 'History could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, base, item.version]);

  const onConflict = (e: unknown): boolean => {
    if (e instanceof ApiError && e.status === 409 && e.body.current) {
      replaceItem(e.body.current as StoredItem);
      setMessage({
        intent: 'warning',
        text: 'Someone else changed this item while you were working on it. The latest version is shown: check it and make your change again.',
      });
      return true;
    }
    return false;
  };

  const due = dueState(item, today, me.windowDays);
  const figures = latestFigures(history ?? []);
  const recs = plan.recommendations.filter((r) => item.recommendations.includes(r.number));

  return (
    <aside id="item-detail" aria-labelledby="item-detail-title" className={styles.pane} data-testid="item-detail">
      <div className={styles.head}>
        <h2 id="item-detail-title" ref={headingRef} tabIndex={-1} className={styles.title}>
          {item.title}
        </h2>
        <Button appearance="subtle" icon={<Dismiss20Regular />} aria-label="Close item detail" onClick={onClose} />
      </div>
      <RagBadge status={item.status} />
      <dl className={styles.dl}>
        <dt>Type</dt>
        <dd>{item.kind === 'project' ? 'Commissioned project' : 'Action'}</dd>
        <dt>Objectives</dt>
        <dd>{item.objectives.map((n) => `Objective ${n}`).join(', ')}</dd>
        <dt>Leads</dt>
        <dd>{item.leads.join('; ') || 'None named'}</dd>
        {item.provider && (
          <>
            <dt>Provider</dt>
            <dd>{item.provider}</dd>
          </>
        )}
        <dt>Timescale</dt>
        <dd>{item.timescale || '—'}</dd>
        <dt>Milestones</dt>
        <dd data-testid="milestones">
          {dueDates(item).length
            ? dueDates(item)
                .map((d) =>
                  d.due === d.milestone || d.added ? formatDate(d.due) : `${formatDate(d.due)} (revised from ${formatDate(d.milestone)})`,
                )
                .join(', ')
            : item.recurring
              ? 'Ongoing (no due date)'
              : 'None'}
        </dd>
        <dt>Next</dt>
        <dd>
          {due.overdue ? (
            <span className={shared.overdue}>Overdue since {formatDate(due.overdue)}</span>
          ) : due.next ? (
            formatDate(due.next)
          ) : (
            '—'
          )}
        </dd>
        {item.lastUpdate?.revisedDate && (
          <>
            <dt>Revised date</dt>
            <dd>{formatDate(item.lastUpdate.revisedDate)}</dd>
          </>
        )}
      </dl>
      {item.description && <p>{item.description}</p>}
      <h3 className={shared.h3}>Outcomes</h3>
      {item.outcomes.length ? (
        <ul>
          {item.outcomes.map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ul>
      ) : (
        <p className={shared.muted}>None stated.</p>
      )}
      <h3 className={shared.h3}>Outputs</h3>
      {item.outputs.length ? (
        <table className={shared.table}>
          <thead>
            <tr>
              <th scope="col">Output</th>
              <th scope="col">Target</th>
              <th scope="col">Reported</th>
            </tr>
          </thead>
          <tbody>
            {item.outputs.map((o, i) => (
              <tr key={i}>
                <td>{o.text}</td>
                <td>{o.target !== undefined ? `${o.atLeast ? 'at least ' : ''}${o.target}${o.unit ? ` ${o.unit}` : ''}` : '—'}</td>
                <td>{figures[i] !== undefined ? figures[i] : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className={shared.muted}>None stated.</p>
      )}
      <h3 className={shared.h3}>Peer review recommendations</h3>
      {recs.length ? (
        <ul>
          {recs.map((r) => (
            <li key={r.number}>
              Recommendation {r.number}: {r.text}
            </li>
          ))}
        </ul>
      ) : (
        <p className={shared.muted}>This item answers no recommendation.</p>
      )}

      {message && (
        <MessageBar intent={message.intent} role={message.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}

      {canReport ? (
        <StatusForm
          item={item}
          onDone={(updated) => {
            replaceItem(updated);
            setMessage({ intent: 'success', text: `Status set to ${RAG_LABELS[updated.status]}.` });
            announce(`Status of ${updated.title} set to ${RAG_LABELS[updated.status]}`);
          }}
          onError={(e) => {
            if (!onConflict(e)) setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The status could not be saved.' });
          }}
        />
      ) : (
        <p className={shared.muted}>Only this item&rsquo;s leads or a co-ordinator can report its status.</p>
      )}

      {me.coordinator && (
        <div className={shared.toolbar} role="group" aria-label="Co-ordinator actions for this item">
          <Button icon={<Edit20Regular />} onClick={editDialog.show}>
            Edit item
          </Button>
          <Button
            icon={<Send20Regular />}
            onClick={() => {
              api.send<{ sent: number; alreadySent?: number; unreachable: string[] }>('POST', `${base}/prompt`, {}).then(
                (r) => {
                  const already = r.alreadySent ? `; ${r.alreadySent} already had today's prompt` : '';
                  const unreachable = r.unreachable.length ? `; cannot reach ${r.unreachable.join('; ')}` : '';
                  const reached = r.sent + (r.alreadySent ?? 0) > 0;
                  setMessage({
                    intent: reached ? 'success' : 'warning',
                    text: `Prompt sent to ${r.sent} ${r.sent === 1 ? 'person' : 'people'}${already}${unreachable}.`,
                  });
                },
                (e: unknown) => setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The prompt could not be sent.' }),
              );
            }}
          >
            Send prompt now
          </Button>
        </div>
      )}
      {editDialog.mounted && (
        <EditDialog
          open={editDialog.open}
          item={item}
          onClose={editDialog.hide}
          onSaved={(updated) => {
            replaceItem(updated);
            editDialog.hide();
            setMessage({ intent: 'success', text: 'Item saved.' });
          }}
          onError={(e) => {
            editDialog.hide();
            if (!onConflict(e)) setMessage({ intent: 'error', text: e instanceof ApiError ? e.message : 'The item could not be saved.' });
          }}
        />
      )}

      <h3 className={shared.h3}>Status history</h3>
      {historyError && <p role="alert">{historyError}</p>}
      {history && history.length === 0 && <p className={shared.muted}>No status has been reported yet.</p>}
      {history && history.length > 0 && (
        <table className={shared.table} data-testid="history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Change</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((h, i) => (
              <tr key={`${h.at}-${i}`}>
                <td>{formatInstant(h.at)}</td>
                <td>{h.by}</td>
                <td>
                  {h.kind === 'plan-edit' ? (
                    <div data-testid="history-dates">
                      Due dates changed in the plan: {datesText(h.milestonesBefore)} → {datesText(h.milestonesAfter)}
                    </div>
                  ) : (
                    <>
                      {RAG_LABELS[h.from]} → <RagBadge status={h.to} size="medium" />
                    </>
                  )}
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
                </td>
                <td>{h.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}

function datesText(dates: readonly string[] | undefined): string {
  return dates && dates.length > 0 ? dates.map(formatDate).join(', ') : 'none';
}

/** Role names compared as the server and the bot do (domain/leads roleKey). */
function sameRole(a: string, b: string): boolean {
  return roleKey(a) === roleKey(b);
}

function latestFigures(history: readonly StatusUpdate[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const h of history) for (const [k, v] of Object.entries(h.figures ?? {})) out[Number(k)] = v;
  return out;
}

function StatusForm({
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
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save status'}
        </Button>
      </div>
    </form>
  );
}

/** Opened and closed through `open` (see useDialog), so Fluent restores the page for assistive technology. */
function EditDialog({
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
