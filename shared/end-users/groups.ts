import { maxTransactionItems, transact, type WriteAction } from '../db/transaction.js';
import { Conflict, NotFound, ValidationFailed, type AppError } from '../errors.js';
import { newId } from '../ids.js';
import { logger } from '../logger.js';
import { auditItem, type Actor, type Change, type FieldChange } from '../audit/audit.js';
import { auditEntity } from '../audit/entity.js';
import { endUserEntity, endUserGroupEntity, endUserGroupNameEntity, groupMemberEntity } from './entities.js';

export interface EndUserGroup {
  id: string;
  name: string;
  createdAt: string;
}

/** Group names are unique per account, case-insensitively (a claim item; see `endUserGroupNameEntity`). */
export class GroupNameTaken extends Conflict {
  constructor() {
    super('A group of this name already exists in the account.', 'conflict', [{ path: 'name', message: 'Already in use' }]);
  }
}

export const groupMustExist = (accountId: string, groupId: string): WriteAction =>
  endUserGroupEntity.checkAction({ accountId, id: groupId }, { itemExists: true }, () => new NotFound('The group'));

const claimGroupName = (accountId: string, name: string, groupId: string): WriteAction =>
  endUserGroupNameEntity.putAction({ accountId, name, groupId }, { ifNew: true, onFail: () => new GroupNameTaken() });

/** Only the group's own claim goes (a group older than name claims has none). */
const releaseGroupName = (accountId: string, name: string, groupId: string): WriteAction =>
  endUserGroupNameEntity.deleteAction({ accountId, name }, { condition: { or: [{ itemExists: false }, { path: 'groupId', eq: groupId }] } });

/**
 * An end user joining or leaving a group: the membership item and the end user's `groupIds`. The end
 * user must still exist (`onFail` says what its absence means to the caller).
 */
export function membershipWrites(
  accountId: string,
  groupId: string,
  endUserId: string,
  joining: boolean,
  options: { now: string; onFail: () => AppError },
): WriteAction[] {
  const endUser = { accountId, id: endUserId };
  const groupIds = new Set([groupId]);
  const condition = { condition: { itemExists: true }, onFail: options.onFail };
  return joining
    ? [
        groupMemberEntity.putAction({ accountId, groupId, endUserId }),
        endUserEntity.updateAction(endUser, { add: { groupIds }, set: { updatedAt: options.now } }, condition),
      ]
    : [
        groupMemberEntity.deleteAction({ accountId, groupId, endUserId }),
        endUserEntity.updateAction(endUser, { delete: { groupIds }, set: { updatedAt: options.now } }, condition),
      ];
}

// --- Reads -----------------------------------------------------------------------------------------

export function getGroup(accountId: string, groupId: string, consistent = false): Promise<EndUserGroup | undefined> {
  return endUserGroupEntity.get({ accountId, id: groupId }, { consistent });
}

/** The account's group of this name (case-insensitively): one read of the `byName` index. */
export async function findGroupByName(accountId: string, name: string): Promise<EndUserGroup | undefined> {
  const range = { beginsWith: endUserGroupEntity.indexSort('byName', { name, id: '' }) };
  const page = await endUserGroupEntity.queryIndexPage('byName', { accountId }, { limit: 1 }, { range });
  return page.items[0];
}

/** Every group of the account in name order (groups are few and small). */
export function listAllGroups(accountId: string): Promise<EndUserGroup[]> {
  return endUserGroupEntity.queryIndexAll('byName', { accountId });
}

export async function listGroupMemberIds(accountId: string, groupId: string): Promise<string[]> {
  return (await groupMemberEntity.queryAll({ accountId, groupId })).map((m) => m.endUserId);
}

/** Which of these end users are members of the group: one batch read of their membership items. */
export async function groupMembersAmong(accountId: string, groupId: string, endUserIds: string[]): Promise<Set<string>> {
  const found = await groupMemberEntity.getMany(
    [...new Set(endUserIds)].map((endUserId) => ({ accountId, groupId, endUserId })),
    { consistent: true },
  );
  return new Set(found.map((m) => m.endUserId));
}

