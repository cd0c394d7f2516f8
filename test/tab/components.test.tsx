/** Tab pieces that run without a browser: markup of the RAG badge and trend chart, people typed by e-mail, host theme mapping. */
import { renderToStaticMarkup } from 'react-dom/server';
import { RagBadge } from '../../src/tab/components/RagBadge';
import { TrendChart, TrendTable } from '../../src/tab/components/TrendChart';
import { formatDate, formatInstant } from '../../src/tab/format';
import { themeFromTeams } from '../../src/tab/host';
import { byEmail, externalId, isExternal } from '../../src/tab/components/PersonSearch';
import { ragTrend } from '../../src/domain/dashboard';
import { HistoryTimeline } from '../../src/tab/components/HistoryTimeline';
import type { StoredItem } from '../../src/tab/api';

describe('tab components', () => {
  it('shows every RAG status as text and an icon, not colour alone', () => {
    for (const [status, text] of [
      ['red', 'Red'],
      ['amber', 'Amber'],
      ['green', 'Green'],
      ['complete', 'Complete'],
      ['not-reported', 'Not reported'],
    ] as const) {
      const html = renderToStaticMarkup(<RagBadge status={status} />);
      expect(html).toContain(`data-rag="${status}"`);
      expect(html).toContain(`${text}</span>`);
      expect(html).toMatch(/<svg[^>]*aria-hidden="true"/);
    }
  });

  it('draws the trend as an accessible SVG with a title, a description and a data table', () => {
    const trend = ragTrend(
      [
        { key: 'a', status: 'green' },
        { key: 'b', status: 'red' },
      ],
      [
        { itemKey: 'a', at: '2018-07-03T10:00:00Z', by: 'x', from: 'not-reported', to: 'green' },
        { itemKey: 'b', at: '2018-07-10T10:00:00Z', by: 'x', from: 'not-reported', to: 'red' },
      ],
      '2018-07-12',
    );
    const svg = renderToStaticMarkup(<TrendChart trend={trend} titleId="t" />);
    expect(svg).toMatch(/<svg role="img" aria-labelledby="t-svgtitle t-svgdesc"/);
    expect(svg).toContain('<title id="t-svgtitle">Status of items week by week</title>');
    expect(svg).toMatch(
      /<desc id="t-svgdesc">.*from the week starting 2 Jul 2018 to the week starting 9 Jul 2018\. In the week starting 9 Jul 2018: 0 not reported, 1 red, 0 amber, 1 green, 0 complete\./,
    );
    // Weeks are labelled by the day they start, en-GB, not by ISO week number.
    expect(svg).toContain('>2 Jul</text>');
    expect(svg).toContain('>9 Jul</text>');
    expect(svg).not.toMatch(/W2[78]/);
    // One rect per non-zero count: week 27 not reported + green, week 28 red + green.
    expect((svg.match(/<rect /g) ?? []).length).toBe(4);
    const table = renderToStaticMarkup(<TrendTable trend={trend} />);
    expect(table).toContain('<th scope="row">2 Jul 2018</th><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td>');
    expect(table).toContain('<th scope="row">9 Jul 2018</th><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td>');
  });

  it('reads an external partner typed by e-mail as a mailto: person (the agreed representation), and nothing else as one', () => {
    expect(byEmail('Pat Partner <Pat@Partner.ORG>')).toEqual({
      id: 'mailto:pat@partner.org',
      name: 'Pat Partner',
      email: 'pat@partner.org',
    });
    expect(byEmail(' Sam, sam@example.org ')).toEqual({ id: 'mailto:sam@example.org', name: 'Sam', email: 'sam@example.org' });
    expect(byEmail('lee@example.org')).toEqual({ id: 'mailto:lee@example.org', name: 'lee@example.org', email: 'lee@example.org' });
    for (const notOne of ['Jo Bloggs', 'jo@', 'jo@example', 'Jo <jo@example.org', 'a b@example.org'])
      expect(byEmail(notOne)).toBeUndefined();
    expect(externalId(' Pat@Partner.org ')).toBe('mailto:pat@partner.org');
    expect(isExternal({ id: 'mailto:pat@partner.org' })).toBe(true);
    expect(isExternal({ id: '6f1e0c5a-0000-4000-8000-000000000001' })).toBe(false);
  });

  it('says which reports came by e-mail in the history, and only those', () => {
    const item = { key: 'a1', milestones: ['2019-03-31'] } as unknown as StoredItem;
    const html = renderToStaticMarkup(
      <HistoryTimeline
        item={item}
        history={[
          { itemKey: 'a1', at: '2018-07-03T10:00:00Z', by: 'Pat Police', from: 'not-reported', to: 'red', note: 'Late', via: 'email' },
          { itemKey: 'a1', at: '2018-07-04T10:00:00Z', by: 'Ann Lead', from: 'red', to: 'amber', note: 'Better', via: 'teams' },
        ]}
      />,
    );
    const entries = html.split('data-testid="history-entry"').slice(1);
    expect(entries).toHaveLength(2);
    // Newest first: Ann's card answer, then the partner's e-mailed answer.
    expect(entries[0]).toContain('Ann Lead');
    expect(entries[0]).not.toContain('by e-mail');
    expect(entries[1]).toMatch(/Pat Police(<!-- -->)? \(by e-mail\)/);
  });

  it('maps the Teams theme names and formats dates en-GB in London time', () => {
    expect(themeFromTeams('default')).toBe('light');
    expect(themeFromTeams('dark')).toBe('dark');
    expect(themeFromTeams('contrast')).toBe('contrast');
    expect(themeFromTeams(undefined)).toBe('light');
    expect(formatDate('2018-09-30')).toBe('30 Sept 2018');
    expect(formatInstant('2018-06-30T23:30:00Z')).toBe('1 Jul 2018, 00:30');
  });

  it('writes calendar dates (without Intl, for a fast first screen) exactly as Intl en-GB does', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
    for (const date of [
      '2018-01-01',
      '2018-02-28',
      '2020-02-29',
      '2018-03-31',
      '2018-04-09',
      '2018-05-05',
      '2018-06-30',
      '2018-07-15',
      '2018-08-20',
      '2018-09-30',
      '2018-10-01',
      '2018-11-11',
      '2099-12-25',
    ]) {
      expect(formatDate(date)).toBe(intl.format(new Date(`${date}T12:00:00Z`)));
    }
    // Not a real day: as Intl writes it (the browser's date parser rolls 31 February over).
    expect(formatDate('2018-02-31')).toBe(intl.format(new Date('2018-02-31T12:00:00Z')));
    expect(formatDate(undefined)).toBe('');
  });
});
