import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection, accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { batchGet } from '../db/batch.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { Conflict, NotFound, ValidationFailed } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { auditItem, changedFields, commitChanges, guard, writeGuarded, type Actor, type Change, type GuardedWrite } from '../audit/audit.js';
import { hashPassword, type PasswordHash } from '../auth/passwords.js';
import type { Principal } from '../auth/principal.js';
import { companyKeys, visibleCompanyFilter, visibleCompanyIds } from '../companies/companies.js';
import { claimEmail, EmailTaken, getEmailClaim, releaseEmail } from '../users/emails.js';
import { sendEmail } from '../clients/ses.js';
import { escapeHtml } from '../email/html.js';
import { deriveDisplayName } from './display-name.js';
import type { BulkEndUsersInput, CreateEndUserInput, UpdateEndUserInput } from './schema.js';

export interface EndUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  association: 'weak' | 'strong';
  companyId: string;
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface EndUserRecord extends EndUser {
  passwordHash?: PasswordHash;
  /** Bumped whenever the password is set, which ends every token issued before. */
  credentialsVersion?: number;
}

/**
 * End users live in the account partition beside staff, and share the account's email claims
 * (one address, one person). A set-password token is stored only as its hash, with a TTL.
 */
export const endUserKeys = {
  item: (accountId: string, endUserId: string) => ({ pk: accountPartition(accountId), sk: entityKey('ENDUSER', endUserId) }),
  prefix: () => entityPrefix('ENDUSER'),
  setPasswordToken: (accountId: string, tokenHash: string) => ({ pk: accountPartition(accountId), sk: entityKey('SETPW', tokenHash) }),
  group: (accountId: string, groupId: string) => ({ pk: accountPartition(accountId), sk: entityKey('EUGROUP', groupId) }),
  groupsByName: (accountId: string) => accountCollection(accountId, 'EUGROUPS'),
  groupMember: (accountId: string, groupId: string, endUserId: string) => ({
    pk: accountCollection(accountId, 'EUGROUP', groupId),
    sk: entityKey('ENDUSER', endUserId),
  }),
};

const setPasswordValidity = 72 * 3600;

function fromItem(item: Record<string, unknown>): EndUserRecord {
  const record = stripKeys<EndUserRecord & { groupIds?: Set<string> }>(item);
  return { ...record, groupIds: [...(record.groupIds ?? [])].sort() };
}

export function toEndUser(record: EndUserRecord): EndUser {
  const { passwordHash: _secret, credentialsVersion: _version, ...endUser } = record;
  return endUser;
}

export async function getEndUserRecord(accountId: string, endUserId: string, consistent = false): Promise<EndUserRecord | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: endUserKeys.item(accountId, endUserId), ConsistentRead: consistent }));
  return out.Item ? fromItem(out.Item) : undefined;
}

function canSee(principal: Principal, endUser: EndUser): boolean {
  const visible = visibleCompanyIds(principal);
  return visible === 'all' || visible.includes(endUser.companyId);
}

export async function getEndUser(principal: Principal, endUserId: string): Promise<EndUser> {
  const record = await getEndUserRecord(principal.accountId, endUserId);
  if (!record || !canSee(principal, record)) throw new NotFound('The end user');
  return toEndUser(record);
}

