import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { hashPassword, verifyPassword, type PasswordHash } from '../auth/passwords.js';
import { issueToken } from '../auth/tokens.js';
import { reserveAttempt } from '../auth/sign-in-attempts.js';
import type { Principal } from '../auth/principal.js';
import { newId } from '../ids.js';
import { Conflict, Forbidden, NotFound } from '../errors.js';
import { changedFields, commitChanges, guard, type Actor } from '../audit/audit.js';
import { administratorAdded, administratorRemoved, userRemoved } from '../accounts/accounts.js';
import { companyRequired, joinCompany, leaveCompany, type Member } from '../companies/companies.js';
import { sharedCompanies, visibleCompanyFilter } from '../companies/access.js';
import { claimEmail, releaseEmail, type EmailClaim } from './emails.js';
import { userAccessChanged, userContactCreated, userContactDeleted, userMembershipEntry, userProfileChanged } from '../contacts/user-contacts.js';
import { seatKeys } from './seat-keys.js';
import type { CreateUserInput, UpdateMeInput, UpdateUserInput } from './schema.js';

export const modules = ['remote_support', 'service_desk', 'monitoring', 'reports'] as const;
export type Module = (typeof modules)[number];
export const seatModules = ['remote_support', 'service_desk'] as const;
export type SeatModule = (typeof seatModules)[number];
export type StaffRole = 'administrator' | 'technician';

export interface UserRecord {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  modules: Module[];
  companyIds: string[];
  seats: SeatModule[];
  passwordHash: PasswordHash;
  /** Bumped by a password change, which ends every token issued before it. */
  credentialsVersion?: number;
  createdAt: string;
  updatedAt: string;
}

export type User = Omit<UserRecord, 'passwordHash' | 'credentialsVersion'>;

/** Users live in the account partition. Company ids and seats are string sets, changed by value. */
export const userKeys = {
  item: (accountId: string, userId: string) => ({ pk: accountPartition(accountId), sk: entityKey('USER', userId) }),
  prefix: () => entityPrefix('USER'),
};

const asMember = (accountId: string, userId: string): Member => ({ type: 'USER', id: userId, key: userKeys.item(accountId, userId) });

export function newUserRecord(input: Omit<UserRecord, 'id' | 'createdAt' | 'updatedAt' | 'seats'>): UserRecord {
  const now = new Date().toISOString();
  return { ...input, id: newId('usr'), seats: [], createdAt: now, updatedAt: now };
}

export function putUser(accountId: string, user: UserRecord): TransactItem {
  const { companyIds, seats, ...rest } = user;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...userKeys.item(accountId, user.id),
        type: 'user',
        ...rest,
        companyIds: new Set(companyIds),
        ...(seats.length ? { seats: new Set(seats) } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Sets → sorted arrays: the shape the API returns. */
export function fromUserItem(item: Record<string, unknown>): UserRecord {
  const record = stripKeys<UserRecord & { companyIds: Set<string>; seats?: Set<SeatModule> }>(item);
  return { ...record, companyIds: [...record.companyIds].sort(), seats: [...(record.seats ?? [])].sort() };
}

export function toUser(record: UserRecord): User {
  const { passwordHash: _secret, credentialsVersion: _version, ...user } = record;
  return user;
}

export async function getUserRecord(accountId: string, userId: string, consistent = false): Promise<UserRecord | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: userKeys.item(accountId, userId), ConsistentRead: consistent }));
  return out.Item ? fromUserItem(out.Item) : undefined;
}

/**
 * What a principal may see of a user: administrators everything; technicians only users who share
 * a company with them, and of those only the shared companies.
 */
function visibleTo(principal: Principal, user: User): User | undefined {
  const companyIds = sharedCompanies(principal, user.companyIds);
  return companyIds && { ...user, companyIds };
}

export async function getUser(principal: Principal, userId: string): Promise<User> {
  const record = await getUserRecord(principal.accountId, userId);
  const user = record && visibleTo(principal, toUser(record));
  if (!user) throw new NotFound('The user');
  return user;
}

