/**
 * The storage account that holds the bot's state when several instances run (STATE_STORE=azure):
 * tables (send ledger, conversation references, settings), a queue (the send fan-out) and a blob
 * container (the scheduler's leader lease). Reached with a connection string (Azurite locally and in
 * tests) or, in Azure, by account name with the app's managed identity (DefaultAzureCredential) and
 * data-plane roles assigned in infra/main.bicep.
 * https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string
 * https://learn.microsoft.com/javascript/api/overview/azure/data-tables-readme
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Config } from '../../config';
import { ConfigError } from '../../errors';
import { statusOf } from './storageErrors';

export type StorageConfig = Pick<Config, 'AZURE_STORAGE_CONNECTION_STRING' | 'AZURE_STORAGE_ACCOUNT' | 'STATE_PREFIX'>;

export interface StorageAccount {
  table(name: string): TableClient;
  queue(name: string): QueueClient;
  container(name: string): ContainerClient;
  /** Creates the tables, queues and containers named (409 "already exists" is fine). */
  ensure(names: { tables?: string[]; queues?: string[]; containers?: string[] }): Promise<void>;
}

/** Azure table, queue and container names: letters and digits (tables), lower case (queues, containers). */
export function stateName(config: Pick<StorageConfig, 'STATE_PREFIX'>, what: string): string {
  return `${config.STATE_PREFIX}${what}`;
}

function isHttp(connectionString: string): boolean {
  return /DefaultEndpointsProtocol=http;|(Blob|Queue|Table)Endpoint=http:\/\//i.test(connectionString);
}

export function openStorageAccount(config: StorageConfig, credential?: TokenCredential): StorageAccount {
  const cs = config.AZURE_STORAGE_CONNECTION_STRING;
  let tables: TableServiceClient;
  let queues: QueueServiceClient;
  let blobs: BlobServiceClient;
  const tableOptions = cs && isHttp(cs) ? { allowInsecureConnection: true } : {};
  if (cs) {
    tables = TableServiceClient.fromConnectionString(cs, tableOptions);
    queues = QueueServiceClient.fromConnectionString(cs);
    blobs = BlobServiceClient.fromConnectionString(cs);
  } else if (config.AZURE_STORAGE_ACCOUNT) {
    const account = config.AZURE_STORAGE_ACCOUNT;
    const identity = credential ?? new DefaultAzureCredential();
    tables = new TableServiceClient(`https://${account}.table.core.windows.net`, identity);
    queues = new QueueServiceClient(`https://${account}.queue.core.windows.net`, identity);
    blobs = new BlobServiceClient(`https://${account}.blob.core.windows.net`, identity);
  } else {
    throw new ConfigError('STATE_STORE=azure needs AZURE_STORAGE_ACCOUNT (managed identity) or AZURE_STORAGE_CONNECTION_STRING');
  }
  const tableClient = (name: string) =>
    cs
      ? TableClient.fromConnectionString(cs, name, tableOptions)
      : new TableClient(tables.url, name, credential ?? new DefaultAzureCredential());
  const alreadyExists = (err: unknown) => statusOf(err) === 409;
  return {
    table: tableClient,
    queue: (name) => queues.getQueueClient(name),
    container: (name) => blobs.getContainerClient(name),
    ensure: async ({ tables: t = [], queues: q = [], containers: c = [] }) => {
      await Promise.all([
        ...t.map((name) => tables.createTable(name).catch((err: unknown) => (alreadyExists(err) ? undefined : Promise.reject(err)))),
        ...q.map((name) => queues.getQueueClient(name).createIfNotExists()),
        ...c.map((name) => blobs.getContainerClient(name).createIfNotExists()),
      ]);
    },
  };
}
