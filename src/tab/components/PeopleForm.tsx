/**
 * Who answers for a role: the people picker (search as you type, or add by e-mail), and the people
 * chosen, each marked away or as the role's deputy (at most one), or removed. Saved in one PUT.
 */
import {
  Badge,
  Button,
  Checkbox,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss16Regular, Mail16Regular } from '@fluentui/react-icons';
import { useState, type FormEvent, type ReactElement } from 'react';
import type { DirectoryRoleView } from '../api';
import { useShared } from '../styles';
import { PersonSearch, isExternal } from './PersonSearch';

export interface PersonInput {
  id: string;
  name: string;
  email?: string;
  away?: boolean;
  deputy?: boolean;
}

const useStyles = makeStyles({
  list: { listStyleType: 'none', padding: 0, margin: '8px 0', display: 'flex', flexDirection: 'column', gap: '8px' },
  person: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: '4px 12px',
    padding: '6px 8px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  who: { flexGrow: 1, minWidth: '10em', overflowWrap: 'anywhere' },
});

/** The "E-mail" badge of an external partner: reached by e-mail, not in Teams. */
export function EmailBadge(): ReactElement {
  return (
    <Badge appearance="outline" color="informative" icon={<Mail16Regular aria-hidden />} data-testid="email-badge">
      E-mail
    </Badge>
  );
}

export function PeopleForm({
  role,
  onClose,
  onSave,
}: {
  role: DirectoryRoleView;
  onClose(): void;
  onSave(people: PersonInput[]): Promise<string | undefined>;
}): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  const [people, setPeople] = useState<PersonInput[]>(() =>
    role.people.map((p) => ({
      id: p.id,
      name: p.name,
      ...(p.email ? { email: p.email } : {}),
      ...(p.away ? { away: true } : {}),
      ...(p.deputy ? { deputy: true } : {}),
    })),
  );
  const [error, setError] = useState<string>();
  const change = (id: string, patch: Partial<PersonInput>): void =>
    setPeople((list) => list.map((p) => (p.id === id ? { ...p, ...patch } : p)));

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (people.filter((p) => p.deputy).length > 1) {
      setError('Name one deputy for the role: untick Deputy for the others.');
      return;
    }
    setError(await onSave(people));
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
          <PersonSearch
            label="Find someone"
            exclude={new Set(people.map((p) => p.id))}
            onPick={(person) => setPeople((list) => [...list, person])}
          />
          <h3 className={shared.h3} id="people-chosen">
            Answering for this role
          </h3>
          {people.length === 0 ? (
            <p className={shared.muted}>No one yet. Saving with no one removes everyone from the role.</p>
          ) : (
            <ul className={styles.list} aria-labelledby="people-chosen" data-testid="people-chosen">
              {people.map((p) => (
                <li key={p.id} className={styles.person}>
                  <span className={styles.who}>
                    {p.name}
                    {p.email && p.email !== p.name ? <span className={shared.muted}> ({p.email})</span> : null}{' '}
                    {isExternal(p) && <EmailBadge />}
                  </span>
                  <Checkbox label="Away" checked={!!p.away} onChange={(_e, d) => change(p.id, { away: !!d.checked })} />
                  <Checkbox label="Deputy" checked={!!p.deputy} onChange={(_e, d) => change(p.id, { deputy: !!d.checked })} />
                  <Button
                    size="small"
                    icon={<Dismiss16Regular />}
                    aria-label={`Remove ${p.name}`}
                    onClick={() => setPeople((list) => list.filter((x) => x.id !== p.id))}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <p className={shared.muted}>
            Someone away is not asked; the deputy is asked when the others have not answered within a week, or at once when they are all
            away.
          </p>
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
