/**
 * A plan's settings, decided in one place for the bot, the scheduler and the tab: what the
 * co-ordinator saved in the tab, else the plan's entry in PROMPT_OFFSETS_BY_PLAN (offsets only), else
 * the environment (PROMPT_OFFSETS, DIGEST_DAY, DIGEST_HOUR, DIGEST_CONVERSATION_ID), and for the
 * reporting cycle the product's defaults (quarterly check-ins 14 days before the quarter ends,
 * deputies after 7 days, the co-ordinator's role owning items with no lead).
 */
import { z } from 'zod';
import type { Config } from '../config';
import { reminderWindow, WEEKDAYS } from '../domain/calendar';
import { RESTRICTABLE_FIELDS } from '../domain/publicExport';
import { ownerRoleOf } from '../domain/recipients';
import { DEFAULT_DEPUTY_AFTER_DAYS, type ReminderRules } from '../domain/reminders';
import { DEFAULT_CADENCE, DEFAULT_LEAD_DAYS, REPORTING_CADENCES } from '../domain/reportingPeriods';
import type { PlanItem } from '../domain/model';
import type { PlanStore } from '../store/planStore';
import type { PlanSettings, PlanSettingsStore, SavedSettings } from '../store/settingsStore';

export type { PlanSettings, SavedSettings } from '../store/settingsStore';

const wholeDays = (what: string, max: number) =>
  z
    .number({ message: `${what} is a whole number of days` })
    .int(`${what} is a whole number of days`)
    .min(0, `${what} cannot be negative`)
    .max(max, `${what} is at most ${max} days`);

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
    cadence: z.enum(REPORTING_CADENCES, { message: 'The check-in cadence is monthly, quarterly or none' }).default(DEFAULT_CADENCE),
    leadDays: wholeDays('The check-in lead time', 60).default(DEFAULT_LEAD_DAYS),
    ownerRole: z.string().trim().max(200, 'The owner role is longer than 200 characters').default(''),
    deputyAfterDays: wholeDays("The deputy's delay", 60).default(DEFAULT_DEPUTY_AFTER_DAYS),
    publicRestricted: z
      .array(z.enum(RESTRICTABLE_FIELDS, { message: `A restricted field is one of ${RESTRICTABLE_FIELDS.join(', ')}` }))
      .max(RESTRICTABLE_FIELDS.length)
      .transform((fields) => [...new Set(fields)])
      .default([]),
    internalFigures: z
      .array(
        z
          .string()
          .trim()
          .regex(
            /^[a-z]\d+-[0-9a-f]{8}(#\d{1,3})?$/i,
            'An internal figure is an item key, with "#" and the output number for one output (a4-1234abcd#2)',
          ),
      )
      .max(2000, 'At most 2,000 internal figures')
      .default([]),
  })
  .strict();

/** Settings with every field decided. */
export type FullSettings = Required<PlanSettings>;

export interface ResolvedSettings extends FullSettings {
  /** Where they come from: saved in the tab, or the environment (per plan or for every plan). */
  source: 'saved' | 'environment';
  updatedAt?: string;
  updatedBy?: string;
}

type SettingsConfig = Pick<Config, 'PROMPT_OFFSETS' | 'PROMPT_OFFSETS_BY_PLAN' | 'DIGEST_DAY' | 'DIGEST_HOUR' | 'DIGEST_CONVERSATION_ID'>;

/** The reporting cycle's defaults (not environment settings: a co-ordinator changes them in the tab). */
export const CYCLE_DEFAULTS = {
  cadence: DEFAULT_CADENCE,
  leadDays: DEFAULT_LEAD_DAYS,
  ownerRole: '',
  deputyAfterDays: DEFAULT_DEPUTY_AFTER_DAYS,
  publicRestricted: [],
  internalFigures: [],
} satisfies Omit<FullSettings, 'reminderOffsets' | 'digestDay' | 'digestHour' | 'digestChannel'>;

/** The settings of a plan nobody has saved settings for. */
export function environmentSettings(config: SettingsConfig, planId: string): FullSettings {
  return {
    reminderOffsets: [...(config.PROMPT_OFFSETS_BY_PLAN[planId] ?? config.PROMPT_OFFSETS)].sort((a, b) => b - a),
    digestDay: config.DIGEST_DAY,
    digestHour: config.DIGEST_HOUR,
    digestChannel: config.DIGEST_CONVERSATION_ID ?? '',
    ...CYCLE_DEFAULTS,
  };
}

export function resolveSettings(config: SettingsConfig, planId: string, saved: SavedSettings | undefined): ResolvedSettings {
  // Settings saved before the reporting cycle existed take its defaults.
  if (saved) return { ...CYCLE_DEFAULTS, ...saved, source: 'saved' };
  return { ...environmentSettings(config, planId), source: 'environment' };
}

/** The reminder rules of a plan (what the prompt run, the schedule and `dplan schedule` follow). */
export function reminderRules(settings: FullSettings, items: ReadonlyArray<Pick<PlanItem, 'leads'>>): ReminderRules {
  return {
    offsets: settings.reminderOffsets,
    overdueWeekday: settings.digestDay,
    cadence: settings.cadence,
    leadDays: settings.leadDays,
    deputyAfterDays: settings.deputyAfterDays,
    ownerRole: ownerRoleOf(settings.ownerRole, items),
  };
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

  /** The plan's digest goes to this channel from now on (the tab was set up there); its other settings stay as they are. */
  async useDigestChannel(planId: string, channelId: string, by: string, at: string): Promise<ResolvedSettings> {
    const { source: _source, updatedAt: _at, updatedBy: _by, ...current } = await this.settingsFor(planId);
    return this.save(planId, { ...current, digestChannel: channelId }, by, at);
  }
}

/**
 * What recording a report needs from a plan's settings: its reminder window and its owner role (read
 * with the plan's items, only for an item that names no lead).
 */
export function reportingRules(
  settings: PlanSettingsResolver,
  store: Pick<PlanStore, 'listItems'>,
): { windowDays(planId: string): Promise<number>; ownerRole(planId: string): Promise<string> } {
  return {
    windowDays: (planId) => settings.windowDays(planId),
    ownerRole: async (planId) => ownerRoleOf((await settings.settingsFor(planId)).ownerRole, await store.listItems(planId)),
  };
}
