import {
  addGroupMember,
  createGroup,
  deleteGroup,
  findGroupByName,
  getGroup,
  listAllGroups,
  listGroupMemberIds,
  removeGroupMember,
  renameGroup,
  type EndUserGroup,
} from '../end-users/end-users.js';
import { scimUserEntity } from './entities.js';
import { ScimError, type ScimScope } from './users.js';

/** What a directory says of a Group: its name and its members (SCIM User ids, i.e. end user ids). */
export interface DirectoryGroup {
  displayName: string;
  members: string[];
  /** Member values a PATCH removed: they too must be the directory's Users (else 400). */
  removed?: string[];
}

/** A SCIM Group: the account's end-user group and, unless not asked for, its members of the token's company. */
export interface ScimGroup {
  group: EndUserGroup;
  members: string[] | undefined;
}

export const groupNotFound = () => new ScimError(404, undefined, 'The Group was not found.');
const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
const nameTaken = () => new ScimError(409, 'uniqueness', 'A Group with this displayName already exists.');

/**
 * The group's members that are SCIM Users of the token's company: a directory sees (and replaces)
 * only its own users, never another company's end users in the same account group.
 */
async function companyMembers(scope: ScimScope, groupId: string): Promise<string[]> {
  const ids = await listGroupMemberIds(scope.actor.accountId, groupId);
  const links = await scimUserEntity.getMany(ids.map((endUserId) => ({ accountId: scope.actor.accountId, companyId: scope.companyId, endUserId })));
  const linked = new Set(links.map((l) => l.endUserId));
  return ids.filter((id) => linked.has(id));
}

/** Every member value must be a SCIM User of the token's company (else 400, before anything is written). */
async function requireCompanyUsers(scope: ScimScope, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const links = await scimUserEntity.getMany(unique.map((endUserId) => ({ accountId: scope.actor.accountId, companyId: scope.companyId, endUserId })));
  const linked = new Set(links.map((l) => l.endUserId));
  const unknown = unique.find((id) => !linked.has(id));
  if (unknown !== undefined) throw invalidValue(`Member "${unknown}" is not a User of this directory.`);
}

/** displayName is unique per account, case-insensitively (a `byName` index read). */
async function requireFreeName(scope: ScimScope, displayName: string, except?: string): Promise<void> {
  const holder = await findGroupByName(scope.actor.accountId, displayName);
  if (holder && holder.id !== except) throw nameTaken();
}

const withMembers = async (scope: ScimScope, group: EndUserGroup, members: boolean): Promise<ScimGroup> => ({
  group,
  members: members ? await companyMembers(scope, group.id) : undefined,
});

export async function getScimGroup(scope: ScimScope, groupId: string, members: boolean, consistent = false): Promise<ScimGroup | undefined> {
  const group = await getGroup(scope.actor.accountId, groupId, consistent);
  return group && withMembers(scope, group, members);
}

export async function findScimGroup(scope: ScimScope, displayName: string, members: boolean): Promise<ScimGroup | undefined> {
  const group = await findGroupByName(scope.actor.accountId, displayName);
  return group && withMembers(scope, group, members);
}

/** A page of the account's groups in SCIM's terms (1-based `startIndex`, `count`), in name order. */
export async function listScimGroups(scope: ScimScope, startIndex: number, count: number, members: boolean): Promise<{ total: number; groups: ScimGroup[] }> {
  const all = await listAllGroups(scope.actor.accountId);
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return { total: all.length, groups: await Promise.all(page.map((g) => withMembers(scope, g, members))) };
}

export async function createScimGroup(scope: ScimScope, next: DirectoryGroup): Promise<ScimGroup> {
  await Promise.all([requireFreeName(scope, next.displayName), requireCompanyUsers(scope, next.members)]);
  const group = await createGroup(scope.actor, next.displayName);
  for (const id of new Set(next.members)) await addGroupMember(scope.actor, group.id, id);
  return { group, members: [...new Set(next.members)] };
}

/**
 * Makes the group what the directory says (PUT, and PATCH once applied): its name, and its members
 * among the company's SCIM Users (other companies' members are left alone). Every value is checked
 * before anything is written; each membership change is its own transaction.
 */