// --- Changes, all or nothing -------------------------------------------------------------------------

/** Who joins and who leaves a group (end user ids; each at most once, none in both). */
export interface MembershipChange {
  add: string[];
  remove: string[];
}

/**
 * What a change writes besides the memberships: exactly one item on the group's own key (its put,
 * update, delete or existence check), its name claims, the caller's own records, and its audit record.
 */
interface GroupHead {
  writes: WriteAction[];
  change: Change;
}

interface MembershipStep {
  endUserId: string;
  joining: boolean;
}

/** A membership transaction already written, kept to undo it should a later one fail. */
interface WrittenMemberships {
  steps: MembershipStep[];
  audit: WriteAction;
}

const membershipItems = 2;
/** The memberships one transaction of memberships only holds: beside them, the group check and the audit record. */
const membershipsPerTransaction = Math.floor((maxTransactionItems - 2) / membershipItems);

const notAnEndUser = (endUserId: string) => () =>
  new ValidationFailed('A member is not an end user of the account.', [{ path: 'members', message: endUserId }]);

function membershipFields(steps: MembershipStep[]): Record<string, FieldChange> {
  const added = steps.filter((s) => s.joining).map((s) => s.endUserId);
  const removed = steps.filter((s) => !s.joining).map((s) => s.endUserId);
  return {
    ...(added.length > 0 && { membersAdded: { from: null, to: added } }),
    ...(removed.length > 0 && { membersRemoved: { from: removed, to: null } }),
  };
}

/**
 * Writes a group change all or nothing: the head (create, rename, delete…) with a membership change.
 * Most fit in one transaction (DynamoDB's limit is 100 items; a membership takes 2, so with a rename
 * and the caller's records some 46 members). A larger change writes its memberships first, in
 * transactions of 49 that each check the group (a group being created is not there yet, and nobody
 * else knows its id), and the head last with the remaining memberships. Should any transaction fail
 * (a name taken meanwhile, a member deleted meanwhile), the ones before it are undone, audit records
 * included, so a failed request leaves nothing behind.
 */
async function commitGroupChange(actor: Actor, groupId: string, head: GroupHead, members: MembershipChange, groupExists: boolean): Promise<void> {
  const { accountId } = actor;
  const now = new Date().toISOString();
  const steps: MembershipStep[] = [
    ...members.add.map((endUserId) => ({ endUserId, joining: true })),
    ...members.remove.map((endUserId) => ({ endUserId, joining: false })),
  ];
  const writesOf = (batch: MembershipStep[]) =>
    batch.flatMap((s) => membershipWrites(accountId, groupId, s.endUserId, s.joining, { now, onFail: notAnEndUser(s.endUserId) }));
  const withHead = Math.floor((maxTransactionItems - head.writes.length - 1) / membershipItems);
  const before = steps.slice(0, Math.max(0, steps.length - withHead));
  const last = steps.slice(before.length);
  const written: WrittenMemberships[] = [];
  try {
    for (let i = 0; i < before.length; i += membershipsPerTransaction) {
      const batch = before.slice(i, i + membershipsPerTransaction);
      const audit = auditItem(actor, { resourceType: 'end_user_group', resourceId: groupId, action: 'update', fields: membershipFields(batch) });
      await transact([...(groupExists ? [groupMustExist(accountId, groupId)] : []), ...writesOf(batch), audit]);
      written.push({ steps: batch, audit });
    }
    const change = { ...head.change, fields: { ...head.change.fields, ...membershipFields(last) } };
    await transact([...head.writes, ...writesOf(last), auditItem(actor, change)]);
  } catch (err) {
    await undoMemberships(accountId, groupId, written);
    throw err;
  }
}

