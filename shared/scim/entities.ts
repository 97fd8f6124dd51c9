import { defineEntity } from '../db/entity.js';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';

export interface ScimToken {
  id: string;
  companyId: string;
  description: string;
  createdAt: string;
}

const tokenPrefix = entityPrefix('SCIMTOKEN');

/**
 * A company's SCIM token, in the account partition (`SCIMTOKEN#<hash of its secret>`): a SCIM
 * request finds its token in one read. As for integration keys, the hash is stored only in the key.
 */
export const scimTokenEntity = defineEntity<ScimToken & { secretHash: string }>()({
  type: 'scim_token',
  partition: (k: { accountId: string }) => accountPartition(k.accountId),
  sort: (k: { secretHash: string }) => entityKey('SCIMTOKEN', k.secretHash),
  sortPrefix: tokenPrefix,
  keyOnly: ['accountId', 'secretHash'],
  fromKey: (key) => ({ secretHash: key.sk.slice(tokenPrefix.length) }),
});

/** RFC 7643's enterprise extension of a User, as kept: its strings, and the manager's id (`manager.value`). */
export interface EnterpriseUser {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: string;
}

/** What SCIM keeps of a User beside its end user: the directory's identifiers, `active` and the enterprise extension. */
export interface ScimUserLink {
  endUserId: string;
  userName: string;
  externalId?: string | undefined;
  active: boolean;
  enterprise?: EnterpriseUser | undefined;
  createdAt: string;
  version?: number;
}

/** A company's SCIM partition: its users (`USER#<endUserId>`), its groups' records and the claims that find them by key. */
const scimPartition = (k: { accountId: string; companyId: string }) => accountCollection(k.accountId, 'SCIM', k.companyId);

/** A SCIM User of a company (`USER#<endUserId>`): listing the partition by this prefix lists the company's SCIM Users. */
export const scimUserEntity = defineEntity<ScimUserLink>()({
  type: 'scim_user',
  partition: scimPartition,
  sort: (k: { endUserId: string }) => entityKey('USER', k.endUserId),
  sortPrefix: entityPrefix('USER'),
  keyOnly: ['accountId', 'companyId'],
  versioned: true,
});

/** `userName` claim (`USERNAME#<lower-cased>`): unique per company, found case-insensitively in one read. */
export const scimUserNameEntity = defineEntity<{ endUserId: string }>()({
  type: 'scim_user_name',
  partition: scimPartition,
  sort: (k: { userName: string }) => entityKey('USERNAME', k.userName.toLowerCase()),
  keyOnly: ['accountId', 'companyId', 'userName'],
});

/** `externalId` claim (`EXTID#<externalId>`, case-exact as RFC 7643 says): found in one read. */
export const scimExternalIdEntity = defineEntity<{ endUserId: string }>()({
  type: 'scim_external_id',
  partition: scimPartition,
  sort: (k: { externalId: string }) => entityKey('EXTID', k.externalId),
  keyOnly: ['accountId', 'companyId', 'externalId'],
});

/** What SCIM keeps of a Group beside the account's end-user group: the directory's `externalId`. */
export interface ScimGroupLink {
  groupId: string;
  externalId: string;
}

/** A Group's SCIM record in the company's partition (`GROUP#<groupId>`), present while it has an `externalId`. */
export const scimGroupEntity = defineEntity<ScimGroupLink>()({
  type: 'scim_group',
  partition: scimPartition,
  sort: (k: { groupId: string }) => entityKey('GROUP', k.groupId),
  keyOnly: ['accountId', 'companyId'],
});

/** A Group's `externalId` claim (`GROUPEXTID#<externalId>`, case-exact): unique per company, found in one read. */
export const scimGroupExternalIdEntity = defineEntity<{ groupId: string }>()({
  type: 'scim_group_external_id',
  partition: scimPartition,
  sort: (k: { externalId: string }) => entityKey('GROUPEXTID', k.externalId),
  keyOnly: ['accountId', 'companyId', 'externalId'],
});
