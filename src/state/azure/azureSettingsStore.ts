/**
 * Plan settings in Azure Table storage (STATE_STORE=azure): one entity per plan, shared by every
 * instance. The same port and contract as the embedded SQLite adapter (store/settingsStore.ts).
 * https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
 */
import type { TableClient } from '@azure/data-tables';
import type { PlanSettings, PlanSettingsStore, SavedSettings } from '../../store/settingsStore';
import { rowKey } from './keys';
import { statusOf } from './storageErrors';

const PARTITION = 'plan';

interface SettingsEntity {
  partitionKey: string;
  rowKey: string;
  settingsJson: string;
  updatedAt: string;
  updatedBy: string;
}

export class AzureSettingsStore implements PlanSettingsStore {
  constructor(private readonly table: TableClient) {}

  async get(planId: string): Promise<SavedSettings | undefined> {
    try {
      const e = await this.table.getEntity<SettingsEntity>(PARTITION, rowKey(planId));
      return { ...(JSON.parse(e.settingsJson) as PlanSettings), updatedAt: e.updatedAt, updatedBy: e.updatedBy };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async put(planId: string, settings: PlanSettings, by: string, at: string): Promise<SavedSettings> {
    const { reminderOffsets, digestDay, digestHour, digestChannel } = settings;
    const saved = { reminderOffsets, digestDay, digestHour, digestChannel };
    await this.table.upsertEntity<SettingsEntity>(
      { partitionKey: PARTITION, rowKey: rowKey(planId), settingsJson: JSON.stringify(saved), updatedAt: at, updatedBy: by },
      'Replace',
    );
    return { ...saved, updatedAt: at, updatedBy: by };
  }

  async close(): Promise<void> {}
}
