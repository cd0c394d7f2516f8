/** What only the embedded SQLite ledger does (the port's contract is test/state/ledgerContract.ts, run by test/state/ledger.test.ts). */
import { openBotDb } from '../../src/bot/botDb';
import { CARD_ITEM, REASON_CARD, SqliteSendLedger, type LedgerKey } from '../../src/bot/ledger';
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

describe('SqliteSendLedger', () => {
  it('lets exactly one claimant win across two connections to the same file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    const file = path.join(dir, 'bot.sqlite');
    const a = new SqliteSendLedger(openBotDb(file), 'instance-a');
    const b = new SqliteSendLedger(openBotDb(file), 'instance-b');
    expect(await a.claim(key(), '2018-09-02T07:00:00Z')).toBe(true);
    expect(await b.claim(key(), '2018-09-02T07:00:01Z')).toBe(false);
    // The same send under another id is still the same send (the UNIQUE key).
    expect(await b.claim(key({ id: 'other' }), '2018-09-02T07:00:01Z')).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deleting a card by hand (to resend it) takes its items with it', async () => {
    const db = openBotDb(':memory:');
    const ledger = new SqliteSendLedger(db, 'i');
    await ledger.claim(key({ id: 'c1', itemKey: CARD_ITEM, milestone: '', reason: REASON_CARD }), 't', [
      { itemKey: 'a1', slot: 'i0', onCard: true, reason: 'check-in', roles: [] },
    ]);
    db.prepare('DELETE FROM prompt_ledger WHERE id = ?').run('c1');
    expect((db.prepare('SELECT COUNT(*) AS n FROM card_items').get() as { n: number }).n).toBe(0);
  });
});
