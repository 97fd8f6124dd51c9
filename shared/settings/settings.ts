import { batchGetRecords, type Entity } from '../db/entity.js';
import type { WriteAction } from '../db/transaction.js';
import { Conflict, NotFound } from '../errors.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyExists } from '../companies/companies.js';
import { companyEntity } from '../companies/entities.js';
import { requireCompany } from '../companies/access.js';
import { accountSettingsEntity, companySettingsEntity, type SettingsRecord } from './entities.js';
import {
  accountSettingsOf,
  applyPatch,
  effectiveOf,
  overridesOf,
  settingKeys,
  type AccountSettingsPatch,
  type Overrides,
  type OverridesPatch,
  type Settings,
} from './schema.js';

export interface CompanySettings {
  overrides: Overrides;
  effective: Settings;
}

/** A settings item as read: the explicitly set values, and its version for read-modify-write. */
interface Stored {
  values: Record<string, unknown>;
  version: number;
}

const storedOf = (record: SettingsRecord | undefined): Stored => ({ values: record?.values ?? {}, version: record?.version ?? 0 });

const changedMeanwhile = () => new Conflict('The settings changed meanwhile; try again.');

/** Replaces a settings item (an empty one goes), on condition that nobody changed it since it was read. */
function replaceStored<P, S>(
  entity: Entity<SettingsRecord, P, S, Record<never, never>>,
  key: P & S,
  values: Record<string, unknown>,
  seen: number,
): WriteAction {
  if (Object.keys(values).length === 0 && seen > 0) return entity.deleteAction(key, { ifVersion: seen, onFail: changedMeanwhile });
  return entity.putAction({ ...key, values }, seen === 0 ? { ifNew: true, onFail: changedMeanwhile } : { ifVersion: seen, onFail: changedMeanwhile });
}

export async function getAccountSettings(accountId: string, consistent = false): Promise<Settings> {
  return accountSettingsOf((await readAccount(accountId, consistent)).values);
}

async function readAccount(accountId: string, consistent: boolean): Promise<Stored> {
  return storedOf(await accountSettingsEntity.get({ accountId }, { consistent }));
}

export async function updateAccountSettings(actor: Actor, patch: AccountSettingsPatch): Promise<Settings> {
  const stored = await readAccount(actor.accountId, true);
  const before = accountSettingsOf(stored.values);
  const values = applyPatch<Settings>(stored.values as Partial<Settings>, patch);
  const after = accountSettingsOf(values);
  const fields = changedFields(before, after, settingKeys);
  if (Object.keys(fields).length === 0) return before;
  await commitChanges(
    actor,
    [replaceStored(accountSettingsEntity, { accountId: actor.accountId }, values, stored.version)],
    [{ resourceType: 'settings', resourceId: actor.accountId, action: 'update', fields }],
  );
  return after;
}

/** The account's settings, the company's overrides and (optionally) whether the company exists: one batch read. */
async function readCompany(accountId: string, companyId: string, options: { withCompany: boolean; consistent?: boolean }) {
  const company = companyEntity.key({ accountId, id: companyId });
  const records = await batchGetRecords(
    [accountSettingsEntity.key({ accountId }), companySettingsEntity.key({ accountId, companyId }), ...(options.withCompany ? [company] : [])],
    options.consistent ?? false,
  );
  const of = (entity: typeof accountSettingsEntity | typeof companySettingsEntity) => {
    const record = records.find((r) => entity.owns(r));
    return storedOf(record && entity.parse(record));
  };
  return {
    account: of(accountSettingsEntity),
    overrides: of(companySettingsEntity),
    companyFound: records.some((r) => companyEntity.owns(r)),
  };
}

/** A company deleted: its overrides go with it. */
export function companySettingsDeleted(accountId: string, companyId: string): WriteAction {
  return companySettingsEntity.deleteAction({ accountId, companyId });
}

const view = (account: Stored, overrides: Record<string, unknown>): CompanySettings => {
  const own = overridesOf(overrides);
  return { overrides: own, effective: effectiveOf(accountSettingsOf(account.values), own) };
};

/**
 * A company's effective settings: the account's with the company's overrides on top. One
 * batch read; for the queue alerts, report time zones and anything else that acts per company.
 */
export async function effectiveSettings(accountId: string, companyId: string): Promise<Settings> {
  const { account, overrides } = await readCompany(accountId, companyId, { withCompany: false });
  return view(account, overrides.values).effective;
}

export async function getCompanySettings(principal: Principal, companyId: string): Promise<CompanySettings> {
  requireCompany(principal, companyId);
  const { account, overrides, companyFound } = await readCompany(principal.accountId, companyId, { withCompany: true });
  if (!companyFound) throw new NotFound('The company');
  return view(account, overrides.values);
}

/** Sets overrides (`null` removes one: the company falls back to the account's value). */
export async function updateCompanySettings(actor: Actor, companyId: string, patch: OverridesPatch): Promise<CompanySettings> {
  const { account, overrides, companyFound } = await readCompany(actor.accountId, companyId, { withCompany: true, consistent: true });
  if (!companyFound) throw new NotFound('The company');
  const before = overridesOf(overrides.values);
  const after = applyPatch<Overrides>(before, patch);
  const fields = changedFields(before, after, settingKeys as (keyof Overrides)[]);
  if (Object.keys(fields).length === 0) return view(account, before);
  await commitChanges(
    actor,
    [
      // The company still exists when the overrides land; a company delete removes them with it.
      companyExists(actor.accountId, companyId),
      replaceStored(companySettingsEntity, { accountId: actor.accountId, companyId }, after, overrides.version),
    ],
    [{ resourceType: 'settings', resourceId: companyId, action: 'update', fields }],
  );
  return view(account, after);
}
