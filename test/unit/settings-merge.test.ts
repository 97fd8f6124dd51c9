import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accountSettingsOf,
  applyPatch,
  defaultSettings,
  effectiveOf,
  isOverridable,
  languages,
  settingKeys,
  type Overrides,
  type OverridesPatch,
  type Settings,
} from '../../shared/settings/schema.js';

const values = {
  sessionRecording: fc.boolean(),
  language: fc.constantFrom(...languages),
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Apia'),
  queueAlertAfterMinutes: fc.integer({ min: 1, max: 1440 }),
  portalLiveConnect: fc.boolean(),
  ticketAutoCloseDays: fc.integer({ min: 0, max: 365 }),
};

const accountSettings: fc.Arbitrary<Settings> = fc.record(values);
const overrides: fc.Arbitrary<Overrides> = fc.record(
  {
    sessionRecording: values.sessionRecording,
    language: values.language,
    timezone: values.timezone,
    queueAlertAfterMinutes: values.queueAlertAfterMinutes,
    portalLiveConnect: values.portalLiveConnect,
  },
  { requiredKeys: [] },
);
/** A PATCH of overrides: any subset of keys, each a value or null. */
const overridesPatch: fc.Arbitrary<OverridesPatch> = fc.record(
  {
    sessionRecording: fc.option(values.sessionRecording),
    language: fc.option(values.language),
    timezone: fc.option(values.timezone),
    queueAlertAfterMinutes: fc.option(values.queueAlertAfterMinutes),
    portalLiveConnect: fc.option(values.portalLiveConnect),
  },
  { requiredKeys: [] },
);

describe("A company's effective settings are the account's with its overrides on top", () => {
  it('takes each setting from the override when there is one, else from the account', () => {
    fc.assert(
      fc.property(accountSettings, overrides, (account, own) => {
        const effective = effectiveOf(account, own);
        for (const key of settingKeys) {
          expect(effective[key]).toEqual(key in own ? own[key as keyof Overrides] : account[key]);
        }
      }),
    );
  });

  it('follows any change of the account for every setting the company does not override', () => {
    fc.assert(
      fc.property(accountSettings, accountSettings, overrides, (before, after, own) => {
        const effective = effectiveOf(after, own);
        for (const key of settingKeys.filter((k) => !(k in own))) expect(effective[key]).toEqual(after[key]);
        expect(effectiveOf(before, own)).toMatchObject(own);
      }),
    );
  });

  it('never lets a stored override of an account-wide setting through', () => {
    fc.assert(
      fc.property(accountSettings, overrides, fc.integer({ min: 0, max: 365 }), (account, own, days) => {
        const stored = { ...own, ticketAutoCloseDays: days } as Overrides;
        expect(effectiveOf(account, stored).ticketAutoCloseDays).toBe(account.ticketAutoCloseDays);
      }),
    );
  });

  it("sets what a patch names, removes what it sets to null (falling back to the account's value), and keeps the rest", () => {
    fc.assert(
      fc.property(accountSettings, overrides, overridesPatch, (account, current, patch) => {
        const next = applyPatch<Overrides>(current, patch);
        const effective = effectiveOf(account, next);
        for (const key of settingKeys.filter(isOverridable)) {
          const change = patch[key];
          if (change === null) {
            expect(next).not.toHaveProperty(key);
            expect(effective[key]).toEqual(account[key]);
          } else if (change !== undefined) expect(effective[key]).toEqual(change);
          else expect(next[key]).toEqual(current[key]);
        }
      }),
    );
  });

  it('is the account itself when every override is removed', () => {
    fc.assert(
      fc.property(accountSettings, overrides, (account, own) => {
        const cleared = applyPatch<Overrides>(own, Object.fromEntries(Object.keys(own).map((k) => [k, null])) as OverridesPatch);
        expect(effectiveOf(account, cleared)).toEqual(account);
      }),
    );
  });
});

describe("An account's settings are the defaults with its stored values on top", () => {
  it('fills in every setting never set, and ignores keys no longer known', () => {
    fc.assert(
      fc.property(fc.record(values, { requiredKeys: [] }), (stored) => {
        const settings = accountSettingsOf({ ...stored, retiredSetting: 'x' });
        expect(settings).toEqual({ ...defaultSettings, ...stored });
      }),
    );
  });
});