/** By address (the email claim, case-insensitive) or the account's list, narrowed for technicians. */
export async function listEndUsers(principal: Principal, page: PageRequest & { email?: string | undefined }): Promise<Page<EndUser>> {
  if (page.email) {
    const claim = await getEmailClaim(principal.accountId, page.email);
    const record = claim?.ownerType === 'end_user' ? await getEndUserRecord(principal.accountId, claim.ownerId) : undefined;
    return { items: record && canSee(principal, record) ? [toEndUser(record)] : [], nextCursor: null };
  }
  return queryPage(
    {
      partition: { name: 'pk', value: accountPartition(principal.accountId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': endUserKeys.prefix() } },
      filter: visibleCompanyFilter(principal, 'companyId'),
    },
    page,
    (item) => toEndUser(fromItem(item)),
  );
}

const companyMustExist = (accountId: string, companyId: string): GuardedWrite =>
  guard(
    { ConditionCheck: { TableName: tableName, Key: companyKeys.item(accountId, companyId), ConditionExpression: 'attribute_exists(pk)' } },
    () => new ValidationFailed('The company does not exist.', [{ path: 'companyId', message: 'Unknown company' }]),
  );

/** The writes that create an end user with their email claim; the claim's condition makes the email unique. */
function endUserCreation(actor: Actor, endUser: EndUser, extra: GuardedWrite[] = []): { writes: GuardedWrite[]; changes: Change[] } {
  return {
    writes: [
      guard(
        {
          Put: {
            TableName: tableName,
            Item: {
              ...endUserKeys.item(actor.accountId, endUser.id),
              type: 'end_user',
              ...endUser,
              groupIds: endUser.groupIds.length ? new Set(endUser.groupIds) : undefined,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        () => new Conflict('The end user already exists.'),
      ),
      claimEmail(actor.accountId, endUser.email, { ownerType: 'end_user', ownerId: endUser.id }),
      companyMustExist(actor.accountId, endUser.companyId),
      ...endUser.groupIds.flatMap((gid) => joinGroup(actor.accountId, gid, endUser.id)),
      ...extra,
    ],
    changes: [
      {
        resourceType: 'end_user',
        resourceId: endUser.id,
        action: 'create',
        fields: changedFields({} as EndUser, endUser, ['email', 'firstName', 'lastName', 'association', 'companyId', 'groupIds']),
      },
    ],
  };
}

async function insertEndUser(actor: Actor, endUser: EndUser, extra: GuardedWrite[] = []): Promise<void> {
  const { writes, changes } = endUserCreation(actor, endUser, extra);
  await commitChanges(actor, writes, changes);
}

function newEndUser(input: { email: string; firstName?: string | undefined; lastName?: string | undefined; association: EndUser['association']; companyId: string; groupIds?: string[] }): EndUser {
  const derived = deriveDisplayName(input.email);
  const now = new Date().toISOString();
  return {
    id: newId('eu'),
    email: input.email,
    firstName: input.firstName ?? derived.firstName,
    lastName: input.lastName ?? derived.lastName,
    association: input.association,
    companyId: input.companyId,
    groupIds: [...new Set(input.groupIds ?? [])].sort(),
    createdAt: now,
    updatedAt: now,
  };
}

/** Staff-created end user; a strong one gets an email to set their password. */
export async function createEndUser(actor: Actor, input: CreateEndUserInput): Promise<EndUser> {
  const endUser = newEndUser(input);
  const token = input.association === 'strong' ? setPasswordToken(actor.accountId, endUser.id) : undefined;
  await insertEndUser(actor, endUser, token ? [token.write] : []);
  if (token) await sendSetPasswordEmail(endUser, token.value);
  return endUser;
}

/** An end user found by address, or a new weak one with the writes (audit records included) that create it. */
export interface EndUserResolution {
  endUser: EndUser;
  created: boolean;
  /** Empty for an existing end user; for a new one, to land in the caller's own transaction. */
  writes: (TransactItem | GuardedWrite)[];
}

export interface EndUserLookup {
  email: string;
  companyId: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

/**
 * The end user with this address, or what creating a new weak one writes (name derived from the
 * address unless given). Nothing is written here: the caller puts the writes in the transaction of
 * what the end user is for (a ticket, a message), so a failure leaves no end user behind.
 * An address that belongs to a staff user of the account is not a customer (409).
 */
export async function resolveEndUser(actor: Actor, input: EndUserLookup): Promise<EndUserResolution> {
  const claim = await getEmailClaim(actor.accountId, input.email);
  if (claim?.ownerType === 'user') throw new StaffAddress();
  if (claim) {
    const existing = await getEndUserRecord(actor.accountId, claim.ownerId, true);
    if (existing) return { endUser: toEndUser(existing), created: false, writes: [] };
  }
  const endUser = newEndUser({ ...input, association: 'weak' });
  const { writes, changes } = endUserCreation(actor, endUser);
  return { endUser, created: true, writes: [...writes, ...changes.map((c) => auditItem(actor, c))] };
}

export class StaffAddress extends Conflict {
  constructor() {
    super('This address belongs to a staff user of the account.', 'conflict', [{ path: 'email', message: 'Staff address' }]);
  }
}

/**
 * Runs `work` with the end user for an address, the new end user's writes to be landed in work's own
 * transaction. Concurrent first contacts from one address race on the email claim: the loser
 * looks again and finds the winner's end user.
 */
export async function withEndUser<T>(actor: Actor, input: EndUserLookup, work: (found: EndUserResolution) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await resolveEndUser(actor, input);
    try {
      return await work(found);
    } catch (err) {
      if (!(found.created && err instanceof EmailTaken)) throw err;
    }
  }
  throw new Conflict('The end user changed meanwhile; try again.');
}

/** The end user with this address, or a new weak one, written on its own. */
export function findOrCreateEndUser(actor: Actor, input: EndUserLookup): Promise<{ endUser: EndUser; created: boolean }> {
  return withEndUser(actor, input, async (found) => {
    if (found.writes.length) await writeGuarded(found.writes);
    return { endUser: found.endUser, created: found.created };
  });
}

export async function bulkCreateEndUsers(actor: Actor, input: BulkEndUsersInput): Promise<{ created: EndUser[]; existing: EndUser[] }> {
  const created: EndUser[] = [];
  const existing: EndUser[] = [];
  const seen = new Set<string>();
  for (const item of input.items) {
    if (seen.has(item.email.toLowerCase())) continue;
    seen.add(item.email.toLowerCase());
    const result = await findOrCreateEndUser(actor, { ...item, companyId: input.companyId });
    (result.created ? created : existing).push(result.endUser);
  }
  return { created, existing };
}

export async function updateEndUser(actor: Actor, endUserId: string, input: UpdateEndUserInput): Promise<EndUser> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  const before = toEndUser(current);
  const after: EndUser = { ...before, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(before, after, ['email', 'firstName', 'lastName', 'companyId', 'association']);
  if (Object.keys(fields).length === 0) return before;
  const emailChanged = after.email.toLowerCase() !== before.email.toLowerCase();
  const token = before.association === 'weak' && after.association === 'strong' ? setPasswordToken(actor.accountId, endUserId) : undefined;
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: endUserKeys.item(actor.accountId, endUserId),
            UpdateExpression: 'SET email = :e, firstName = :f, lastName = :l, companyId = :c, association = :a, updatedAt = :u',
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: {
              ':e': after.email,
              ':f': after.firstName,
              ':l': after.lastName,
              ':c': after.companyId,
              ':a': after.association,
              ':u': after.updatedAt,
              ':seen': before.updatedAt,
            },
          },
        },
        () => new Conflict('The end user changed meanwhile; try again.'),
      ),
      ...(input.companyId ? [companyMustExist(actor.accountId, input.companyId)] : []),
      ...(emailChanged ? [releaseEmail(actor.accountId, before.email), claimEmail(actor.accountId, after.email, { ownerType: 'end_user', ownerId: endUserId })] : []),
      ...(token ? [token.write] : []),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields }],
  );
  if (token) await sendSetPasswordEmail(after, token.value);
  return after;
}