export async function replaceScimGroup(scope: ScimScope, current: ScimGroup, next: DirectoryGroup): Promise<ScimGroup> {
  const { actor } = scope;
  const renamed = next.displayName !== current.group.name;
  const before = current.members ?? (await companyMembers(scope, current.group.id));
  const after = [...new Set(next.members)];
  await Promise.all([
    renamed && next.displayName.toLowerCase() !== current.group.name.toLowerCase() ? requireFreeName(scope, next.displayName, current.group.id) : undefined,
    requireCompanyUsers(scope, [...after, ...(next.removed ?? [])]),
  ]);
  const group = renamed ? await renameGroup(actor, current.group, next.displayName) : current.group;
  for (const id of after.filter((m) => !before.includes(m))) await addGroupMember(actor, group.id, id);
  for (const id of before.filter((m) => !after.includes(m))) await removeGroupMember(actor, group.id, id);
  return { group, members: after };
}

export const deleteScimGroup = (scope: ScimScope, current: ScimGroup) => deleteGroup(scope.actor, current.group);

// --- PATCH -----------------------------------------------------------------------------------------

interface Operation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

const memberFilter = /^members\[\s*value\s+eq\s+"?([^"\]]*)"?\s*\]$/i;

/** `[{value}]`, `{value}` or a bare id: the member value shapes Entra sends. */
function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m) => {
    const id = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as { value?: unknown }).value : undefined;
    if (typeof id !== 'string' || !id) throw invalidValue('Each member needs a "value" (a User id).');
    return id;
  });
}

function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value))
    throw invalidValue('displayName must be a one-line text of 1 to 200 characters.');
  return value;
}

/** A Group body (POST, PUT): `displayName` and `members`; other attributes (`externalId`) are not kept. */
export function toDirectoryGroup(body: unknown): DirectoryGroup {
  if (!body || typeof body !== 'object') throw new ScimError(400, 'invalidSyntax', 'The body must be a SCIM Group.');
  const b = body as { displayName?: unknown; members?: unknown };
  return { displayName: displayNameOf(b.displayName), members: memberIds(b.members) };
}

/**
 * Applies a PatchOp to a Group, in both of Entra's dialects: `op` in any case; `add`/`replace`/`remove`
 * on `members` with a value list; `remove` by `members[value eq "…"]`; `displayName` by path or in a
 * path-less value (which may hold several attributes, `members` among them).
 */
export function applyGroupPatch(current: DirectoryGroup, body: unknown): DirectoryGroup {
  const ops = body && typeof body === 'object' ? (body as { Operations?: unknown }).Operations : undefined;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimError(400, 'invalidSyntax', 'A PatchOp needs Operations.');
  let { displayName } = current;
  let members = [...current.members];
  const removed: string[] = [];
  const set = (attribute: string, op: string, value: unknown) => {
    switch (attribute.toLowerCase()) {
      case 'displayname':
        if (op === 'remove') throw new ScimError(400, 'mutability', 'displayName is required.');
        displayName = displayNameOf(value);
        return;
      case 'members': {
        const ids = op === 'remove' && (value === undefined || value === null) ? members : memberIds(value);
        if (op === 'add') members = [...new Set([...members, ...ids])];
        else if (op === 'replace') members = [...new Set(ids)];
        else {
          removed.push(...ids);
          members = members.filter((m) => !ids.includes(m));
        }
        return;
      }
      case 'externalid':
      case 'id':
      case 'schemas':
      case 'meta':
        // Not kept (externalId) or not the directory's to change: ignored, as Entra sends them along.
        return;
      default:
        throw new ScimError(400, 'invalidPath', `Unknown Group attribute "${attribute}".`);
    }
  };
  for (const o of ops as Operation[]) {
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new ScimError(400, 'invalidSyntax', 'op must be add, replace or remove.');
    if (typeof o.path === 'string' && o.path) {
      const byValue = memberFilter.exec(o.path.trim());
      if (byValue) {
        if (op !== 'remove') throw new ScimError(400, 'invalidPath', 'A members filter path is only for remove.');
        removed.push(byValue[1]!);
        members = members.filter((m) => m !== byValue[1]);
      } else set(o.path.trim(), op, o.value);
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'remove needs a path.');
    if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value))
      throw new ScimError(400, 'invalidValue', 'A path-less operation needs an object value.');
    for (const [attribute, value] of Object.entries(o.value)) set(attribute, op, value);
  }
  return { displayName, members, removed };
}
