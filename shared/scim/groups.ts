import type { WriteAction } from '../db/transaction.js';
import type { FieldChange } from '../audit/audit.js';
import {
  changeGroup,
  createGroup,
  deleteGroup,
  findGroupByName,
  getGroup,
  groupMembersAmong,
  listAllGroups,
  listGroupMemberIds,
  type EndUserGroup,
} from '../end-users/groups.js';
import { scimGroupEntity, scimGroupExternalIdEntity, scimUserEntity } from './entities.js';
import { invalidValue, resourceNotFound, uniqueness } from './errors.js';
import type { ScimScope } from './users.js';

/** What a directory says of a Group (POST, PUT): its name, its `externalId` and its members (SCIM User ids, i.e. end user ids). */
export interface DirectoryGroup {
  displayName: string;
  externalId?: string | undefined;
  members: string[];
}

/**
 * A change of a Group (PATCH, and PUT as a replacement of everything): what it sets, and its members
 * either replaced (`replaceWith`, later operations applied to it) or joined and left by value.
 */
export interface GroupChange {
  displayName?: string | undefined;
  /** A new `externalId`; null takes it away. */
  externalId?: string | null | undefined;
  replaceWith?: Set<string> | undefined;
  add: Set<string>;
  remove: Set<string>;
  /** Every member value the change names: each must be a User of the directory (else 400, before anything is written). */
  named: Set<string>;
}

/** A SCIM Group: the account's end-user group, its `externalId` for this directory and, when asked for, its members of the token's company. */
export interface ScimGroup {
  group: EndUserGroup;
  externalId?: string | undefined;
  members: string[] | undefined;
}

export const groupNotFound = () => resourceNotFound('The Group');
const externalIdTaken = () => uniqueness('A Group with this externalId already exists.');

const keyOf = (scope: ScimScope) => ({ accountId: scope.actor.accountId, companyId: scope.companyId });

/** The company's SCIM Users among these end users: one batch read of their links. */
async function companyUsersAmong(scope: ScimScope, endUserIds: Iterable<string>): Promise<Set<string>> {
  const links = await scimUserEntity.getMany([...new Set(endUserIds)].map((endUserId) => ({ ...keyOf(scope), endUserId })));
  return new Set(links.map((l) => l.endUserId));
}

/**
 * The group's members that are SCIM Users of the token's company: a directory sees (and replaces)
 * only its own users, never another company's end users in the same account group.
 */
async function companyMembers(scope: ScimScope, groupId: string): Promise<string[]> {
  const ids = await listGroupMemberIds(scope.actor.accountId, groupId);
  const linked = await companyUsersAmong(scope, ids);
  return ids.filter((id) => linked.has(id));
}

/** Every member value must be a SCIM User of the token's company (else 400, before anything is written). */
async function requireCompanyUsers(scope: ScimScope, ids: Iterable<string>): Promise<void> {
  const named = [...new Set(ids)];
  const linked = await companyUsersAmong(scope, named);
  const unknown = named.find((id) => !linked.has(id));
  if (unknown !== undefined) throw invalidValue(`Member "${unknown}" is not a User of this directory.`);
}

/** The directory's records of a Group's `externalId` (its link and its claim), moved from `before` to `after`. */
function externalIdWrites(scope: ScimScope, groupId: string, before: string | undefined, after: string | undefined): WriteAction[] {
  if (before === after) return [];
  const key = keyOf(scope);
  return [
    ...(before ? [scimGroupExternalIdEntity.deleteAction({ ...key, externalId: before })] : []),
    ...(after
      ? [
          scimGroupExternalIdEntity.putAction({ ...key, externalId: after, groupId }, { ifNew: true, onFail: externalIdTaken }),
          scimGroupEntity.putAction({ ...key, groupId, externalId: after }),
        ]
      : [scimGroupEntity.deleteAction({ ...key, groupId })]),
  ];
}

const externalIdFields = (before: string | undefined, after: string | undefined): Record<string, FieldChange> =>
  before === after ? {} : { externalId: { from: before ?? null, to: after ?? null } };

async function withDetails(scope: ScimScope, group: EndUserGroup, members: boolean): Promise<ScimGroup> {
  const [link, ids] = await Promise.all([scimGroupEntity.get({ ...keyOf(scope), groupId: group.id }), members ? companyMembers(scope, group.id) : undefined]);
  return { group, externalId: link?.externalId, members: ids };
}

