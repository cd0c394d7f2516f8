/**
 * Directory: the roles answering for the plan's items (lead roles, and the owner role of items with no
 * lead, like any role) → people, each role's deputy, who is away, who has answered and who cannot be
 * reached. Co-ordinators edit it.
 */
import {
  Badge,
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
  Spinner,
  Textarea,
} from '@fluentui/react-components';
import { PersonAvailable20Regular, PersonClock20Regular, PersonProhibited20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { ApiError, type DirectoryRoleView } from '../api';
import { usePlan } from '../context';
import { formatInstant } from '../format';
import { useShared } from '../styles';
import { useDialog } from '../useDialog';

const STATE = {
  answered: { label: 'Answered', color: 'success', icon: <PersonAvailable20Regular aria-hidden /> },
  waiting: { label: 'Waiting for a report', color: 'warning', icon: <PersonClock20Regular aria-hidden /> },
  unreachable: { label: 'Cannot be reached', color: 'danger', icon: <PersonProhibited20Regular aria-hidden /> },
} as const;

export interface PersonInput {
  name: string;
  email?: string;
  away?: boolean;
  deputy?: boolean;
}

/** "Pat Prevent <pat@example.gov.uk>" or "Pat Prevent, pat@example.gov.uk" per line; "(away)" at the end marks someone away. */
export function parsePeople(text: string): PersonInput[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((raw) => {
      const away = /\s*\(away\)$/i.test(raw);
      const line = raw.replace(/\s*\(away\)$/i, '').trim();
      const angle = /^(.*?)\s*<([^>]+)>$/.exec(line);
      const comma = /^(.*?),\s*(\S+@\S+)$/.exec(line);
      const m = angle ?? comma;
      const person: PersonInput = m
        ? { name: (m[1] ?? '').trim() || (m[2] ?? ''), email: (m[2] ?? '').trim() }
        : /^\S+@\S+$/.test(line)
          ? { name: line, email: line }
          : { name: line };
      return away ? { ...person, away: true } : person;
    });
}

function personLine(p: PersonInput): string {
  return `${p.email ? `${p.name} <${p.email}>` : p.name}${p.away ? ' (away)' : ''}`;
}

export function DirectoryView(): ReactElement {
  const { api, plan, me, revision } = usePlan();
  const shared = useShared();
  const [roles, setRoles] = useState<DirectoryRoleView[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<DirectoryRoleView>();
  const dialog = useDialog();
  const path = `/plans/${encodeURIComponent(plan.id)}/directory`;

  useEffect(() => {
    api
      .get<DirectoryRoleView[]>(path)
      .then(setRoles, (e: unknown) => setError(e instanceof ApiError ? e.message : 'The directory could not be loaded.'));
  }, [api, path, revision]);

  if (error && !roles) return <p role="alert">{error}</p>;
  if (!roles) return <Spinner label="Loading the directory…" />;
  const unreachable = roles.filter((r) => r.state === 'unreachable' && r.items > 0).length;

  return (
    <div data-testid="directory">
      <h2 className={shared.h2}>Directory of leads</h2>
      <p>
        {roles.length} lead roles · {roles.filter((r) => r.state === 'answered').length} answered · {unreachable} cannot be reached
      </p>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <table className={shared.table}>
        <thead>
          <tr>
            <th scope="col">Lead role</th>
            <th scope="col">Items led</th>
            <th scope="col">People</th>
            <th scope="col">State</th>
            {me.coordinator && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.role} data-testid="directory-row">
              <th scope="row">
                {r.role}
                {r.owner && <div className={shared.muted}>Answers for the items with no lead</div>}
              </th>
              <td>{r.items}</td>
              <td>
                {r.people.length === 0 ? (
                  <span className={shared.muted}>No one named</span>
                ) : (
                  <ul style={{ margin: 0, paddingLeft: 16 }}>
                    {r.people.map((p) => (
                      <li key={p.id}>
                        {p.deputy && <strong>Deputy: </strong>}
                        {p.name}
                        {p.email ? ` (${p.email})` : ''}
                        {p.away && <strong> · away</strong>} —{' '}
                        {p.reports
                          ? `${p.reports} ${p.reports === 1 ? 'report' : 'reports'}, last ${formatInstant(p.lastReportAt)}`
                          : 'no report yet'}
                        {p.unreachable && <strong className={shared.overdue}> · cannot be reached: {p.unreachable}</strong>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <Badge appearance="tint" color={STATE[r.state].color} icon={STATE[r.state].icon} size="large">
                  {STATE[r.state].label}
                </Badge>
                {r.state === 'unreachable' && r.people.length === 0 && <div className={shared.muted}>No one is named for this role</div>}
              </td>
              {me.coordinator && (
                <td>
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(r);
                      dialog.show();
                    }}
                    aria-label={`Edit people for ${r.role}`}
                  >
                    Edit people
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {dialog.mounted && (
        <Dialog open={dialog.open} onOpenChange={(_e, d) => !d.open && dialog.hide()}>
          <DialogSurface>
            {editing && (
              <PeopleForm
                role={editing}
                onClose={dialog.hide}
                onSave={async (people) => {
                  try {
                    setRoles(await api.send<DirectoryRoleView[]>('PUT', path, { roles: [{ role: editing.role, people }] }));
                    setError(undefined);
                    dialog.hide();
                  } catch (e) {
                    return e instanceof ApiError ? e.message : 'The directory could not be saved.';
                  }
                  return undefined;
                }}
              />
            )}
          </DialogSurface>
        </Dialog>
      )}
    </div>
  );
}

function PeopleForm({
  role,
  onClose,
  onSave,
}: {
  role: DirectoryRoleView;
  onClose(): void;
  onSave(people: PersonInput[]): Promise<string | undefined>;
}): ReactElement {
  const { api } = usePlan();
  const [text, setText] = useState(
    role.people
      .filter((p) => !p.deputy)
      .map(personLine)
      .join('\n'),
  );
  const [deputy, setDeputy] = useState(
    role.people
      .filter((p) => p.deputy)
      .map(personLine)
      .join('\n'),
  );
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Array<{ id: string; name: string; email: string | null }>>();
  const search = async (): Promise<void> => {
    setError(undefined);
    try {
      setFound(await api.get<Array<{ id: string; name: string; email: string | null }>>(`/people?q=${encodeURIComponent(query)}`));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'People could not be searched.');
    }
  };
  const add = (p: { name: string; email: string | null }): void =>
    setText((t) => `${t.trim() ? `${t.trimEnd()}\n` : ''}${p.email ? `${p.name} <${p.email}>` : p.name}`);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const deputies = parsePeople(deputy).map((p) => ({ ...p, deputy: true }));
    if (deputies.length > 1) {
      setError('Name one deputy for the role.');
      return;
    }
    setError(await onSave([...parsePeople(text), ...deputies]));
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <DialogBody>
        <DialogTitle>People for {role.role}</DialogTitle>
        <DialogContent>
          {error && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>{error}</MessageBarBody>
            </MessageBar>
          )}
          <Field label="Find someone in your organisation">
            <Input
              value={query}
              onChange={(_e, d) => setQuery(d.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
            />
          </Field>
          <div style={{ margin: '4px 0 8px' }}>
            <Button size="small" onClick={() => void search()} disabled={query.trim().length < 2}>
              Search
            </Button>
          </div>
          {found && (
            <ul aria-label="People found" style={{ paddingLeft: 16 }}>
              {found.length === 0 && <li>No one found.</li>}
              {found.map((p) => (
                <li key={p.id}>
                  {p.name}
                  {p.email ? ` (${p.email})` : ''}{' '}
                  <Button size="small" onClick={() => add(p)} aria-label={`Add ${p.name}`}>
                    Add
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <Field
            label="One person per line"
            hint='Name <email>, e.g. Pat Prevent <pat@example.gov.uk>; add "(away)" after someone who is away. Leave empty to remove everyone.'
          >
            <Textarea value={text} onChange={(_e, d) => setText(d.value)} rows={5} />
          </Field>
          <Field
            label="Deputy"
            hint="Asked when the leads have not answered within a week, or at once when they are all away. Name <email>; may be empty."
          >
            <Input value={deputy} onChange={(_e, d) => setDeputy(d.value)} />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button appearance="primary" type="submit">
            Save people
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