export async function deleteEndUser(actor: Actor, endUserId: string): Promise<void> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  await commitChanges(
    actor,
    [
      guard(
        {
          Delete: {
            TableName: tableName,
            Key: endUserKeys.item(actor.accountId, endUserId),
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: { ':seen': current.updatedAt },
          },
        },
        () => new Conflict('The end user changed meanwhile; try again.'),
      ),
      releaseEmail(actor.accountId, current.email),
      ...current.groupIds.map((gid) => ({ Delete: { TableName: tableName, Key: endUserKeys.groupMember(actor.accountId, gid, endUserId) } })),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'delete', fields: { email: { from: current.email, to: null } } }],
  );
}

// --- Set-password links -------------------------------------------------------------------------

const hashToken = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** A single-use token (`<accountId>.<secret>`); only its hash is stored, for 72 hours. */
function setPasswordToken(accountId: string, endUserId: string): { value: string; write: GuardedWrite } {
  const secret = newSecret();
  const expiresAt = Math.floor(Date.now() / 1000) + setPasswordValidity;
  return {
    value: `${accountId}.${secret}`,
    write: guard(
      {
        Put: {
          TableName: tableName,
          Item: { ...endUserKeys.setPasswordToken(accountId, hashToken(secret)), type: 'set_password_token', endUserId, expiresAt, ttl: expiresAt },
        },
      },
      () => new Conflict('The link could not be created.'),
    ),
  };
}

