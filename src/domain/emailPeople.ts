/**
 * People held by e-mail only (external partners: police, NHS, fire, probation officers outside the
 * council's tenant). Agreed representation: a directory person whose id is `mailto:<lower-case
 * address>`, with `email` set to the address. They are asked by e-mail and answer on the e-mailed
 * page; everyone else is reached in Teams.
 */
const PREFIX = 'mailto:';

export function emailPersonId(address: string): string {
  return `${PREFIX}${address.trim().toLowerCase()}`;
}

export function isEmailOnly(person: { id: string }): boolean {
  return person.id.toLowerCase().startsWith(PREFIX);
}

/** The address a person can be e-mailed at: their `email`, else the address in a `mailto:` id. */
export function mailAddressOf(person: { id: string; email?: string }): string | undefined {
  if (person.email && person.email.includes('@')) return person.email.trim();
  return isEmailOnly(person) ? person.id.slice(PREFIX.length) : undefined;
}