/** One Query per page over the account's users; a technician's page is narrowed to shared companies. */
export async function listUsers(principal: Principal, page: PageRequest): Promise<Page<User>> {
  const filter = visibleCompanyFilter(principal, 'companyIds', true);
  const result = await queryPage(
    {
      partition: { name: 'pk', value: accountPartition(principal.accountId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': userKeys.prefix() } },
      filter,
    },
    page,
    (item) => toUser(fromUserItem(item)),
  );
  return { ...result, items: result.items.map((u) => visibleTo(principal, u)!).filter(Boolean) };
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<User> {
  const companyIds = [...new Set(input.companyIds)];
  if (companyIds.length === 0) throw companyRequired();
  const record = newUserRecord({
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    role: input.role,
    modules: [...new Set(input.modules)],
    companyIds,
    passwordHash: await hashPassword(input.password),
  });
  const owner: EmailClaim = { ownerType: 'user', ownerId: record.id };
  const contact = userContactCreated(actor.accountId, toUser(record));
  await commitChanges(
    actor,
    [
      putUser(actor.accountId, record),
      claimEmail(actor.accountId, record.email, owner),
      ...companyIds.flatMap((cid) =>
        joinCompany(actor.accountId, cid, asMember(actor.accountId, record.id), userMembershipEntry(actor.accountId, cid, record)),
      ),
      ...(record.role === 'administrator' ? [administratorAdded(actor.accountId)] : []),
      ...contact.writes,
    ],
    [
      {
        resourceType: 'user',
        resourceId: record.id,
        action: 'create',
        fields: changedFields({} as User, toUser(record), ['email', 'firstName', 'lastName', 'role', 'modules', 'companyIds']),
      },
      ...contact.changes,
    ],
  );
  return toUser(record);
}

/**
 * An administrator's change of role, modules or company access. Names and email belong to the
 * user alone (403 here). Demoting the last administrator is refused by the account's counter.
 */
export async function updateUser(actor: Actor, userId: string, input: UpdateUserInput): Promise<User> {
  if ('firstName' in input || 'lastName' in input || 'email' in input) {
    throw new Forbidden('Only the user can change their own name and email, through /v1/me.');
  }
  const current = await getUserRecord(actor.accountId, userId, true);
  if (!current) throw new NotFound('The user');
  const next: UserRecord = {
    ...current,
    ...(input.role ? { role: input.role } : {}),
    ...(input.modules ? { modules: [...new Set(input.modules)] } : {}),
    ...(input.companyIds ? { companyIds: [...new Set(input.companyIds)].sort() } : {}),
    updatedAt: new Date().toISOString(),
  };
  if (next.companyIds.length === 0) throw companyRequired();
  const fields = changedFields(toUser(current), toUser(next), ['role', 'modules', 'companyIds']);
  if (Object.keys(fields).length === 0) return toUser(current);

  const added = next.companyIds.filter((id) => !current.companyIds.includes(id));
  const removed = current.companyIds.filter((id) => !next.companyIds.includes(id));
  const roleChange =
    current.role === next.role ? [] : [next.role === 'administrator' ? administratorAdded(actor.accountId) : administratorRemoved(actor.accountId)];
  const contact = await userAccessChanged(actor.accountId, toUser(current), toUser(next));
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: userKeys.item(actor.accountId, userId),
            UpdateExpression: 'SET #role = :role, modules = :modules, companyIds = :companies, updatedAt = :now',
            // Nobody else changed the companies meanwhile: the membership items stay in step.
            ConditionExpression: 'attribute_exists(pk) AND updatedAt = :seen',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: {
              ':role': next.role,
              ':modules': next.modules,
              ':companies': new Set(next.companyIds),
              ':now': next.updatedAt,
              ':seen': current.updatedAt,
            },
          },
        },
        () => new Conflict('The user changed meanwhile; try again.'),
      ),
      ...added.flatMap((cid) => joinCompany(actor.accountId, cid, asMember(actor.accountId, userId), contact.membershipEntry(cid))),
      ...removed.flatMap((cid) => leaveCompany(actor.accountId, cid, { type: 'USER', id: userId })),
      ...roleChange,
      ...contact.writes,
    ],
    [{ resourceType: 'user', resourceId: userId, action: 'update', fields }, ...contact.changes],
  );
  return toUser(next);
}

