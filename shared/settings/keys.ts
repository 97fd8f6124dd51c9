import { accountPartition, entityKey } from '../db/keys.js';

/**
 * The account's settings and each company's overrides sit side by side in the account partition,
 * so a company's effective settings are one BatchGetItem of two keys, and a change of an account
 * setting reaches every company with no per-company write.
 */
export const settingsKeys = {
  account: (accountId: string) => ({ pk: accountPartition(accountId), sk: 'SETTINGS' }),
  company: (accountId: string, companyId: string) => ({ pk: accountPartition(accountId), sk: entityKey('SETTINGS', companyId) }),
};
