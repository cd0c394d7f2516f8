/**
 * Directory: the roles answering for the plan's items (lead roles, and the owner role of items with no
 * lead, like any role) → people, each role's deputy, who is away, who has answered and who cannot be
 * reached; external partners (reached by e-mail) carry an "E-mail" badge. A table on a laptop, a card
 * per role on a phone. Co-ordinators choose people with the people picker (PeopleForm).
 */
import { Badge, Button, Dialog, DialogSurface, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { PersonAvailable20Regular, PersonClock20Regular, PersonProhibited20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactElement } from 'react';
import { ApiError, type DirectoryPersonView, type DirectoryRoleView } from '../api';
import { EmailBadge, PeopleForm } from '../components/PeopleForm';
import { isExternal } from '../components/PersonSearch';
import { usePlan } from '../context';
import { formatInstant } from '../format';
import { useShared } from '../styles';
import { useDialog } from '../useDialog';
import { NARROW, useMediaQuery } from '../useMediaQuery';

const STATE = {
  answered: { label: 'Answered', color: 'success', icon: <PersonAvailable20Regular aria-hidden /> },
  waiting: { label: 'Waiting for a report', color: 'warning', icon: <PersonClock20Regular aria-hidden /> },
  unreachable: { label: 'Cannot be reached', color: 'danger', icon: <PersonProhibited20Regular aria-hidden /> },
} as const;

const useStyles = makeStyles({
  people: { margin: 0, paddingLeft: '16px', overflowWrap: 'anywhere' },
  // The state's pill grows with its words (Fluent's badge has a fixed height): "Cannot be reached" stays inside it.
  state: { height: 'auto', minHeight: '24px', whiteSpace: 'nowrap', maxWidth: '100%' },
  cards: { listStyleType: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  card: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 12px',
    backgroundColor: tokens.colorNeutralBackground1,
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    overflowWrap: 'anywhere',
  },
  cardHead: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: '4px 8px' },
  roleName: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
});

/** One person in a role: deputy, name and address (an "E-mail" badge for a partner outside the organisation), away, reports. */
function PersonLine({ p }: { p: DirectoryPersonView }): ReactElement {
  const shared = useShared();
  return (
    <li data-person={p.id}>
      {p.deputy && <strong>Deputy: </strong>}
      {p.name}
      {p.email && p.email !== p.name ? ` (${p.email})` : ''}
      {isExternal(p) && (
        <>
          {' '}
          <EmailBadge />
        </>
      )}
      {p.away && <strong> · away</strong>} —{' '}
      {p.reports ? `${p.reports} ${p.reports === 1 ? 'report' : 'reports'}, last ${formatInstant(p.lastReportAt)}` : 'no report yet'}
      {p.unreachable && <strong className={shared.overdue}> · cannot be reached: {p.unreachable}</strong>}
    </li>
  );
}

function People({ role }: { role: DirectoryRoleView }): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  if (role.people.length === 0) return <span className={shared.muted}>No one named</span>;
  return (
    <ul className={styles.people}>
      {role.people.map((p) => (
        <PersonLine key={p.id} p={p} />
      ))}
    </ul>
  );
}

function StateBadge({ role }: { role: DirectoryRoleView }): ReactElement {
  const shared = useShared();
  const styles = useStyles();
  return (
    <>
      <Badge appearance="tint" color={STATE[role.state].color} icon={STATE[role.state].icon} size="large" className={styles.state}>
        {STATE[role.state].label}
      </Badge>
      {role.state === 'unreachable' && role.people.length === 0 && <div className={shared.muted}>No one is named for this role</div>}
    </>
  );
}

export function DirectoryView(): ReactElement {
  const { api, plan, me, revision } = usePlan();
  const shared = useShared();
  const [roles, setRoles] = useState<DirectoryRoleView[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<DirectoryRoleView>();
  const dialog = useDialog();
  const styles = useStyles();
  const narrow = useMediaQuery(NARROW);
  const path = `/plans/${encodeURIComponent(plan.id)}/directory`;
  const edit = (r: DirectoryRoleView): ReactElement => (
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
  );

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
      {narrow ? (
        <ul className={styles.cards} aria-label="Lead roles">
          {roles.map((r) => (
            <li key={r.role} data-testid="directory-row" className={styles.card}>
              <div className={styles.cardHead}>
                <h3 className={styles.roleName}>{r.role}</h3>
                <StateBadge role={r} />
              </div>
              {r.owner && <div className={shared.muted}>Answers for the items with no lead</div>}
              <div className={shared.muted}>
                {r.items} {r.items === 1 ? 'item' : 'items'} led
              </div>
              <People role={r} />
              {me.coordinator && <div>{edit(r)}</div>}
            </li>
          ))}
        </ul>
      ) : (
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
                  <People role={r} />
                </td>
                <td>
                  <StateBadge role={r} />
                </td>
                {me.coordinator && <td>{edit(r)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
