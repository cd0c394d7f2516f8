/**
 * Per-plan settings the co-ordinator changes from the tab: reminder offsets, the weekly digest's day,
 * hour and channel. The PlanStore port has no settings, so they live in a small SQLite file of their
 * own (SETTINGS_DB_PATH, by default next to SQLITE_PATH). Defaults come from the environment.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { Config } from '../config';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const planSettingsSchema = z
  .object({
    /** Days before a milestone on which leads are prompted (0 = on the day). */
    reminderOffsets: z
      .array(
        z
          .number()
          .int('Reminder offsets are whole days')
          .min(0, 'Reminder offsets cannot be negative')
          .max(365, 'Reminder offsets are at most 365 days'),
      )
      .min(1, 'Give at least one reminder offset')
      .max(8, 'Give at most 8 reminder offsets')
      .transform((offsets) => [...new Set(offsets)].sort((a, b) => b - a)),
    digestDay: z.enum(WEEKDAYS, { message: 'The digest day is one of mon, tue, wed, thu, fri, sat, sun' }),
    digestHour: z.number().int().min(0, 'The digest hour is 0 to 23').max(23, 'The digest hour is 0 to 23'),
    /** Teams conversation id of the channel the digest goes to; empty for the channel the app was installed in. */
    digestChannel: z.string().trim().max(400, 'The channel id is too long').default(''),
  })
  .strict();

export type PlanSettings = z.infer<typeof planSettingsSchema>;

export interface StoredSettings extends PlanSettings {
  /** When they were last saved and by whom; absent while the defaults apply. */
  updatedAt?: string;
  updatedBy?: string;
}

export function defaultSettings(config: Config): PlanSettings {
  const c = config as Config &
    Partial<{ PROMPT_OFFSETS: number[]; DIGEST_DAY: PlanSettings['digestDay']; DIGEST_HOUR: number; DIGEST_CONVERSATION_ID: string }>;
  return {
    reminderOffsets: [...(c.PROMPT_OFFSETS ?? [28, 14, 7, 0])].sort((a, b) => b - a),
    digestDay: c.DIGEST_DAY ?? 'mon',
    digestHour: c.DIGEST_HOUR ?? 9,
    digestChannel: c.DIGEST_CONVERSATION_ID ?? '',
  };
}

export class SettingsStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly defaults: PlanSettings,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS plan_settings (plan_id TEXT PRIMARY KEY, settings_json TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)',
    );
  }

  get(planId: string): StoredSettings {
    const row = this.db.prepare('SELECT settings_json, updated_at, updated_by FROM plan_settings WHERE plan_id = ?').get(planId) as
      { settings_json: string; updated_at: string; updated_by: string } | undefined;
    if (!row) return { ...this.defaults };
    return { ...this.defaults, ...(JSON.parse(row.settings_json) as PlanSettings), updatedAt: row.updated_at, updatedBy: row.updated_by };
  }

  put(planId: string, settings: PlanSettings, by: string, at: string): StoredSettings {
    this.db
      .prepare(
        `INSERT INTO plan_settings (plan_id, settings_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT(plan_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(planId, JSON.stringify(settings), at, by);
    return this.get(planId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The settings file the configuration names (SETTINGS_DB_PATH, else `settings.sqlite` beside SQLITE_PATH). */
export function settingsPath(config: Config): string {
  if (config.SETTINGS_DB_PATH) return config.SETTINGS_DB_PATH;
  if (config.SQLITE_PATH === ':memory:') return ':memory:';
  return path.join(path.dirname(config.SQLITE_PATH), 'settings.sqlite');
}

export function openSettingsStore(config: Config): SettingsStore {
  return new SettingsStore(settingsPath(config), defaultSettings(config));
}
