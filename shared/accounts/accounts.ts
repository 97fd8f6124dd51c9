import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TransactItem } from '../db/client.js';
import { accountPartition } from '../db/keys.js';
import { stripKeys } from '../db/items.js';
import { Conflict } from '../errors.js';
import { newId } from '../ids.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import { issueToken } from '../auth/tokens.js';
import { newCompany, putCompany } from '../companies/companies.js';
import { claimEmail, newUserRecord, putUser, toUser, type SeatModule, type User } from '../users/users.js';
import type { SignUpInput } from './schema.js';

export const defaultSeatLimit = 5;

export interface Account {
  id: string;
  name: string;
  slug: string;
  seatLimits: Record<SeatModule, number>;
  seatsUsed: Record<SeatModule, number>;
  createdAt: string;
}

/**
 * The account item sits in its own partition; the slug claim is the one key outside any account,
 * since it must be unique across all of them.
 */
export const accountKeys = {
  item: (accountId: string) => ({ pk: accountPartition(accountId), sk: 'ACCOUNT' }),
  slug: (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' }),
};

export class SlugTaken extends Conflict {
  constructor() {
    super('This account slug is already taken.', 'conflict', [{ path: 'slug', message: 'Already taken' }]);
  }
}

export async function getAccount(accountId: string): Promise<Account | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: accountKeys.item(accountId) }));
  return out.Item ? stripKeys<Account>(out.Item) : undefined;
}

export async function accountIdForSlug(slug: string): Promise<string | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: accountKeys.slug(slug) }));
  return out.Item?.accountId as string | undefined;
}

function putAccount(account: Account): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...accountKeys.item(account.id), type: 'account', ...account },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Sign-up: the slug claim, the account, its first company and its first administrator are written
 * in one transaction. Concurrent sign-ups for one slug race on the claim's condition: one wins.
 */
export async function signUp(
  input: SignUpInput,
  request: { requestId: string; sourceIp: string },
): Promise<{ account: Account; user: User; token: string; expiresAt: string }> {
  const now = new Date().toISOString();
  const account: Account = {
    id: newId('acc'),
    name: input.name,
    slug: input.slug,
    seatLimits: { remote_support: defaultSeatLimit, service_desk: defaultSeatLimit },
    seatsUsed: { remote_support: 0, service_desk: 0 },
    createdAt: now,
  };
  const company = newCompany('Default');
  const admin = newUserRecord({
    email: input.admin.email,
    firstName: input.admin.firstName,
    lastName: input.admin.lastName,
    role: 'administrator',
    modules: ['remote_support', 'service_desk', 'monitoring', 'reports'],
    companyIds: [company.id],
    passwordHash: await hashPassword(input.admin.password),
  });
  const actor: Actor = { accountId: account.id, actorId: admin.id, ...request };
  await commitChanges(
    actor,
    [
      { Put: { TableName: tableName, Item: { ...accountKeys.slug(account.slug), type: 'slug_claim', accountId: account.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
      putAccount(account),
      putCompany(account.id, company, 'new'),
      putUser(account.id, admin),
      claimEmail(account.id, admin.email, { ownerType: 'user', ownerId: admin.id }),
    ],
    [
      { resourceType: 'account', resourceId: account.id, action: 'create', fields: { name: { from: null, to: account.name }, slug: { from: null, to: account.slug } } },
      { resourceType: 'company', resourceId: company.id, action: 'create', fields: { name: { from: null, to: company.name } } },
      { resourceType: 'user', resourceId: admin.id, action: 'create', fields: { email: { from: null, to: admin.email }, role: { from: null, to: admin.role } } },
    ],
    (codes) => (codes[0] === 'ConditionalCheckFailed' ? new SlugTaken() : new Conflict('The account could not be created.')),
  );
  const { token, expiresAt } = await issueToken({ accountId: account.id, subjectId: admin.id, role: 'administrator' });
  return { account, user: toUser(admin), token, expiresAt };
}
