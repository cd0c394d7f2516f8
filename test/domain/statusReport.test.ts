import type { Output } from '../../src/domain/model';
import { NOTE_MAX, reportInputFromCard, validateReport, type ReportInput } from '../../src/domain/statusReport';

const outputs: Output[] = [
  { text: '4 x evening WRAP training sessions', target: 4, unit: 'sessions' },
  { text: 'Train the Trainer sessions' },
  { text: '95% of Youth Services staff are WRAP trained', target: 95, unit: '%' },
];
const today = '2018-09-03';
const check = (input: ReportInput) => validateReport(input, outputs, today);
const fields = (input: ReportInput) => {
  const r = check(input);
  return r.ok ? [] : r.problems.map((p) => p.field);
};

describe('validateReport', () => {
  it('accepts Green with figures against numeric targets, typed or as numbers', () => {
    expect(check({ rag: 'green', note: '  on track ', figures: { 0: '3', 2: 80.5 } })).toEqual({
      ok: true,
      report: { rag: 'green', note: 'on track', figures: { 0: 3, 2: 80.5 } },
    });
    expect(check({ rag: 'Green', figures: { 0: '1,200' } })).toEqual({ ok: true, report: { rag: 'green', figures: { 0: 1200 } } });
  });

  it('requires a note for Red and Amber', () => {
    expect(fields({ rag: 'red', note: '   ' })).toEqual(['note']);
    expect(fields({ rag: 'amber' })).toEqual(['note']);
    expect(check({ rag: 'complete' })).toEqual({ ok: true, report: { rag: 'complete' } });
  });

  it('refuses an unknown, missing or unreportable status', () => {
    expect(fields({ rag: 'purple' })).toEqual(['rag']);
    expect(fields({})).toEqual(['rag']);
    expect(check({ rag: 'not-reported' })).toEqual({
      ok: false,
      problems: [{ field: 'rag', message: '"not-reported" is not a status: choose Red, Amber, Green or Complete.' }],
    });
  });

  it('refuses negative, non-numeric and absurd figures, and figures for outputs that take none', () => {
    expect(fields({ rag: 'green', figures: { 0: '-1', 2: 'lots' } })).toEqual(['figure_0', 'figure_2']);
    expect(fields({ rag: 'green', figures: { 0: '1e12' } })).toEqual(['figure_0']);
    expect(fields({ rag: 'green', figures: { 0: 99_999_999 } })).toEqual(['figure_0']);
    expect(check({ rag: 'green', figures: { 1: '99' } })).toEqual({
      ok: false,
      problems: [{ field: 'figure_1', message: '"Train the Trainer sessions" has no numeric target, so it takes no figure.' }],
    });
    expect(fields({ rag: 'green', figures: { 7: 1 } })).toEqual(['figure_7']);
  });

  it('limits the note to 2,000 characters', () => {
    expect(check({ rag: 'green', note: 'x'.repeat(NOTE_MAX) }).ok).toBe(true);
    expect(fields({ rag: 'green', note: 'x'.repeat(NOTE_MAX + 1) })).toEqual(['note']);
  });

  it('refuses a note with half of a character (a lone surrogate), rather than storing U+FFFD; keeps whole emoji', () => {
    expect(check({ rag: 'green', note: 'Venue booked \u{1F389} for March' })).toEqual({
      ok: true,
      report: { rag: 'green', note: 'Venue booked \u{1F389} for March' },
    });
    for (const note of ['Venue booked \uD83C', '\uDF89 Venue booked', 'a\uDC00\uD800b']) {
      const result = check({ rag: 'amber', note });
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems).toEqual([
        { field: 'note', message: expect.stringMatching(/^The note has a broken character at position \d+ \(half of an emoji or symbol/) },
      ]);
    }
    expect(check({ rag: 'green', note: 'ab\uD800' })).toMatchObject({
      ok: false,
      problems: [{ field: 'note', message: expect.stringContaining('at position 3') }],
    });
  });

  it('takes a revised date with Red only, a real date, not in the past', () => {
    expect(check({ rag: 'red', note: 'venue lost', revisedDate: '2018-11-30' })).toEqual({
      ok: true,
      report: { rag: 'red', note: 'venue lost', revisedDate: '2018-11-30' },
    });
    expect(fields({ rag: 'red', note: 'x', revisedDate: '2018-02-30' })).toEqual(['revisedDate']);
    expect(fields({ rag: 'red', note: 'x', revisedDate: '2018-09-02' })).toEqual(['revisedDate']);
    expect(fields({ rag: 'amber', note: 'x', revisedDate: '2018-11-30' })).toEqual(['revisedDate']);
    expect(fields({ rag: 'green', revisedDate: '2018-11-30' })).toEqual(['revisedDate']);
    expect(check({ rag: 'green', revisedDate: '' })).toEqual({ ok: true, report: { rag: 'green' } });
  });

  it('reads a card: figure_<i> inputs are figures, nothing else is', () => {
    expect(reportInputFromCard({ rag: 'green', note: 'n', figure_0: '3', figure_x: '4', revisedDate: '' })).toEqual({
      rag: 'green',
      note: 'n',
      figures: { 0: '3' },
      revisedDate: '',
    });
  });
});

describe('corrective action', () => {
  it('goes with Red or Amber only, and is kept with the report', () => {
    const ok = validateReport({ rag: 'amber', note: 'Late', correctiveAction: '  Second venue booked  ' }, [], '2018-09-01');
    expect(ok).toEqual({ ok: true, report: { rag: 'amber', note: 'Late', correctiveAction: 'Second venue booked' } });
    const green = validateReport({ rag: 'green', correctiveAction: 'Nothing' }, [], '2018-09-01');
    expect(green.ok).toBe(false);
    expect(!green.ok && green.problems).toEqual([
      { field: 'correctiveAction', message: expect.stringMatching(/^A corrective action goes with Red or Amber only/) },
    ]);
    expect(validateReport({ rag: 'red', note: 'x', correctiveAction: 'y'.repeat(2001) }, [], '2018-09-01').ok).toBe(false);
  });
});
