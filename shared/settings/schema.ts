import * as z from 'zod';
import { timeZone } from '../http/schemas.js';

export const languages = ['en', 'de', 'es', 'fr', 'it', 'pt', 'nl', 'ja', 'zh'] as const;

/** Every setting, with what makes a value valid. */
const settingsShape = {
  sessionRecording: z.boolean(),
  language: z.enum(languages),
  timezone: timeZone,
  /** A queue item waiting longer than this raises an alert. */
  queueAlertAfterMinutes: z.int().min(1).max(1440),
  /** Portal customers may connect live with an available technician (otherwise they always queue). */
  portalLiveConnect: z.boolean(),
  /** Solved tickets close by themselves after this many days; 0 never. */
  ticketAutoCloseDays: z.int().min(0).max(365),
};

export type Settings = { [K in keyof typeof settingsShape]: z.output<(typeof settingsShape)[K]> };
export type SettingKey = keyof Settings;

/** What an account starts with; the account's stored values lie on top. */
export const defaultSettings: Settings = {
  sessionRecording: false,
  language: 'en',
  timezone: 'UTC',
  queueAlertAfterMinutes: 15,
  portalLiveConnect: true,
  ticketAutoCloseDays: 7,
};

/** The settings a company may override; the rest are account-wide policy. */
export const overridable = {
  sessionRecording: true,
  language: true,
  timezone: true,
  queueAlertAfterMinutes: true,
  portalLiveConnect: true,
} as const satisfies Partial<Record<SettingKey, true>>;

export type OverridableKey = keyof typeof overridable;
export type Overrides = Partial<Pick<Settings, OverridableKey>>;
/** A PATCH of overrides: `null` removes one. */
export type OverridesPatch = { [K in OverridableKey]?: Settings[K] | null };

export const settingKeys = Object.keys(defaultSettings) as SettingKey[];
export const isOverridable = (key: string): key is OverridableKey => Object.hasOwn(overridable, key);

const nonEmpty = (body: object) => Object.values(body).some((v) => v !== undefined);

export const accountSettingsBody = z.strictObject(settingsShape).partial().refine(nonEmpty, 'Name at least one setting to change');

const overridesShape = Object.fromEntries(
  settingKeys.map((key) => [
    key,
    isOverridable(key)
      ? settingsShape[key].nullable().optional()
      : z.never({ error: 'This setting is account-wide; it cannot be overridden per company' }).optional(),
  ]),
) as { [K in OverridableKey]: z.ZodOptional<z.ZodNullable<(typeof settingsShape)[K]>> } & {
  [K in Exclude<SettingKey, OverridableKey>]: z.ZodOptional<z.ZodNever>;
};

export const companySettingsBody = z.strictObject(overridesShape).refine(nonEmpty, 'Name at least one setting to override or reset');

export type AccountSettingsPatch = z.output<typeof accountSettingsBody>;

/** Stored values → settings: unknown or retired keys are ignored, missing ones take the default. */
export function accountSettingsOf(stored: Record<string, unknown> = {}): Settings {
  return Object.fromEntries(settingKeys.map((key) => [key, Object.hasOwn(stored, key) ? stored[key] : defaultSettings[key]])) as Settings;
}

/** Stored overrides → overrides: only overridable keys count. */
export function overridesOf(stored: Record<string, unknown> = {}): Overrides {
  return Object.fromEntries(Object.entries(stored).filter(([key, value]) => isOverridable(key) && value !== undefined && value !== null)) as Overrides;
}

/** A company's effective settings: the account's, with the company's overrides on top. */
export function effectiveOf(account: Settings, overrides: Overrides): Settings {
  return { ...account, ...overridesOf(overrides) };
}

/** Applies a PATCH: a value sets a key, `null` removes it, an absent key stays as it was. */
export function applyPatch<T extends object>(current: Partial<T>, patch: { [K in keyof T]?: T[K] | null }): Partial<T> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as Partial<T>;
}
