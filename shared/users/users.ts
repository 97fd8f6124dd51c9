import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountPartition, entityKey } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import type { PasswordHash } from '../auth/passwords.js';
import { newId } from '../ids.js';
import { Conflict, NotFound } from '../errors.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import type { UpdateMeInput } from './schema.js';

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
  createdAt: string;
  updatedAt: string;
}

export type User = Omit<UserRecord, 'passwordHash'>;

export const userKeys = {
  item: (accountId: string, userId: string) => ({ pk: accountPartition(accountId), sk: entityKey('USER', userId) }),
};

/**
 * Emails are unique per account across users and end users, case-insensitively: each address is
 * claimed by one item whose key is the lower-cased address, written in the same transaction as its owner.
 */
export const emailKeys = {
  claim: (accountId: string, email: string) => ({ pk: accountPartition(accountId), sk: entityKey('EMAIL', email.toLowerCase()) }),
};

export interface EmailClaim {
  ownerType: 'user' | 'end_user';
  ownerId: string;
}

export function claimEmail(accountId: string, email: string, owner: EmailClaim): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...emailKeys.claim(accountId, email), type: 'email_claim', ...owner },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function releaseEmail(accountId: string, email: string, owner: EmailClaim): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: emailKeys.claim(accountId, email),
      ConditionExpression: 'ownerId = :owner',
      ExpressionAttributeValues: { ':owner': owner.ownerId },
    },
  };
}

export function newUserRecord(input: Omit<UserRecord, 'id' | 'createdAt' | 'updatedAt' | 'seats'>): UserRecord {
  const now = new Date().toISOString();
  return { ...input, id: newId('usr'), seats: [], createdAt: now, updatedAt: now };
}

export function putUser(accountId: string, user: UserRecord): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...userKeys.item(accountId, user.id), type: 'user', ...user },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function toUser(record: UserRecord): User {
  const { passwordHash: _secret, ...user } = record;
  return user;
}

export async function getUserRecord(accountId: string, userId: string): Promise<UserRecord | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: userKeys.item(accountId, userId) }));
  return out.Item ? stripKeys<UserRecord>(out.Item) : undefined;
}

export async function getEmailClaim(accountId: string, email: string): Promise<EmailClaim | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: emailKeys.claim(accountId, email) }));
  return out.Item ? { ownerType: out.Item.ownerType, ownerId: out.Item.ownerId } : undefined;
}

export class EmailTaken extends Conflict {
  constructor() {
    super('This email address is already in use in the account.', 'conflict', [{ path: 'email', message: 'Already in use' }]);
  }
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
  const names = { '#firstName': 'firstName', '#lastName': 'lastName', '#email': 'email', '#updatedAt': 'updatedAt' };
  await commitChanges(
    actor,
    [
      {
        Update: {
          TableName: tableName,
          Key: userKeys.item(actor.accountId, current.id),
          UpdateExpression: 'SET #firstName = :f, #lastName = :l, #email = :e, #updatedAt = :u',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':f': next.firstName, ':l': next.lastName, ':e': next.email, ':u': next.updatedAt },
        },
      },
      ...(emailChanged ? [releaseEmail(actor.accountId, current.email, owner), claimEmail(actor.accountId, next.email, owner)] : []),
    ],
    [{ resourceType: 'user', resourceId: current.id, action: 'update', fields }],
    (codes) => (codes[2] === 'ConditionalCheckFailed' ? new EmailTaken() : new NotFound('The user')),
  );
  return next;
}
