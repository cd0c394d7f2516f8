/**
 * Per-plan settings the co-ordinator saves from the tab (reminder offsets, the weekly digest's day,
 * hour and channel, the reporting cycle, the owner role of items with no lead, deputies' delay, what
 * the public version leaves out): a small port, with the embedded SQLite adapter (SETTINGS_DB_PATH, by
 * default beside SQLITE_PATH). What applies where nothing is saved is decided in
 * usecases/planSettings.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config';
import type { WeekdayName } from '../domain/calendar';
import type { RestrictableField } from '../domain/publicExport';
import type { ReportingCadence } from '../domain/reportingPeriods';

export interface PlanSettings {
  /** Days before a milestone on which leads are prompted (0 = on the day), largest first. */
  reminderOffsets: number[];
  digestDay: WeekdayName;
  digestHour: number;
  /** Teams conversation id of the channel the digest goes to; empty for the channel the app was installed in. */
  digestChannel: string;
  /** How often every open item is asked for its status (settings saved before it existed: quarterly). */
  cadence?: ReportingCadence;
  /** Days before a reporting period ends on which its check-in is asked. */
  leadDays?: number;
  /** The role answering for items with no lead (the "contract manager"); empty for the co-ordinator's role. */
  ownerRole?: string;
  /** Days a lead has to answer before the role's deputy is asked. */
  deputyAfterDays?: number;
  /** Fields the public version leaves out. */
  publicRestricted?: RestrictableField[];
  /** Figures the public version leaves out: "<itemKey>#<output number>" or "<itemKey>". */
  internalFigures?: string[];
}

export interface SavedSettings extends PlanSettings {
  updatedAt: string;
  updatedBy: string;
}

export interface PlanSettingsStore {
  /** What was saved for the plan, if anything. */
  get(planId: string): Promise<SavedSettings | undefined>;
  put(planId: string, settings: PlanSettings, by: string, at: string): Promise<SavedSettings>;
  close(): Promise<void>;
}

export class SqliteSettingsStore implements PlanSettingsStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS plan_settings (plan_id TEXT PRIMARY KEY, settings_json TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)',
    );
  }

  async get(planId: string): Promise<SavedSettings | undefined> {
    const row = this.db.prepare('SELECT settings_json, updated_at, updated_by FROM plan_settings WHERE plan_id = ?').get(planId) as
      { settings_json: string; updated_at: string; updated_by: string } | undefined;
    if (!row) return undefined;
    return { ...(JSON.parse(row.settings_json) as PlanSettings), updatedAt: row.updated_at, updatedBy: row.updated_by };
  }

  async put(planId: string, settings: PlanSettings, by: string, at: string): Promise<SavedSettings> {
    const kept = settingsOnly(settings);
    this.db
      .prepare(
        `INSERT INTO plan_settings (plan_id, settings_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT(plan_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(planId, JSON.stringify(kept), at, by);
    return { ...kept, updatedAt: at, updatedBy: by };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const SETTING_KEYS = [
  'reminderOffsets',
  'digestDay',
  'digestHour',
  'digestChannel',
  'cadence',
  'leadDays',
  'ownerRole',
  'deputyAfterDays',
  'publicRestricted',
  'internalFigures',
] as const satisfies ReadonlyArray<keyof PlanSettings>;

/** The settings fields of an object, and nothing else (no `source`, `updatedAt`, or stray keys). */
export function settingsOnly(settings: PlanSettings): PlanSettings {
  const out: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) if (settings[k] !== undefined) out[k] = settings[k];
  return out as unknown as PlanSettings;
}

/** The settings file the configuration names (SETTINGS_DB_PATH, else `settings.sqlite` beside SQLITE_PATH). */
export function settingsPath(config: Pick<Config, 'SETTINGS_DB_PATH' | 'SQLITE_PATH'>): string {
  if (config.SETTINGS_DB_PATH) return config.SETTINGS_DB_PATH;
  if (config.SQLITE_PATH === ':memory:') return ':memory:';
  return path.join(path.dirname(config.SQLITE_PATH), 'settings.sqlite');
}
