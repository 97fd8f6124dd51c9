import { defineEntity } from '../db/entity.js';
import { accountPartition, entityKey } from '../db/keys.js';

/** A settings item: the explicitly set values (the rest are defaults or inherited). */
export interface SettingsRecord {
  values: Record<string, unknown>;
  version?: number;
}

/*
 * The account's settings and each company's overrides sit side by side in the account partition,
 * so a company's effective settings are one batch read of two keys, and a change of an account
 * setting reaches every company with no per-company write.
 */

export const accountSettingsEntity = defineEntity<SettingsRecord>()({
  type: 'settings',
  partition: (s: { accountId: string }) => accountPartition(s.accountId),
  sort: () => 'SETTINGS',
  keyOnly: ['accountId'],
  versioned: true,
});

export const companySettingsEntity = defineEntity<SettingsRecord>()({
  type: 'company_settings',
  partition: (s: { accountId: string }) => accountPartition(s.accountId),
  sort: (s: { companyId: string }) => entityKey('SETTINGS', s.companyId),
  keyOnly: ['accountId', 'companyId'],
  versioned: true,
});
