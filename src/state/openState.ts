/**
 * The bot's shared state for the configured STATE_STORE: embedded SQLite files beside the app (one
 * instance), or the Azure storage account every instance shares: plan settings, who runs the
 * schedule, the send ledger and conversation references (`bot`; with SQLite the bot opens its own
 * file, bot/botDb.ts, which is never opened in Azure).
 */
import os from 'node:os';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { soleInstance, type Leadership } from './leadership';
import { settingsPath, SqliteSettingsStore, type PlanSettingsStore } from '../store/settingsStore';
import type { ConversationStore } from './conversationStore';
import type { SendLedger } from './sendLedger';
import type { InstanceHeartbeats } from './azure/instanceHeartbeats';
import type { SendQueue } from './sendQueue';

/** Identifies this process in the ledger's `claimedBy` (host:pid:start). */
export function instanceId(): string {
  return `${os.hostname()}:${process.pid}:${Date.now().toString(36)}`;
}

/** The machine's stable name, if the platform (or INSTANCE_NAME) gives one: see InstanceHeartbeats. */
function slotOf(config: Config): { slot?: string } {
  const slot = config.INSTANCE_NAME ?? config.WEBSITE_INSTANCE_ID;
  return slot ? { slot } : {};
}

export interface SharedState {
  settings: PlanSettingsStore;
  leadership: Leadership;
  /** STATE_STORE=azure: the ledger and conversation references every instance shares, and the account (for the send queue). */
  bot?: { ledger: SendLedger; conversations: ConversationStore };
  /** STATE_STORE=azure: the send fan-out, and the live instances that share the tenant's send budget. */
  sending?: { queue: SendQueue; instances: InstanceHeartbeats };
  close(): Promise<void>;
}

export async function openState(config: Config, logger: Logger): Promise<SharedState> {
  if (config.STATE_STORE === 'azure') {
    // Loaded only when asked for, so the embedded default never pulls in the Azure SDKs.
    const { openStorageAccount, stateName } = await import('./azure/storageAccount');
    const { AzureSettingsStore } = await import('./azure/azureSettingsStore');
    const { BlobLeaderLease } = await import('./azure/blobLeaderLease');
    const { AzureSendLedger } = await import('./azure/azureSendLedger');
    const { AzureConversationStore } = await import('./azure/azureConversationStore');
    const { AzureSendQueue } = await import('./azure/azureSendQueue');
    const { InstanceHeartbeats } = await import('./azure/instanceHeartbeats');
    const account = openStorageAccount(config);
    const settingsTable = stateName(config, 'settings');
    const ledgerTable = stateName(config, 'ledger');
    const conversationsTable = stateName(config, 'conversations');
    const instancesTable = stateName(config, 'instances');
    const leases = stateName(config, 'leases');
    const sends = stateName(config, 'sends').toLowerCase();
    const poison = stateName(config, 'sends-poison').toLowerCase();
    await account.ensure({
      tables: [settingsTable, ledgerTable, conversationsTable, instancesTable],
      queues: [sends, poison],
      containers: [leases],
    });
    const id = instanceId();
    const leadership = new BlobLeaderLease({ container: account.container(leases), logger: logger.child({ component: 'leader' }) });
    logger.info({ state: 'azure', prefix: config.STATE_PREFIX }, 'bot state in Azure storage: shared by every instance');
    return {
      settings: new AzureSettingsStore(account.table(settingsTable)),
      leadership,
      bot: {
        ledger: new AzureSendLedger(account.table(ledgerTable), id),
        conversations: new AzureConversationStore(account.table(conversationsTable)),
      },
      sending: {
        queue: new AzureSendQueue(account.queue(sends), account.queue(poison), logger.child({ component: 'sendQueue' })),
        instances: new InstanceHeartbeats({
          table: account.table(instancesTable),
          instanceId: id,
          ...slotOf(config),
          logger: logger.child({ component: 'instances' }),
        }),
      },
      close: () => leadership.stop(),
    };
  }
  const settings = new SqliteSettingsStore(settingsPath(config));
  return { settings, leadership: soleInstance, close: () => settings.close() };
}
