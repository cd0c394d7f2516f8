import { openBotDb } from '../../src/bot/botDb';
import { SqliteConversationStore } from '../../src/bot/conversations';
import { AzureConversationStore } from '../../src/state/azure/azureConversationStore';
import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { startAzurite, type Azurite } from '../support/azurite';
import { runConversationsContract } from './conversationsContract';

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

runConversationsContract('SQLite', async () => {
  const db = openBotDb(':memory:');
  return { store: new SqliteConversationStore(db), close: async () => void db.close() };
});

runConversationsContract('Azure Table storage (Azurite)', async () => {
  // A table of its own per test: the suite expects no references.
  const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: `c${++n}` };
  const account = openStorageAccount(config);
  const table = stateName(config, 'conversations');
  await account.ensure({ tables: [table] });
  return { store: new AzureConversationStore(account.table(table)), close: async () => {} };
});