/** Reverses written membership transactions (and removes their audit records); a reversal that fails is logged. */
async function undoMemberships(accountId: string, groupId: string, written: WrittenMemberships[]): Promise<void> {
  const now = new Date().toISOString();
  const results = await Promise.allSettled(
    written.map(({ steps, audit }) =>
      transact([
        ...steps.flatMap((s) => membershipWrites(accountId, groupId, s.endUserId, !s.joining, { now, onFail: notAnEndUser(s.endUserId) })),
        // The audit record's id and time are those of the put that wrote it.
        auditEntity.deleteAction({ accountId, ...auditEntity.parse(audit.item.Put?.Item ?? {}) }),
      ]),
    ),
  );
  results.forEach((r) => {
    if (r.status === 'rejected') logger.error('group membership undo failed', { groupId, error: (r.reason as Error).message });
  });
}

/** What a caller writes along with a group change (directory sync's own records), and the fields it records. */
export interface GroupChangeExtra {
  writes: WriteAction[];
  fields?: Record<string, FieldChange>;
}

/** A new group (its name claimed) with its first members, all or nothing; `extraFor` adds the caller's records of the new group. */
export async function createGroup(
  actor: Actor,
  name: string,
  options: { members?: string[]; extraFor?: (groupId: string) => GroupChangeExtra } = {},
): Promise<EndUserGroup> {
  const { accountId } = actor;
  const group: EndUserGroup = { id: newId('grp'), name, createdAt: new Date().toISOString() };
  const extra = options.extraFor?.(group.id);
  await commitGroupChange(
    actor,
    group.id,
    {
      writes: [endUserGroupEntity.putAction({ accountId, ...group }), claimGroupName(accountId, name, group.id), ...(extra?.writes ?? [])],
      change: { resourceType: 'end_user_group', resourceId: group.id, action: 'create', fields: { name: { from: null, to: name }, ...extra?.fields } },
    },
    { add: [...new Set(options.members ?? [])], remove: [] },
    false,
  );
  return group;
}

/** Renames a group and changes its members, all or nothing (directory sync's PUT and PATCH). */
export async function changeGroup(
  actor: Actor,
  group: EndUserGroup,
  change: { name?: string | undefined; members?: MembershipChange; extra?: GroupChangeExtra },
): Promise<EndUserGroup> {
  const { accountId } = actor;
  const name = change.name ?? group.name;
  const renamed = name !== group.name;
  const members = change.members ?? { add: [], remove: [] };
  const extra = change.extra ?? { writes: [] };
  if (!renamed && members.add.length + members.remove.length + extra.writes.length === 0) return group;
  const nameMoves = renamed && name.toLowerCase() !== group.name.toLowerCase();
  const groupWrite = renamed
    ? endUserGroupEntity.updateAction(
        { accountId, id: group.id },
        { set: { name } },
        { indexes: { byName: { accountId, name, id: group.id } }, condition: { itemExists: true }, onFail: () => new NotFound('The group') },
      )
    : groupMustExist(accountId, group.id);
  await commitGroupChange(
    actor,
    group.id,
    {
      writes: [
        groupWrite,
        ...(nameMoves ? [releaseGroupName(accountId, group.name, group.id), claimGroupName(accountId, name, group.id)] : []),
        ...extra.writes,
      ],
      change: {
        resourceType: 'end_user_group',
        resourceId: group.id,
        action: 'update',
        fields: { ...(renamed && { name: { from: group.name, to: name } }), ...extra.fields },
      },
    },
    members,
    true,
  );
  return { ...group, name };
}

/** Removes a group: its members leave it and the group and its name claim go, all or nothing. */
export async function deleteGroup(actor: Actor, group: EndUserGroup, extra: WriteAction[] = []): Promise<void> {
  const { accountId } = actor;
  await commitGroupChange(
    actor,
    group.id,
    {
      writes: [
        endUserGroupEntity.deleteAction({ accountId, id: group.id }, { condition: { itemExists: true }, onFail: () => new NotFound('The group') }),
        releaseGroupName(accountId, group.name, group.id),
        ...extra,
      ],
      change: { resourceType: 'end_user_group', resourceId: group.id, action: 'delete', fields: { name: { from: group.name, to: null } } },
    },
    { add: [], remove: await listGroupMemberIds(accountId, group.id) },
    true,
  );
}
