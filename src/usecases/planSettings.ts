/**
 * A plan's settings, decided in one place for the bot, the scheduler and the tab: what the
 * co-ordinator saved in the tab, else the plan's entry in PROMPT_OFFSETS_BY_PLAN (offsets only), else
 * the environment (PROMPT_OFFSETS, DIGEST_DAY, DIGEST_HOUR, DIGEST_CONVERSATION_ID).
 */
import { z } from 'zod';
import type { Config } from '../config';
import { reminderWindow, WEEKDAYS } from '../domain/calendar';
import type { PlanSettings, PlanSettingsStore, SavedSettings } from '../store/settingsStore';

export type { PlanSettings, SavedSettings } from '../store/settingsStore';

/** What a co-ordinator may save; messages name the setting in words. */
export const planSettingsSchema = z
  .object({
    reminderOffsets: z
      .array(
        z
          .number({ message: 'Reminder days are whole numbers of days' })
          .int('Reminder days are whole numbers of days')
          .min(0, 'Reminder days cannot be negative')
          .max(365, 'Reminder days are at most 365 days before a milestone'),
      )
      .min(1, 'Give at least one reminder day')
      .max(8, 'Give at most 8 reminder days')
      .transform((offsets) => [...new Set(offsets)].sort((a, b) => b - a)),
    digestDay: z.enum(WEEKDAYS, { message: 'The digest day is one of Monday to Sunday (mon, tue, wed, thu, fri, sat, sun)' }),
    digestHour: z
      .number({ message: 'The digest hour is a whole number from 0 to 23' })
      .int('The digest hour is a whole number from 0 to 23')
      .min(0, 'The digest hour is 0 to 23')
      .max(23, 'The digest hour is 0 to 23'),
    /** Teams conversation id of the channel the digest goes to; empty for the channel the app was installed in. */
    digestChannel: z.string().trim().max(400, 'The channel id is too long').default(''),
  })
  .strict();

export interface ResolvedSettings extends PlanSettings {
  /** Where they come from: saved in the tab, or the environment (per plan or for every plan). */
  source: 'saved' | 'environment';
  updatedAt?: string;
  updatedBy?: string;
}

type SettingsConfig = Pick<Config, 'PROMPT_OFFSETS' | 'PROMPT_OFFSETS_BY_PLAN' | 'DIGEST_DAY' | 'DIGEST_HOUR' | 'DIGEST_CONVERSATION_ID'>;

/** The settings of a plan nobody has saved settings for. */
export function environmentSettings(config: SettingsConfig, planId: string): PlanSettings {
  return {
    reminderOffsets: [...(config.PROMPT_OFFSETS_BY_PLAN[planId] ?? config.PROMPT_OFFSETS)].sort((a, b) => b - a),
    digestDay: config.DIGEST_DAY,
    digestHour: config.DIGEST_HOUR,
    digestChannel: config.DIGEST_CONVERSATION_ID ?? '',
  };
}

export function resolveSettings(config: SettingsConfig, planId: string, saved: SavedSettings | undefined): ResolvedSettings {
  if (saved) return { ...saved, source: 'saved' };
  return { ...environmentSettings(config, planId), source: 'environment' };
}

/** The resolver every part asks: `settingsFor(planId)`. */
export class PlanSettingsResolver {
  constructor(
    private readonly config: SettingsConfig,
    private readonly store: PlanSettingsStore,
  ) {}

  async settingsFor(planId: string): Promise<ResolvedSettings> {
    return resolveSettings(this.config, planId, await this.store.get(planId));
  }

  /** How far back before a milestone its reminders reach: the largest reminder offset. */
  async windowDays(planId: string): Promise<number> {
    return reminderWindow((await this.settingsFor(planId)).reminderOffsets);
  }

  async save(planId: string, settings: PlanSettings, by: string, at: string): Promise<ResolvedSettings> {
    return resolveSettings(this.config, planId, await this.store.put(planId, settings, by, at));
  }
}
