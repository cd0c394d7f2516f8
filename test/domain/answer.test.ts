import { validateAnswer, NOTE_MAX } from '../../src/domain/answer';
import type { Output } from '../../src/domain/model';

const outputs: Output[] = [
  { text: '4 x evening WRAP training sessions', target: 4, unit: 'sessions' },
  { text: 'Train the Trainer sessions' },
  { text: '95% of Youth Services staff are WRAP trained', target: 95, unit: '%' },
];
const today = '2018-09-03';

describe('validateAnswer', () => {
  it('accepts Green with figures against numeric targets only', () => {
    const r = validateAnswer({ rag: 'green', note: '  on track ', figure_0: '3', figure_1: '99', figure_2: '80.5' }, outputs, today);
    expect(r).toEqual({ ok: true, answer: { rag: 'green', note: 'on track', figures: { 0: 3, 2: 80.5 } } });
  });

  it('requires a note for Red and Amber', () => {
    for (const rag of ['red', 'amber']) {
      const r = validateAnswer({ rag, note: '   ' }, outputs, today);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['note']);
    }
    expect(validateAnswer({ rag: 'complete' }, outputs, today)).toEqual({ ok: true, answer: { rag: 'complete' } });
  });

  it('refuses an unknown or missing status', () => {
    const r = validateAnswer({ rag: 'purple' }, outputs, today);
    expect(r.ok || r.problems[0]).toMatchObject({ field: 'rag' });
    expect(validateAnswer({}, outputs, today).ok).toBe(false);
  });

  it('refuses negative, non-numeric and absurd figures', () => {
    const r = validateAnswer({ rag: 'green', figure_0: '-1', figure_2: 'lots' }, outputs, today);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['figure_0', 'figure_2']);
    expect(validateAnswer({ rag: 'green', figure_0: '1e12' }, outputs, today).ok).toBe(false);
    expect(validateAnswer({ rag: 'green', figure_0: '99999999' }, outputs, today).ok).toBe(false);
  });

  it('limits the note to 2,000 characters', () => {
    expect(validateAnswer({ rag: 'green', note: 'x'.repeat(NOTE_MAX) }, outputs, today).ok).toBe(true);
    const r = validateAnswer({ rag: 'green', note: 'x'.repeat(NOTE_MAX + 1) }, outputs, today);
    expect(r.ok).toBe(false);
  });

  it('takes a revised date with Red only, valid and not in the past', () => {
    expect(validateAnswer({ rag: 'red', note: 'venue lost', revisedDate: '2018-11-30' }, outputs, today)).toEqual({
      ok: true,
      answer: { rag: 'red', note: 'venue lost', revisedDate: '2018-11-30' },
    });
    expect(validateAnswer({ rag: 'red', note: 'x', revisedDate: '2018-02-30' }, outputs, today).ok).toBe(false);
    expect(validateAnswer({ rag: 'red', note: 'x', revisedDate: '2018-09-02' }, outputs, today).ok).toBe(false);
    expect(validateAnswer({ rag: 'green', revisedDate: '2018-11-30' }, outputs, today)).toEqual({ ok: true, answer: { rag: 'green' } });
  });
});
