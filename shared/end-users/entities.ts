import { defineEntity } from '../db/entity.js';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import type { EndUserRecord } from './end-users.js';
import type { EndUserGroup } from './groups.js';

/** An end user as stored: the group ids are a string set, absent when there are none. */
export interface StoredEndUser extends Omit<EndUserRecord, 'groupIds'> {
  groupIds?: Set<string>;
}

/**
 * An end user, in the account partition beside staff (`ENDUSER#<id>`); found by address through
 * the account's email claims (one address, one person), which staff and end users share.
 */
export const endUserEntity = defineEntity<StoredEndUser>()({
  type: 'end_user',
  partition: (e: { accountId: string }) => accountPartition(e.accountId),
  sort: (e: { id: string }) => entityKey('ENDUSER', e.id),
  sortPrefix: entityPrefix('ENDUSER'),
  keyOnly: ['accountId'],
  versioned: true,
});

/**
 * A set-password link, stored only as the hash of its secret (`SETPW#<hash>`), removed by TTL
 * when it expires.
 */
export const setPasswordTokenEntity = defineEntity<{ endUserId: string; expiresAt: number }>()({
  type: 'set_password_token',
  partition: (t: { accountId: string }) => accountPartition(t.accountId),
  sort: (t: { tokenHash: string }) => entityKey('SETPW', t.tokenHash),
  keyOnly: ['accountId', 'tokenHash'],
});

/** A group of end users (`EUGROUP#<id>`); `byName` lists an account's groups in name order. */
export const endUserGroupEntity = defineEntity<EndUserGroup>()({
  type: 'end_user_group',
  partition: (g: { accountId: string }) => accountPartition(g.accountId),
  sort: (g: { id: string }) => entityKey('EUGROUP', g.id),
  keyOnly: ['accountId'],
  indexes: {
    byName: {
      index: 'gsi1',
      partition: (g: { accountId: string }) => accountCollection(g.accountId, 'EUGROUPS'),
      sort: (g: { name: string; id: string }) => `${g.name.toLowerCase()}#${g.id}`,
    },
  },
});

/**
 * The claim of a group name in an account (`EUGROUPNAME#<lower-cased name>`), written in the
 * transaction that creates or renames the group: names are unique per account, case-insensitively,
 * also when two requests create or rename at once.
 */
export const endUserGroupNameEntity = defineEntity<{ groupId: string }>()({
  type: 'end_user_group_name',
  partition: (c: { accountId: string }) => accountPartition(c.accountId),
  sort: (c: { name: string }) => entityKey('EUGROUPNAME', c.name.toLowerCase()),
  keyOnly: ['accountId', 'name'],
});

/** One item per member in the group's own partition (`A#<acc>#EUGROUP#<id>` / `ENDUSER#<id>`): the group's member list. */
export const groupMemberEntity = defineEntity<{ groupId: string; endUserId: string }>()({
  type: 'group_member',
  partition: (m: { accountId: string; groupId: string }) => accountCollection(m.accountId, 'EUGROUP', m.groupId),
  sort: (m: { endUserId: string }) => entityKey('ENDUSER', m.endUserId),
  keyOnly: ['accountId'],
});
