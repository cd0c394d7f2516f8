/** One line of `dplan doctor`: what was checked, how it went, and what to do when it did not. */

/** pass; fail (the app will not work: exit 1); warn (works, but look); skip (could not be checked, see why). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** Stable id for scripts (`--json`), e.g. `site`, `list-items`, `probe-conflict`. */
  id: string;
  /** What is checked, as the table shows it. */
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do about it (for fail and warn). */
  advice?: string;
}

export interface DoctorReport {
  /** False when any check failed. */
  ok: boolean;
  checks: CheckResult[];
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail });
export const fail = (id: string, title: string, detail: string, advice: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  advice,
});
export const warn = (id: string, title: string, detail: string, advice: string): CheckResult => ({
  id,
  title,
  status: 'warn',
  detail,
  advice,
});
export const skip = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'skip', detail });

/** The message of anything thrown, on one line. */
export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
