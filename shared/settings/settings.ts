import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client.js';
import { batchGet } from '../db/batch.js';
import { Conflict, NotFound } from '../errors.js';
import { changedFields, commitChanges, guard, type Actor, type GuardedWrite } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { companyKeys } from '../companies/companies.js';
import { requireCompany } from '../companies/access.js';
import { settingsKeys } from './keys.js';
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

/** A settings item as stored: the explicitly set values, and a version for read-modify-write. */
interface Stored {
  values: Record<string, unknown>;
  version: number;
}

const storedOf = (item: Record<string, unknown> | undefined): Stored => ({
  values: (item?.values as Record<string, unknown> | undefined) ?? {},
  version: (item?.version as number | undefined) ?? 0,
});

const changedMeanwhile = () => new Conflict('The settings changed meanwhile; try again.');

/** Replaces a settings item, on condition that nobody changed it since it was read. */
function replaceStored(key: { pk: string; sk: string }, type: string, values: Record<string, unknown>, seen: number): GuardedWrite {
  const condition =
    seen === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': seen } };
  if (Object.keys(values).length === 0 && seen > 0) {
    return guard({ Delete: { TableName: tableName, Key: key, ...condition } }, changedMeanwhile);
  }
  return guard({ Put: { TableName: tableName, Item: { ...key, type, values, version: seen + 1 }, ...condition } }, changedMeanwhile);
}

export async function getAccountSettings(accountId: string, consistent = false): Promise<Settings> {
  return accountSettingsOf((await readAccount(accountId, consistent)).values);
}

async function readAccount(accountId: string, consistent: boolean): Promise<Stored> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: settingsKeys.account(accountId), ConsistentRead: consistent }));
  return storedOf(out.Item);
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
    [replaceStored(settingsKeys.account(actor.accountId), 'settings', values, stored.version)],
    [{ resourceType: 'settings', resourceId: actor.accountId, action: 'update', fields }],
  );
  return after;
}

/** The account's settings, the company's overrides and (optionally) the company: one BatchGetItem. */
async function readCompany(accountId: string, companyId: string, options: { withCompany: boolean; consistent?: boolean }) {
  const keys = [settingsKeys.account(accountId), settingsKeys.company(accountId, companyId)];
  const items = await batchGet(options.withCompany ? [...keys, companyKeys.item(accountId, companyId)] : keys, options);
  const find = (key: { sk: string }) => items.find((i) => i.sk === key.sk);
  return {
    account: storedOf(find(keys[0]!)),
    overrides: storedOf(find(keys[1]!)),
    companyExists: find(companyKeys.item(accountId, companyId)) !== undefined,
  };
}

const view = (account: Stored, overrides: Record<string, unknown>): CompanySettings => {
  const own = overridesOf(overrides);
  return { overrides: own, effective: effectiveOf(accountSettingsOf(account.values), own) };
};

/**
 * A company's effective settings: the account's with the company's overrides on top. One
 * BatchGetItem; for the queue alerts, report time zones and anything else that acts per company.
 */
export async function effectiveSettings(accountId: string, companyId: string): Promise<Settings> {
  const { account, overrides } = await readCompany(accountId, companyId, { withCompany: false });
  return view(account, overrides.values).effective;
}

export async function getCompanySettings(principal: Principal, companyId: string): Promise<CompanySettings> {
  requireCompany(principal, companyId);
  const { account, overrides, companyExists } = await readCompany(principal.accountId, companyId, { withCompany: true });
  if (!companyExists) throw new NotFound('The company');
  return view(account, overrides.values);
}

/** Sets overrides (`null` removes one: the company falls back to the account's value). */
export async function updateCompanySettings(actor: Actor, companyId: string, patch: OverridesPatch): Promise<CompanySettings> {
  const { account, overrides, companyExists } = await readCompany(actor.accountId, companyId, { withCompany: true, consistent: true });
  if (!companyExists) throw new NotFound('The company');
  const before = overridesOf(overrides.values);
  const after = applyPatch<Overrides>(before, patch);
  const fields = changedFields(before, after, settingKeys as (keyof Overrides)[]);
  if (Object.keys(fields).length === 0) return view(account, before);
  await commitChanges(
    actor,
    [
      // The company still exists when the overrides land; a company delete removes them with it.
      guard(
        { ConditionCheck: { TableName: tableName, Key: companyKeys.item(actor.accountId, companyId), ConditionExpression: 'attribute_exists(pk)' } },
        () => new NotFound('The company'),
      ),
      replaceStored(settingsKeys.company(actor.accountId, companyId), 'company_settings', after, overrides.version),
    ],
    [{ resourceType: 'settings', resourceId: companyId, action: 'update', fields }],
  );
  return view(account, after);
}
