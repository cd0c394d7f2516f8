/** The doctor's findings as a table a person reads, with what to do under each failure. */
import type { CheckResult, CheckStatus, DoctorReport } from './checkResult';

const MARK: Record<CheckStatus, string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', skip: 'skip' };

export function formatReport(report: DoctorReport, width = 100): string {
  const checkWidth = Math.min(48, Math.max(...report.checks.map((c) => c.title.length)));
  const lines: string[] = [
    `${'status'.padEnd(6)}  ${'check'.padEnd(checkWidth)}  result`,
    `${'-'.repeat(6)}  ${'-'.repeat(checkWidth)}  ${'-'.repeat(6)}`,
  ];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status].padEnd(6)}  ${c.title.padEnd(checkWidth)}  ${c.detail}`);
    if (c.advice && c.status !== 'pass') for (const l of wrap(`→ ${c.advice}`, width - 8)) lines.push(`${' '.repeat(8)}${l}`);
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  lines.push('');
  lines.push(
    report.ok
      ? `All ${count('pass')} checks passed${count('warn') ? `; ${count('warn')} to look at` : ''}${count('skip') ? `; ${count('skip')} skipped` : ''}.`
      : `${count('fail')} of ${report.checks.length} checks failed: the app will not work until they pass.`,
  );
  return lines.join('\n');
}

export function reportJson(report: DoctorReport): string {
  return JSON.stringify({ ok: report.ok, checks: report.checks.map((c: CheckResult) => ({ ...c })) }, null, 2);
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
