import { TableClient } from '@azure/data-tables';
import { openBotDb } from '../../src/bot/botDb';
import { SqliteSendLedger } from '../../src/bot/ledger';
import { AzureSendLedger } from '../../src/state/azure/azureSendLedger';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { startAzurite, type Azurite } from '../support/azurite';
import { runLedgerContract } from './ledgerContract';

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

runLedgerContract('SQLite', async () => {
  const db = openBotDb(':memory:');
  return { open: (instance) => new SqliteSendLedger(db, instance), close: async () => void db.close() };
});

runLedgerContract('Azure Table storage (Azurite)', async () => {
  // A table of its own per test: the suite expects an empty ledger.
  const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: `l${++n}` };
  const account = openStorageAccount(config);
  const table = stateName(config, 'ledger');
  await account.ensure({ tables: [table] });
  return { open: (instance) => new AzureSendLedger(account.table(table), instance), close: async () => {} };
});

describe('Azure send ledger: what a take-over costs', () => {
  it('takes a queued card over in one conditional write with the token its claim left, and reads again only when the token is stale', async () => {
    const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: `cost${++n}` };
    const account = openStorageAccount(config);
    const name = stateName(config, 'ledger');
    await account.ensure({ tables: [name] });
    const requests: string[] = [];
    const counted = TableClient.fromConnectionString(azurite.connectionString, name, {
      allowInsecureConnection: true,
      additionalPolicies: [
        {
          position: 'perCall',
          policy: { name: 'count', sendRequest: (req, next) => (requests.push(req.method), next(req)) },
        },
      ],
    });
    const run = new AzureSendLedger(account.table(name), 'run');
    const worker = new AzureSendLedger(counted, 'worker');
    const key = (id: string, personId: string) => ({
      id,
      planId: 'plan',
      itemKey: 'item',
      milestone: '2018-09-30',
      reason: 'milestone',
      personId,
      personName: personId,
      dateKey: '2018-09-02',
    });
    await run.claim(key('q1', 'ann'), 't0', undefined, { queued: true });
    const token = run.queuedToken('q1');
    expect(token).toBeDefined();
    expect(await worker.takeOver('q1', 't1', { planId: 'plan', dateKey: '2018-09-02', token })).toBe(true);
    expect(requests).toEqual(['PUT']);
    // Stale: the card changed after its token was taken (someone checked it and marked it uncertain).
    await run.claim(key('q2', 'bob'), 't0', undefined, { queued: true });
    const stale = run.queuedToken('q2');
    await run.markUncertain('q2', 'checked by hand');
    requests.length = 0;
    expect(await worker.takeOver('q2', 't1', { planId: 'plan', dateKey: '2018-09-02', token: stale })).toBe(false);
    expect(requests).toEqual(['PUT', 'GET']);
    expect((await run.get('q2'))!.state).toBe('uncertain');
  });

  it('claims a new card even where item rows of its id were left without it (they are written over)', async () => {
    const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: `orph${++n}` };
    const account = openStorageAccount(config);
    const name = stateName(config, 'ledger');
    await account.ensure({ tables: [name] });
    const table = account.table(name);
    const key = {
      id: 'o1',
      planId: 'plan',
      itemKey: '__card__',
      milestone: '',
      reason: 'card',
      personId: 'dan',
      personName: 'Dan',
      dateKey: '2018-09-02',
    };
    const items = (keys: string[]) =>
      keys.map((k, i) => ({ itemKey: k, slot: `i${i}`, onCard: true, reason: 'milestone', roles: ['Lead'] }));
    await new AzureSendLedger(table, 'first').claim(key, 't0', items(['1.1', '1.2']), { queued: true });
    // The card row goes (as a clean-up by hand might leave things); its item rows stay.
    for await (const e of table.listEntities<{ id?: string; state?: string }>())
      if (e.id === 'o1' && e.state) await table.deleteEntity(e.partitionKey!, e.rowKey!);
    const again = new AzureSendLedger(table, 'again');
    expect(await again.claim(key, 't1', items(['1.1', '1.3']), { queued: true })).toBe(true);
    expect(await again.get('o1')).toMatchObject({ state: 'queued', claimedBy: 'again' });
    expect((await again.cardItems('o1')).map((i) => i.itemKey)).toEqual(expect.arrayContaining(['1.1', '1.3']));
  });
});
