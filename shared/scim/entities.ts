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

/** What SCIM keeps of a User beside its end user: the directory's identifiers and `active`. */
export interface ScimUserLink {
  endUserId: string;
  userName: string;
  externalId?: string | undefined;
  active: boolean;
  createdAt: string;
  version?: number;
}

/** A company's SCIM partition: its users (`USER#<endUserId>`) and the claims that find them by key. */
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
