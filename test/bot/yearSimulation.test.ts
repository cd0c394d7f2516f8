/**
 * Acceptance: a year of the shared plan with every lead role mapped to one person and every lead
 * answering Green on the day asked (support/yearRun.ts drives the real prompt run, digest and card
 * answers day by day on an in-memory clock and store). Then: every item was asked in every quarter,
 * nobody got two cards on a day, and the Prevent Co-ordinator (who also owns the commissioned
 * projects and is the plan's co-ordinator, so gets its escalations too) got at most 3 cards in any
 * month and fewer than 25 in the year (before daily cards and check-ins: up to 36 in a month, 215
 * in the year).
 */
import { runYear, type YearResult } from './support/yearRun';

let year: YearResult;

beforeAll(async () => {
  year = await runYear({ answer: 'green' });
}, 600_000);

it('asks every one of the 31 items in each of the four quarters', () => {
  expect(year.items).toHaveLength(31);
  expect(year.items.filter((i) => year.askedIn.get(i.key)?.size !== 4).map((i) => [i.title, [...(year.askedIn.get(i.key) ?? [])]])).toEqual(
    [],
  );
});

it('sends nobody more than one card on any day (update requests, escalations and notices together)', () => {
  expect([...year.cardsByDay].filter(([, n]) => n > 1)).toEqual([]);
});

it('sends the Prevent Co-ordinator at most 3 cards in any month and fewer than 25 in the year', () => {
  const perMonth = [...year.coordinatorPerMonth.values()];
  const total = perMonth.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `Prevent Co-ordinator: ${total} cards in the year; per month ${JSON.stringify(Object.fromEntries(year.coordinatorPerMonth))}\n`,
  );
  expect(Math.max(...perMonth)).toBeLessThanOrEqual(3);
  expect(total).toBeLessThan(25);
});

it('records every answer, through the card, as Green in the history', () => {
  expect(year.failedAnswers).toBe(0);
  expect(year.history.length).toBeGreaterThan(0);
  expect(year.history.every((u) => u.to === 'green' && u.via === 'teams')).toBe(true);
});