export async function getScimGroup(scope: ScimScope, groupId: string, members: boolean, consistent = false): Promise<ScimGroup | undefined> {
  const group = await getGroup(scope.actor.accountId, groupId, consistent);
  return group && withDetails(scope, group, members);
}

/** What a Group is found by: its id, its displayName (case-insensitively, an index read) or its externalId (a claim). */
export type GroupLookup = { id: string } | { displayName: string } | { externalId: string };

export async function findScimGroup(scope: ScimScope, by: GroupLookup, members: boolean): Promise<ScimGroup | undefined> {
  if ('id' in by) return getScimGroup(scope, by.id, members);
  if ('displayName' in by) {
    const group = await findGroupByName(scope.actor.accountId, by.displayName);
    return group && withDetails(scope, group, members);
  }
  const claim = await scimGroupExternalIdEntity.get({ ...keyOf(scope), externalId: by.externalId });
  return claim && getScimGroup(scope, claim.groupId, members);
}

/** Whether these end users are all members of the group and SCIM Users of the company (key reads). */
export async function hasMembers(scope: ScimScope, groupId: string, endUserIds: string[]): Promise<boolean> {
  const [members, users] = await Promise.all([groupMembersAmong(scope.actor.accountId, groupId, endUserIds), companyUsersAmong(scope, endUserIds)]);
  return endUserIds.every((id) => members.has(id) && users.has(id));
}

/** A page of the account's groups in SCIM's terms (1-based `startIndex`, `count`), in name order. */
export async function listScimGroups(scope: ScimScope, startIndex: number, count: number, members: boolean): Promise<{ total: number; groups: ScimGroup[] }> {
  const all = await listAllGroups(scope.actor.accountId);
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  const links = await scimGroupEntity.getMany(page.map((g) => ({ ...keyOf(scope), groupId: g.id })));
  const externalIds = new Map(links.map((l) => [l.groupId, l.externalId]));
  const groups = await Promise.all(
    page.map(async (group) => ({ group, externalId: externalIds.get(group.id), members: members ? await companyMembers(scope, group.id) : undefined })),
  );
  return { total: all.length, groups };
}

/** A new group with its members and `externalId`, all in one transaction when it fits (see `createGroup`). */
export async function createScimGroup(scope: ScimScope, next: DirectoryGroup): Promise<ScimGroup> {
  const members = [...new Set(next.members)];
  await requireCompanyUsers(scope, members);
  const group = await createGroup(scope.actor, next.displayName, {
    members,
    extraFor: (groupId) => ({ writes: externalIdWrites(scope, groupId, undefined, next.externalId), fields: externalIdFields(undefined, next.externalId) }),
  });
  return { group, externalId: next.externalId, members };
}

/**
 * Applies a change to a Group: its name, its `externalId` and its members among the company's SCIM
 * Users (other companies' members are left alone), all or nothing. Members joined or left by value
 * are checked by key reads of those members alone; a replacement reads the group's members.
 * Answers the members when it knows them (after a replacement).
 */
export async function changeScimGroup(scope: ScimScope, current: ScimGroup, change: GroupChange): Promise<ScimGroup> {
  const { accountId } = scope.actor;
  const groupId = current.group.id;
  let add: string[];
  let remove: string[];
  let members: string[] | undefined;
  if (change.replaceWith) {
    const before = await companyMembers(scope, groupId);
    const was = new Set(before);
    await requireCompanyUsers(
      scope,
      [...change.named].filter((id) => !was.has(id)),
    );
    members = [...change.replaceWith];
    add = members.filter((id) => !was.has(id));
    remove = before.filter((id) => !change.replaceWith!.has(id));
  } else {
    const named = [...change.add, ...change.remove];
    const [, present] = await Promise.all([requireCompanyUsers(scope, change.named), groupMembersAmong(accountId, groupId, named)]);
    add = [...change.add].filter((id) => !present.has(id));
    remove = [...change.remove].filter((id) => present.has(id));
  }
  const externalId = change.externalId === undefined ? current.externalId : (change.externalId ?? undefined);
  const group = await changeGroup(scope.actor, current.group, {
    name: change.displayName,
    members: { add, remove },
    extra: { writes: externalIdWrites(scope, groupId, current.externalId, externalId), fields: externalIdFields(current.externalId, externalId) },
  });
  return { group, externalId, members };
}

export const deleteScimGroup = (scope: ScimScope, current: ScimGroup) =>
  deleteGroup(scope.actor, current.group, externalIdWrites(scope, current.group.id, current.externalId, undefined));
