import { daysAgo, figureText, inDays, shorten, targetWords } from '../../src/domain/words';

describe('words', () => {
  it('counts days in English ("1 day ago", not "1 days ago")', () => {
    expect(daysAgo(1)).toBe('1 day ago');
    expect(daysAgo(8)).toBe('8 days ago');
    expect(inDays(1)).toBe('in 1 day');
    expect(daysAgo(0)).toBe('today');
  });

  it('shortens at a word boundary, never mid-word', () => {
    const title = 'Host two Community Roundtable events between the home office, community organisations and local residents';
    const short = shorten(title, 80);
    expect(short.length).toBeLessThanOrEqual(80);
    expect(short.endsWith('…')).toBe(true);
    expect(title.startsWith(short.slice(0, -1))).toBe(true);
    expect(title.charAt(short.length - 1)).toMatch(/[\s,]/);
    expect(shorten('Short title', 80)).toBe('Short title');
  });

  it('gives figures and targets their unit ("60%", not "60 against 95%")', () => {
    expect(figureText(60, { unit: '%' })).toBe('60%');
    expect(figureText(12, { unit: 'sessions' })).toBe('12 sessions');
    expect(figureText(1200, undefined)).toBe('1,200');
    expect(targetWords({ target: 500, unit: 'reached', atLeast: true })).toBe('at least 500 reached');
  });
});
