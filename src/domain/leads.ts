/**
 * Lead roles as plans write them. A cell names one or more roles separated by a semicolon, a line
 * break, or a slash with white space beside it ("Prevent Co-ordinator / Adults and Children's
 * Safeguarding Board Chairs", "Prevent Co-Ordinator/ Cohesion …", "DCI; Head of Community Safety");
 * a slash with no space ("HE/FE co-ordinator"), a comma ("DCI, Violent Crime Taskforce, MPS") and
 * anything inside parentheses ("Inspector (Local Operations/MPS)") are part of the role.
 */
import { foldText } from './identity';

export function splitLeads(cell: string): string[] {
  const roles: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    const slash = ch === '/' && (/\s/.test(cell[i - 1] ?? '') || /\s/.test(cell[i + 1] ?? ''));
    if (depth === 0 && (slash || ch === ';' || ch === '\n' || ch === '\r')) {
      roles.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  roles.push(current);
  return roles.map((r) => r.replace(/\s+/g, ' ').trim()).filter((r) => r.length > 0);
}

/**
 * Two spellings of one role share a key: case, spacing and punctuation do not matter
 * ("Prevent Co-Ordinator", "Prevent Coordinator" and "prevent co-ordinator" are one role).
 * The one definition of role equality: the importer, the directory, the bot and the tab all use it.
 */
export function roleKey(role: string): string {
  return foldText(role).replace(/[^a-z0-9]+/g, '');
}

function capitals(text: string): number {
  return (text.match(/[A-Z]/g) ?? []).length;
}

/**
 * Picks one spelling per role across a plan: the one with the fewest capitals (so "Prevent
 * Co-ordinator" wins over "Prevent Co-Ordinator"), then the most used, then the first seen.
 * Returns a function that maps any spelling to the canonical one.
 */
export function canonicalRoles(allSpellings: readonly string[]): (role: string) => string {
  const byKey = new Map<string, Map<string, { count: number; first: number }>>();
  allSpellings.forEach((spelling, index) => {
    const key = roleKey(spelling);
    const variants = byKey.get(key) ?? new Map<string, { count: number; first: number }>();
    const seen = variants.get(spelling);
    if (seen) seen.count++;
    else variants.set(spelling, { count: 1, first: index });
    byKey.set(key, variants);
  });
  const chosen = new Map<string, string>();
  for (const [key, variants] of byKey) {
    const best = [...variants.entries()].sort(
      ([a, va], [b, vb]) => capitals(a) - capitals(b) || vb.count - va.count || va.first - vb.first,
    )[0]!;
    chosen.set(key, best[0]);
  }
  return (role: string) => chosen.get(roleKey(role)) ?? role;
}

/** True when `role` names the same role as any of `leads`. */
export function hasLead(leads: readonly string[], role: string): boolean {
  const key = roleKey(role);
  return leads.some((l) => roleKey(l) === key);
}
