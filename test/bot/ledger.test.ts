import { openBotDb } from '../../src/bot/botDb';
import { CARD_ITEM, REASON_CARD, SendLedger, type LedgerKey } from '../../src/bot/ledger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const key = (over: Partial<LedgerKey> = {}): LedgerKey => ({
  id: 'p1',
  planId: 'plan',
  itemKey: 'a1',
  milestone: '2018-09-30',
  reason: '28 days',
  personId: 'aad-ann',
  personName: 'Ann',
  dateKey: '2018-09-02',
  ...over,
});

describe('SendLedger', () => {
  it('lets exactly one claimant win, even across two connections to the same file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    const file = path.join(dir, 'bot.sqlite');
    const a = new SendLedger(openBotDb(file), 'instance-a');
    const b = new SendLedger(openBotDb(file), 'instance-b');
    expect(a.claim(key(), '2018-09-02T07:00:00Z')).toBe(true);
    expect(b.claim(key(), '2018-09-02T07:00:01Z')).toBe(false);
    expect(a.claim(key(), '2018-09-02T07:00:02Z')).toBe(false);
    // A different day, reason or person is a different prompt.
    expect(b.claim(key({ id: 'p2', dateKey: '2018-09-03' }), '2018-09-03T07:00:00Z')).toBe(true);
    expect(b.claim(key({ id: 'p3', personId: 'aad-bob' }), '2018-09-02T07:00:00Z')).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-claims sends that delivered nothing (failed, unreachable), never sent or uncertain ones', () => {
    const ledger = new SendLedger(openBotDb(':memory:'), 'i');
    ledger.claim(key(), 't0');
    ledger.markFailed('p1', 'POST to Teams answered 502');
    expect(ledger.claim(key(), 't1')).toBe(true);
    ledger.markUnreachable('p1', 'not installed');
    expect(ledger.claim(key(), 't2')).toBe(true);
    ledger.markSent('p1', { at: 't3', conversationId: 'c', serviceUrl: 'http://s', activityId: 'act-1', itemVersion: '3' });
    expect(ledger.claim(key(), 't4')).toBe(false);
    expect(ledger.get('p1')).toMatchObject({ state: 'sent', activityId: 'act-1', itemVersion: '3' });
    ledger.claim(key({ id: 'p9', personId: 'x' }), 't5');
    ledger.markUncertain('p9', 'socket hang up');
    expect(ledger.claim(key({ id: 'p9', personId: 'x' }), 't6')).toBe(false);
  });

  it('turns claims older than the lease into uncertain ones (crash between claim and mark)', () => {
    const ledger = new SendLedger(openBotDb(':memory:'), 'i');
    ledger.claim(key(), '2018-09-02T07:00:00.000Z');
    ledger.claim(key({ id: 'p2', personId: 'bob' }), '2018-09-02T07:20:00.000Z');
    const expired = ledger.expireClaims('2018-09-02T07:15:00.000Z');
    expect(expired.map((r) => r.id)).toEqual(['p1']);
    expect(ledger.get('p1')!.state).toBe('uncertain');
    expect(ledger.get('p2')!.state).toBe('claimed');
    expect(ledger.claim(key(), '2018-09-02T08:00:00.000Z')).toBe(false);
  });

  it('claims a card with its items in one step, and re-claims it with what is due now when nothing was delivered', () => {
    const ledger = new SendLedger(openBotDb(':memory:'), 'i');
    const card = key({ id: 'c1', itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD });
    const asked = (keys: string[]) =>
      keys.map((k, n) => ({ itemKey: k, slot: `i${n}`, onCard: true, reason: 'check-in', roles: ['Lead'] }));
    expect(ledger.claim(card, 't0', asked(['a1', 'a2']))).toBe(true);
    expect(ledger.claim(card, 't1', asked(['a1', 'a2', 'a3']))).toBe(false);
    expect(ledger.cardItems('c1').map((i) => i.itemKey)).toEqual(['a1', 'a2']);
    ledger.markFailed('c1', 'POST to Teams answered 502');
    expect(ledger.claim(card, 't2', asked(['a2']))).toBe(true);
    expect(ledger.cardItems('c1').map((i) => [i.itemKey, i.slot])).toEqual([['a2', 'i0']]);
  });

  it('marks an item answered on every card that asked about it and returns those cards for their receipts', () => {
    const ledger = new SendLedger(openBotDb(':memory:'), 'i');
    for (const [id, person, day, items] of [
      ['c1', 'ann', '2018-09-02', ['a1', 'a2']],
      ['c2', 'bob', '2018-09-02', ['a1']],
      ['c3', 'ann', '2018-09-16', ['a2', 'a1']],
    ] as const) {
      ledger.claim(
        key({ id, itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD, personId: person, dateKey: day }),
        `${day}T07:00:00Z`,
        items.map((k, n) => ({ itemKey: k, slot: `i${n}`, onCard: true, reason: 'milestone', roles: ['Lead'] })),
      );
      ledger.markSent(id, { at: `${day}T07:00:01Z`, conversationId: `c-${person}`, serviceUrl: 'http://s', activityId: `act-${id}` });
    }
    expect(ledger.openCards('plan', 'a1').map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    const c1 = ledger.get('c1')!;
    // Ann's later card also asks about a1: it supersedes the first one for that item.
    expect(ledger.newerCard(c1, 'a1')?.id).toBe('c3');
    expect(ledger.newerCard(ledger.get('c2')!, 'a1')).toBeUndefined();
    const answered = ledger.markAnswered('plan', 'a1', '2018-09-17T10:00:00Z', 'Ann');
    expect(answered.map((r) => r.activityId)).toEqual(['act-c1', 'act-c2', 'act-c3']);
    expect(ledger.openCards('plan', 'a1')).toHaveLength(0);
    // a2 is still open on Ann's cards.
    expect(ledger.openCards('plan', 'a2').map((r) => r.id)).toEqual(['c1', 'c3']);
    expect(ledger.markAnswered('plan', 'a1', 'later', 'Bob')).toHaveLength(0);
    expect(ledger.answeredSince('plan', 'a1', '2018-09-17T00:00:00Z').map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect(
      ledger.cardItemsBetween('plan', '2018-09-01', '2018-09-10').map(({ card, item }) => [card.id, item.itemKey, !!item.answeredAt]),
    ).toEqual([
      ['c1', 'a1', true],
      ['c1', 'a2', false],
      ['c2', 'a1', true],
    ]);
  });

  it('deleting a card by hand (to resend it) takes its items with it', () => {
    const db = openBotDb(':memory:');
    const ledger = new SendLedger(db, 'i');
    ledger.claim(key({ id: 'c1', itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD }), 't', [
      { itemKey: 'a1', slot: 'i0', onCard: true, reason: 'check-in', roles: [] },
    ]);
    db.prepare('DELETE FROM prompt_ledger WHERE id = ?').run('c1');
    expect((db.prepare('SELECT COUNT(*) AS n FROM card_items').get() as { n: number }).n).toBe(0);
  });
});