async function sendSetPasswordEmail(endUser: EndUser, token: string): Promise<void> {
  const link = `${config.PUBLIC_URL}/set-password?token=${encodeURIComponent(token)}`;
  try {
    await sendEmail({
      from: config.MAIL_FROM,
      to: [endUser.email],
      subject: 'Set your password for the support portal',
      text: `Hello ${endUser.firstName},\n\nan account was created for you on our support portal. Set your password here (the link works once, for 72 hours):\n\n${link}\n`,
      html: `<p>Hello ${escapeHtml(endUser.firstName)},</p><p>an account was created for you on our support portal. <a href="${escapeHtml(link)}">Set your password</a> (the link works once, for 72 hours).</p>`,
      autoSubmitted: 'auto-generated',
    });
  } catch (err) {
    // The end user exists either way; the failure is logged for an administrator to resend.
    logger.error('set-password email failed', { endUserId: endUser.id, error: (err as Error).message });
  }
}

const invalidLink = () => new ValidationFailed('The link is not valid or has expired.', [{ path: 'token', message: 'Invalid or expired' }]);

/** Uses a set-password link: the token is consumed in the same transaction that sets the password. */
export async function setPassword(token: string, password: string, request: { requestId: string; sourceIp: string }): Promise<void> {
  const [accountId, secret] = token.split('.');
  if (!accountId || !secret) throw invalidLink();
  const key = endUserKeys.setPasswordToken(accountId, hashToken(secret));
  const stored = (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const now = Math.floor(Date.now() / 1000);
  if (!stored || (stored.expiresAt as number) <= now) throw invalidLink();
  const endUserId = stored.endUserId as string;
  await commitChanges(
    { accountId, actorId: endUserId, ...request },
    [
      guard(
        { Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now', ExpressionAttributeValues: { ':now': now } } },
        invalidLink,
      ),
      guard(
        {
          Update: {
            TableName: tableName,
            Key: endUserKeys.item(accountId, endUserId),
            UpdateExpression: 'SET passwordHash = :hash, association = :strong, updatedAt = :now ADD credentialsVersion :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':hash': await hashPassword(password), ':strong': 'strong', ':now': new Date().toISOString(), ':one': 1 },
          },
        },
        invalidLink,
      ),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields: { password: { from: null, to: null } } }],
  );
}

// --- Groups ---------------------------------------------------------------------------------------

export interface EndUserGroup {
  id: string;
  name: string;
  createdAt: string;
}

function joinGroup(accountId: string, groupId: string, endUserId: string): GuardedWrite[] {
  return [
    guard(
      { ConditionCheck: { TableName: tableName, Key: endUserKeys.group(accountId, groupId), ConditionExpression: 'attribute_exists(pk)' } },
      () => new ValidationFailed('The group does not exist.', [{ path: 'groupIds', message: `Unknown group ${groupId}` }]),
    ),
    guard(
      { Put: { TableName: tableName, Item: { ...endUserKeys.groupMember(accountId, groupId, endUserId), type: 'group_member', groupId, endUserId } } },
      () => new Conflict('The group changed meanwhile.'),
    ),
  ];
}

export async function createGroup(actor: Actor, name: string): Promise<EndUserGroup> {
  const group: EndUserGroup = { id: newId('grp'), name, createdAt: new Date().toISOString() };
  await commitChanges(
    actor,
    [{ Put: { TableName: tableName, Item: { ...endUserKeys.group(actor.accountId, group.id), gsi1pk: endUserKeys.groupsByName(actor.accountId), gsi1sk: `${name.toLowerCase()}#${group.id}`, type: 'end_user_group', ...group } } }],
    [{ resourceType: 'end_user_group', resourceId: group.id, action: 'create', fields: { name: { from: null, to: name } } }],
  );
  return group;
}

export function listGroups(accountId: string, page: PageRequest): Promise<Page<EndUserGroup>> {
  return queryPage({ index: 'gsi1', partition: { name: 'gsi1pk', value: endUserKeys.groupsByName(accountId) } }, page, (item) => {
    const { id, name, createdAt } = item as unknown as EndUserGroup;
    return { id, name, createdAt };
  });
}

export async function listGroupMembers(principal: Principal, groupId: string, page: PageRequest): Promise<Page<EndUser>> {
  const group = await db.send(new GetCommand({ TableName: tableName, Key: endUserKeys.group(principal.accountId, groupId) }));
  if (!group.Item) throw new NotFound('The group');
  const members = await queryPage(
    { partition: { name: 'pk', value: endUserKeys.groupMember(principal.accountId, groupId, '').pk } },
    page,
    (item) => item.endUserId as string,
  );
  // One BatchGetItem for the page's members, not a read each.
  const records = (await batchGet(members.items.map((id) => endUserKeys.item(principal.accountId, id)))).map(fromItem);
  return { items: records.filter((r) => canSee(principal, r)).map(toEndUser), nextCursor: members.nextCursor };
}

/** Adds an end user to a group; adding a member twice changes nothing. */
export async function addGroupMember(actor: Actor, groupId: string, endUserId: string): Promise<EndUser> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  if (current.groupIds.includes(groupId)) {
    const group = await db.send(new GetCommand({ TableName: tableName, Key: endUserKeys.group(actor.accountId, groupId) }));
    if (!group.Item) throw new NotFound('The group');
    return toEndUser(current);
  }
  const now = new Date().toISOString();
  await commitChanges(
    actor,
    [
      guard(
        { ConditionCheck: { TableName: tableName, Key: endUserKeys.group(actor.accountId, groupId), ConditionExpression: 'attribute_exists(pk)' } },
        () => new NotFound('The group'),
      ),
      { Put: { TableName: tableName, Item: { ...endUserKeys.groupMember(actor.accountId, groupId, endUserId), type: 'group_member', groupId, endUserId } } },
      guard(
        {
          Update: {
            TableName: tableName,
            Key: endUserKeys.item(actor.accountId, endUserId),
            UpdateExpression: 'ADD groupIds :g SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':g': new Set([groupId]), ':now': now },
          },
        },
        () => new NotFound('The end user'),
      ),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields: { groupIds: { from: current.groupIds, to: [...current.groupIds, groupId].sort() } } }],
  );
  return toEndUser({ ...current, groupIds: [...current.groupIds, groupId].sort(), updatedAt: now });
}

export async function removeGroupMember(actor: Actor, groupId: string, endUserId: string): Promise<void> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  if (!current.groupIds.includes(groupId)) return;
  await commitChanges(
    actor,
    [
      { Delete: { TableName: tableName, Key: endUserKeys.groupMember(actor.accountId, groupId, endUserId) } },
      {
        Update: {
          TableName: tableName,
          Key: endUserKeys.item(actor.accountId, endUserId),
          UpdateExpression: 'DELETE groupIds :g SET updatedAt = :now',
          ExpressionAttributeValues: { ':g': new Set([groupId]), ':now': new Date().toISOString() },
        },
      },
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields: { groupIds: { from: current.groupIds, to: current.groupIds.filter((g) => g !== groupId) } } }],
  );
}
