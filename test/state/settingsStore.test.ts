import { openStorageAccount, stateName } from '../../src/state/azure/storageAccount';
import { AzureSettingsStore } from '../../src/state/azure/azureSettingsStore';
import { SqliteSettingsStore } from '../../src/store/settingsStore';
import { startAzurite, type Azurite } from '../support/azurite';
import { runSettingsContract } from './settingsContract';

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

runSettingsContract('SQLite', async () => new SqliteSettingsStore(':memory:'));

runSettingsContract('Azure Table storage (Azurite)', async () => {
  // A table of its own per test: the suite expects an empty store.
  const config = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, STATE_PREFIX: `t${++n}` };
  const account = openStorageAccount(config);
  const table = stateName(config, 'settings');
  await account.ensure({ tables: [table] });
  return new AzureSettingsStore(account.table(table));
});
