import { defineEntity } from '../db/entity.js';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import type { deviceKinds } from './schema.js';

export interface DeviceRecord {
  id: string;
  name: string;
  /** A string set, changed by value. */
  companyIds: Set<string>;
  group: string;
  kind: (typeof deviceKinds)[number];
  os: string;
  createdAt: string;
  updatedAt: string;
  version?: number;
}

/**
 * A device, in the account partition. Each company it belongs to also holds a copy of it in its
 * member entry for the device (the company's inventory; see `companyMemberEntity`).
 */
export const deviceEntity = defineEntity<DeviceRecord>()({
  type: 'device',
  partition: (d: { accountId: string }) => accountPartition(d.accountId),
  sort: (d: { id: string }) => entityKey('DEVICE', d.id),
  sortPrefix: entityPrefix('DEVICE'),
  keyOnly: ['accountId'],
  versioned: true,
});
