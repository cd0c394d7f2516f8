/**
 * Prompts at scale under the documented Teams rate limits (issue 7), on a virtual clock: the real
 * BotService, ledger, TeamsSender and RateLimiter send to a local stand-in for the Teams connector
 * that stamps each request with the same virtual clock and answers some of them 429 with a
 * Retry-After (delta seconds, fractional seconds, or an HTTP date). No wall-clock timing is asserted.
 *
 * Documented limits (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit): per bot per
 * conversation 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour; per app per tenant 50 per second.
 * Every request counts, including the ones answered 429.
 */
import { PER_CONVERSATION, PER_TENANT } from '../../src/bot/rateLimiter';
import { retryAfterMs } from '../../src/bot/sender';
import type { PromptRunReport } from '../../src/bot/bot';
import { firstExcess, startConnector, type Connector, type ConnectorCall } from './support/teamsConnector';
import { DAY, setUpLoadRun, virtualTime } from './support/loadRun';
import { recordActions } from '../bot/support/cardActions';

jest.setTimeout(120_000);

/** Retry-After forms, in turn: delta seconds, fractional seconds, an HTTP date 3 s ahead. */
function retryAfterFor(k: number, now: number): string {
  return [() => '1', () => '2.5', () => new Date(now + 3000).toUTCString()][k % 3]!();
}

function byConversation(calls: ConnectorCall[]): Map<string, ConnectorCall[]> {
  const out = new Map<string, ConnectorCall[]>();
  for (const c of calls) out.set(c.conversationId, [...(out.get(c.conversationId) ?? []), c]);
  return out;
}

/** Every 429 was followed, in its conversation, by a retry no earlier than its Retry-After allowed. */
function expectRetriesHonoured(calls: ConnectorCall[]): number {
  const conv = byConversation(calls);
  let checked = 0;
  for (const c of calls.filter((x) => x.status === 429)) {
    const next = conv.get(c.conversationId)!.find((x) => x.n > c.n);
    expect(next).toBeDefined();
    const asked = retryAfterMs(c.retryAfter!, c.at)!;
    expect(asked).toBeGreaterThan(0);
    expect(next!.at - c.at).toBeGreaterThanOrEqual(asked);
    checked++;
  }
  return checked;
}

async function loadRun(
  leads: number,
  items: number,
  throttleEvery: number,
  /** Instead of the daily run: "Send prompt now" for every item, one after another. */
  eachItemNow = false,
): Promise<{ teams: Connector; report?: PromptRunReport; expected: number; elapsedMs: number }> {
  const time = virtualTime();
  let k = 0;
  const teams = await startConnector({
    now: time.now,
    decide: (call) => (call.n % throttleEvery === 0 ? { throttle: retryAfterFor(k++, call.at) } : undefined),
  });
  const run = await setUpLoadRun({ leads, items, serviceUrl: teams.url, time });
  try {
    if (eachItemNow) {
      for (const key of run.itemKeys) await run.bot.promptNow(run.planId, key, 'cora@council.example');
      return { teams, expected: run.itemKeys.length * leads, elapsedMs: time.elapsed() };
    }
    const report = await run.bot.runPrompts(DAY);
    return { teams, report, expected: run.expected, elapsedMs: time.elapsed() };
  } finally {
    await run.close();
    await teams.close();
  }
}

describe('prompt run under the Teams rate limits (virtual clock)', () => {
  it('2,000 leads: never over 50/s per tenant, every 429 retried after its Retry-After, each lead prompted once', async () => {
    const { teams, report, expected, elapsedMs } = await loadRun(2000, 1, 97);
    expect(expected).toBe(2000);
    expect(report!.totals).toEqual({ sent: 2000 });
    // Each lead exactly once (the 429s were retried, not dropped and not doubled).
    const accepted = teams.accepted();
    expect(accepted).toHaveLength(2000);
    expect(new Set(accepted.map((c) => c.conversationId)).size).toBe(2000);
    const throttled = teams.throttled();
    expect(throttled.length).toBe(Math.floor(teams.calls.length / 97));
    expect(teams.calls).toHaveLength(2000 + throttled.length);

    expect(
      firstExcess(
        teams.calls.map((c) => c.at),
        PER_TENANT,
      ),
    ).toBeUndefined();
    for (const [, calls] of byConversation(teams.calls))
      expect(
        firstExcess(
          calls.map((c) => c.at),
          PER_CONVERSATION,
        ),
      ).toBeUndefined();
    expect(expectRetriesHonoured(teams.calls)).toBe(throttled.length);
    // The tenant ceiling binds: the run cannot be faster than 50 requests per second.
    expect(elapsedMs).toBeGreaterThanOrEqual(Math.floor((teams.calls.length - 1) / 50) * 1000);
  });

  it('one lead with 80 items due: one card, the rest counted and linked to My actions', async () => {
    const { teams, report } = await loadRun(1, 80, 1000);
    expect(report!.totals).toEqual({ sent: 1 });
    expect(teams.accepted()).toHaveLength(1);
    const card = report!.cards[0]!;
    expect(card.itemKeys).toHaveLength(80);
    expect(card.shown).toBeLessThan(80);
    expect(recordActions((teams.accepted()[0]!.body as { attachments: Array<{ content: unknown }> }).attachments[0]!.content)).toHaveLength(
      card.shown,
    );
  });

  it('"Send prompt now" on 80 items for one lead: never over 7/1 s, 8/2 s or 60/30 s in their chat, 429s honoured', async () => {
    const { teams, elapsedMs } = await loadRun(1, 80, 13, true);
    expect(teams.accepted()).toHaveLength(80);
    const items = teams
      .accepted()
      .map((c) => recordActions((c.body as { attachments: Array<{ content: unknown }> }).attachments[0]!.content)[0]!.data.itemKey);
    expect(new Set(items).size).toBe(80);
    expect(teams.throttled().length).toBeGreaterThan(0);
    expect(
      firstExcess(
        teams.calls.map((c) => c.at),
        PER_CONVERSATION,
      ),
    ).toBeUndefined();
    expectRetriesHonoured(teams.calls);
    // 60 per 30 s binds: more than 60 requests need more than 30 s.
    expect(elapsedMs).toBeGreaterThan(30_000);
  });

  it('the checker itself catches a burst over the limits', () => {
    expect(firstExcess([0, 1, 2, 3, 4, 5, 6, 7], PER_CONVERSATION)).toMatchObject({ limit: 7, ms: 1000 });
    expect(firstExcess([0, 0, 0, 0, 1000, 1000, 1000, 1000, 1999], PER_CONVERSATION)).toMatchObject({ limit: 8, ms: 2000 });
    expect(
      firstExcess(
        Array.from({ length: 51 }, () => 5),
        PER_TENANT,
      ),
    ).toMatchObject({ limit: 50 });
    expect(
      firstExcess(
        Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1000)),
        PER_TENANT,
      ),
    ).toBeUndefined();
  });
});
