/**
 * The people picker's search box: a Fluent Combobox that searches as you type (from 2 characters,
 * a quarter of a second after the last key) — Microsoft Graph people search on behalf of the
 * signed-in person in Teams, the people already in the plan and its directory in local mode — and
 * offers, when what is typed is an e-mail address ("pat@partner.org" or "Pat Partner
 * <pat@partner.org>"), to add that person by e-mail: an external partner outside the organisation
 * (id `mailto:<address>`), reached by e-mail rather than in Teams. What the search found, or did not,
 * is said in a polite live region.
 */
import { Combobox, Field, Option } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { ApiError } from '../api';
import { usePlan } from '../context';
import { useShared } from '../styles';

export interface PickedPerson {
  id: string;
  name: string;
  email?: string;
}

interface PersonHit {
  id: string;
  name: string;
  email: string | null;
}

/** An external partner's id: the agreed representation, `mailto:` and the address in lower case. */
export function externalId(email: string): string {
  return `mailto:${email.trim().toLowerCase()}`;
}

export function isExternal(person: { id: string }): boolean {
  return person.id.startsWith('mailto:');
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "pat@partner.org", "Pat Partner <pat@partner.org>" or "Pat Partner, pat@partner.org" → the person to add by e-mail. */
export function byEmail(text: string): PickedPerson | undefined {
  const line = text.trim();
  const m = /^(.*?)\s*<([^>]+)>$/.exec(line) ?? /^(.*?),\s*(\S+)$/.exec(line);
  const email = (m ? m[2] : line)?.trim() ?? '';
  if (!EMAIL.test(email)) return undefined;
  const name = (m?.[1] ?? '').trim() || email;
  return { id: externalId(email), name, email: email.toLowerCase() };
}

export function PersonSearch(props: {
  label: string;
  hint?: string;
  /** Ids already chosen: not offered again. */
  exclude: ReadonlySet<string>;
  onPick(person: PickedPerson): void;
}): ReactElement {
  const { api } = usePlan();
  const shared = useShared();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<PersonHit[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(false);
  const term = query.trim();

  useEffect(() => {
    setError(undefined);
    // "Name <address>" is someone to add by e-mail: nothing to search for.
    const typed = byEmail(term);
    if (term.length < 2 || (typed && typed.name !== typed.email)) {
      setHits([]);
      setStatus('');
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      api.get<PersonHit[]>(`/people?q=${encodeURIComponent(term)}`).then(
        (found) => {
          if (!live) return;
          setHits(found);
          setStatus(
            found.length ? `${found.length} found` : `No one found for “${term}”. Type their e-mail address to add them by e-mail.`,
          );
        },
        (e: unknown) => live && (setHits([]), setError(e instanceof ApiError ? e.message : 'People could not be searched.')),
      );
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, term]);

  const external = byEmail(term);
  const offered = hits.filter((h) => !props.exclude.has(h.id));
  const options: Array<PickedPerson & { label: string; external?: boolean }> = offered.map((h) => ({
    id: h.id,
    name: h.name,
    ...(h.email ? { email: h.email } : {}),
    label: h.email ? `${h.name} (${h.email})` : h.name,
  }));
  const known = external && [...hits, ...options].some((h) => h.email?.toLowerCase() === external.email);
  if (external && !known && !props.exclude.has(external.id))
    options.push({
      ...external,
      label: `Add ${external.name === external.email ? external.email : `${external.name} (${external.email})`} by e-mail`,
      external: true,
    });

  return (
    <Field
      label={props.label}
      hint={props.hint ?? 'Type 2 or more letters of a name, or an e-mail address for someone outside the organisation.'}
      {...(error ? { validationMessage: error, validationState: 'error' as const } : {})}
    >
      <Combobox
        freeform
        // In the dialog, not in a portal of its own: a closed portal's layer stayed over the dialog's buttons on a phone.
        inlinePopup
        value={query}
        selectedOptions={[]}
        placeholder="Name or e-mail address"
        // Open while there is something to offer: typing opens it, results arriving while typing show at once.
        open={open && options.length > 0}
        onOpenChange={(_e, d) => setOpen(d.open)}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onOptionSelect={(_e, d) => {
          const chosen = options.find((o) => o.id === d.optionValue);
          if (!chosen) return;
          props.onPick({ id: chosen.id, name: chosen.name, ...(chosen.email ? { email: chosen.email } : {}) });
          setQuery('');
          setHits([]);
          setOpen(false);
          setStatus(`${chosen.name} added.`);
        }}
      >
        {options.map((o) => (
          <Option key={o.id} value={o.id} text={o.label}>
            {o.label}
          </Option>
        ))}
      </Combobox>
      <span role="status" className={shared.muted}>
        {status}
      </span>
    </Field>
  );
}
