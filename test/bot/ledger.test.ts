import { openBotDb } from '../../src/bot/botDb';
import { SendLedger, type LedgerKey } from '../../src/bot/ledger';
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

  it('marks every open prompt of an item answered and returns them for replacement', () => {
    const ledger = new SendLedger(openBotDb(':memory:'), 'i');
    for (const [id, person, day] of [
      ['p1', 'ann', '2018-09-02'],
      ['p2', 'bob', '2018-09-02'],
      ['p3', 'ann', '2018-09-16'],
    ] as const) {
      ledger.claim(key({ id, personId: person, dateKey: day }), 't');
      ledger.markSent(id, { at: 't', conversationId: `c-${person}`, serviceUrl: 'http://s', activityId: `act-${id}` });
    }
    expect(ledger.openPrompts('plan', 'a1')).toHaveLength(3);
    const answered = ledger.markAnswered('plan', 'a1', '2018-09-17T10:00:00Z', 'Ann');
    expect(answered.map((r) => r.activityId).sort()).toEqual(['act-p1', 'act-p2', 'act-p3']);
    expect(ledger.openPrompts('plan', 'a1')).toHaveLength(0);
    expect(ledger.markAnswered('plan', 'a1', 'later', 'Bob')).toHaveLength(0);
  });
});
