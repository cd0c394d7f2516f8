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