/** Deletes a user with their email claim, memberships and seats, in one transaction. */
export async function deleteUser(actor: Actor, userId: string): Promise<void> {
  if (userId === actor.actorId) throw new Conflict('You cannot delete yourself.');
  const current = await getUserRecord(actor.accountId, userId, true);
  if (!current) throw new NotFound('The user');
  const contact = userContactDeleted(actor.accountId, toUser(current));
  await commitChanges(
    actor,
    [
      guard(
        {
          Delete: {
            TableName: tableName,
            Key: userKeys.item(actor.accountId, userId),
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: { ':seen': current.updatedAt },
          },
        },
        () => new Conflict('The user changed meanwhile; try again.'),
      ),
      releaseEmail(actor.accountId, current.email),
      ...current.companyIds.flatMap((cid) => leaveCompany(actor.accountId, cid, { type: 'USER', id: userId })),
      ...current.seats.map((module) => ({ Delete: { TableName: tableName, Key: seatKeys.item(actor.accountId, module, userId) } })),
      ...userRemoved(actor.accountId, { seats: current.seats, wasAdministrator: current.role === 'administrator' }),
      ...contact.writes,
    ],
    [
      {
        resourceType: 'user',
        resourceId: userId,
        action: 'delete',
        fields: { email: { from: current.email, to: null }, seats: { from: current.seats, to: [] } },
      },
      ...contact.changes,
    ],
  );
}

/**
 * A user's own change of name or email (`PATCH /v1/me`, the only way to change them). A new email
 * moves the address claim in the same transaction, so two users can never end up sharing one.
 */
export async function updateOwnProfile(actor: Actor, current: User, input: UpdateMeInput): Promise<User> {
  const next: User = { ...current, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(current, next, ['firstName', 'lastName', 'email']);
  if (Object.keys(fields).length === 0) return current;
  const emailChanged = next.email.toLowerCase() !== current.email.toLowerCase();
  const owner: EmailClaim = { ownerType: 'user', ownerId: current.id };
  const contact = await userProfileChanged(actor.accountId, current, next);
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: userKeys.item(actor.accountId, current.id),
            UpdateExpression: 'SET firstName = :f, lastName = :l, email = :e, updatedAt = :u',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':f': next.firstName, ':l': next.lastName, ':e': next.email, ':u': next.updatedAt },
          },
        },
        () => new NotFound('The user'),
      ),
      ...(emailChanged ? [releaseEmail(actor.accountId, current.email), claimEmail(actor.accountId, next.email, owner)] : []),
      ...contact.writes,
    ],
    [{ resourceType: 'user', resourceId: current.id, action: 'update', fields }, ...contact.changes],
  );
  return next;
}

/**
 * A user's own password change: the current password proves it is them, and the credentials
 * version moves on, so every token issued before (a stolen one included) stops working. The caller
 * gets a fresh token to stay signed in.
 */
export async function changeOwnPassword(actor: Actor, userId: string, input: { currentPassword: string; newPassword: string }) {
  const record = await getUserRecord(actor.accountId, userId, true);
  if (!record) throw new NotFound('The user');
  // A stolen token must not become a way around the sign-in throttle: same reservation per account + email.
  const attempt = await reserveAttempt(actor.accountId, record.email);
  if (!(await verifyPassword(input.currentPassword, record.passwordHash))) {
    throw new Forbidden('The current password is not correct.');
  }
  await attempt.giveBack();
  const version = (record.credentialsVersion ?? 0) + 1;
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: userKeys.item(actor.accountId, userId),
            UpdateExpression: 'SET passwordHash = :hash, credentialsVersion = :version, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(credentialsVersion) OR credentialsVersion = :seen)',
            ExpressionAttributeValues: {
              ':hash': await hashPassword(input.newPassword),
              ':version': version,
              ':now': new Date().toISOString(),
              ':seen': record.credentialsVersion ?? 0,
            },
          },
        },
        () => new Conflict('The password changed meanwhile; sign in again.'),
      ),
    ],
    [{ resourceType: 'user', resourceId: userId, action: 'update', fields: { password: { from: null, to: null } } }],
  );
  return issueToken({ accountId: actor.accountId, subjectId: userId, role: record.role, credentialsVersion: version });
}
