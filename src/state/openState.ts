/**
 * The bot's shared state for the configured STATE_STORE: embedded SQLite files beside the app (one
 * instance), or the Azure storage account every instance shares. Today: plan settings and who runs
 * the schedule; the send ledger and conversation references follow the same switch.
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import { soleInstance, type Leadership } from './leadership';
import { settingsPath, SqliteSettingsStore, type PlanSettingsStore } from '../store/settingsStore';

export interface SharedState {
  settings: PlanSettingsStore;
  leadership: Leadership;
  close(): Promise<void>;
}

export async function openState(config: Config, logger: Logger): Promise<SharedState> {
  if (config.STATE_STORE === 'azure') {
    // Loaded only when asked for, so the embedded default never pulls in the Azure SDKs.
    const { openStorageAccount, stateName } = await import('./azure/storageAccount');
    const { AzureSettingsStore } = await import('./azure/azureSettingsStore');
    const { BlobLeaderLease } = await import('./azure/blobLeaderLease');
    const account = openStorageAccount(config);
    const settingsTable = stateName(config, 'settings');
    const leases = stateName(config, 'leases');
    await account.ensure({ tables: [settingsTable], containers: [leases] });
    const leadership = new BlobLeaderLease({ container: account.container(leases), logger: logger.child({ component: 'leader' }) });
    logger.info({ state: 'azure', prefix: config.STATE_PREFIX }, 'bot state in Azure storage: shared by every instance');
    return { settings: new AzureSettingsStore(account.table(settingsTable)), leadership, close: () => leadership.stop() };
  }
  const settings = new SqliteSettingsStore(settingsPath(config));
  return { settings, leadership: soleInstance, close: () => settings.close() };
}
