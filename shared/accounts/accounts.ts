import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TransactItem } from '../db/client.js';
import { accountKeys } from './keys.js';
import { stripKeys } from '../db/items.js';
import { Conflict, NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, guard, type Actor, type GuardedWrite } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import { issueToken } from '../auth/tokens.js';
import { consumeClientLimit } from '../auth/client-limits.js';
import { companyRequired, membershipPut, newCompany, putCompany } from '../companies/companies.js';
import { newUserRecord, putUser, toUser, userKeys, type SeatModule, type User } from '../users/users.js';
import { claimEmail } from '../users/emails.js';
import { userContactCreated, userMembershipEntry } from '../contacts/user-contacts.js';
import type { SignUpInput, UpdateAccountInput } from './schema.js';

export const defaultSeatLimit = 5;

export interface Account {
  id: string;
  name: string;
  slug: string;
  seatLimits: Record<SeatModule, number>;
  seatsUsed: Record<SeatModule, number>;
  createdAt: string;
}

export class SlugTaken extends Conflict {
  constructor() {
    super('This account slug is already taken.', 'conflict', [{ path: 'slug', message: 'Already taken' }]);
  }
}

export class SeatLimitReached extends Conflict {
  constructor(module: SeatModule) {
    super(`All ${module} seats of the account are in use.`, 'seat_limit_reached');
  }
}

const lastAdministrator = () => new Conflict('The account needs at least one administrator.');

/*
 * The account item's counters keep its invariants (seats within limits, at least one administrator,
 * at least one company). Only this module writes them: the modules whose changes move a counter put
 * these items into their own transactions.
 */

/** A seat given: refused (SeatLimitReached) when the module's seats are all in use. */
export const seatTaken = (accountId: string, module: SeatModule): GuardedWrite =>
  guard(
    {
      Update: {
        TableName: tableName,
        Key: accountKeys.item(accountId),
        UpdateExpression: 'SET seatsUsed.#m = seatsUsed.#m + :one',
        ConditionExpression: 'seatsUsed.#m < seatLimits.#m',
        ExpressionAttributeNames: { '#m': module },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    () => new SeatLimitReached(module),
  );

export const seatFreed = (accountId: string, module: SeatModule): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: accountKeys.item(accountId),
    UpdateExpression: 'SET seatsUsed.#m = seatsUsed.#m - :one',
    ExpressionAttributeNames: { '#m': module },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

export const administratorAdded = (accountId: string): TransactItem => ({
  Update: { TableName: tableName, Key: accountKeys.item(accountId), UpdateExpression: 'ADD adminCount :one', ExpressionAttributeValues: { ':one': 1 } },
});

/** Refused (409) when it would remove the account's last administrator. */
export const administratorRemoved = (accountId: string): GuardedWrite =>
  guard(
    {
      Update: {
        TableName: tableName,
        Key: accountKeys.item(accountId),
        UpdateExpression: 'ADD adminCount :minusOne',
        ConditionExpression: 'adminCount > :one',
        ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
      },
    },
    lastAdministrator,
  );

/**
 * A user deleted: their seats freed and, for an administrator, the last-administrator guard, in ONE
 * update (a transaction may not touch the account item twice). Nothing when neither applies.
 */
export function userRemoved(accountId: string, user: { seats: SeatModule[]; wasAdministrator: boolean }): GuardedWrite[] {
  if (user.seats.length === 0 && !user.wasAdministrator) return [];
  const names = Object.fromEntries(user.seats.map((module) => [`#${module}`, module]));
  const sets = user.seats.map((module) => `seatsUsed.#${module} = seatsUsed.#${module} - :one`);
  return [
    guard(
      {
        Update: {
          TableName: tableName,
          Key: accountKeys.item(accountId),
          UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', user.wasAdministrator ? 'ADD adminCount :minusOne' : ''].filter(Boolean).join(' '),
          ...(user.wasAdministrator ? { ConditionExpression: 'adminCount > :one' } : {}),
          ...(sets.length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ':one': 1, ...(user.wasAdministrator ? { ':minusOne': -1 } : {}) },
        },
      },
      lastAdministrator,
    ),
  ];
}

export const companyAdded = (accountId: string): TransactItem => ({
  Update: { TableName: tableName, Key: accountKeys.item(accountId), UpdateExpression: 'ADD companyCount :one', ExpressionAttributeValues: { ':one': 1 } },
});

/** Refused (409 company_required) when it would remove the account's last company. */
export const companyRemoved = (accountId: string): GuardedWrite =>
  guard(
    {
      Update: {
        TableName: tableName,
        Key: accountKeys.item(accountId),
        UpdateExpression: 'ADD companyCount :minusOne',
        ConditionExpression: 'companyCount > :one',
        ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
      },
    },
    () => companyRequired('The account needs at least one company.'),
  );

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
      // The counters beside the account's view keep its invariants: at least one company and one administrator.
      Item: { ...accountKeys.item(account.id), type: 'account', ...account, companyCount: 1, adminCount: 1 },
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
  await consumeClientLimit('signUp', request.sourceIp);
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
  const contact = userContactCreated(account.id, toUser(admin));
  await commitChanges(
    actor,
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...accountKeys.slug(account.slug), type: 'slug_claim', accountId: account.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      putAccount(account),
      putCompany(account.id, company, 'new'),
      putUser(account.id, admin),
      membershipPut(
        account.id,
        company.id,
        { type: 'USER', id: admin.id, key: userKeys.item(account.id, admin.id) },
        userMembershipEntry(account.id, company.id, admin),
      ),
      claimEmail(account.id, admin.email, { ownerType: 'user', ownerId: admin.id }),
      ...contact.writes,
    ],
    [
      {
        resourceType: 'account',
        resourceId: account.id,
        action: 'create',
        fields: { name: { from: null, to: account.name }, slug: { from: null, to: account.slug } },
      },
      { resourceType: 'company', resourceId: company.id, action: 'create', fields: { name: { from: null, to: company.name } } },
      {
        resourceType: 'user',
        resourceId: admin.id,
        action: 'create',
        fields: { email: { from: null, to: admin.email }, role: { from: null, to: admin.role } },
      },
      ...contact.changes,
    ],
    (codes) => (codes[0] === 'ConditionalCheckFailed' ? new SlugTaken() : new Conflict('The account could not be created.')),
  );
  const { token, expiresAt } = await issueToken({ accountId: account.id, subjectId: admin.id, role: 'administrator', credentialsVersion: 0 });
  return { account, user: toUser(admin), token, expiresAt };
}

/** The account as the API shows it: limits and seats used (the counters kept with the seat items). */
export async function getAccountView(accountId: string): Promise<Account> {
  const account = await getAccount(accountId);
  if (!account) throw new NotFound('The account');
  const { id, name, slug, seatLimits, seatsUsed, createdAt } = account;
  return { id, name, slug, seatLimits, seatsUsed, createdAt };
}

/**
 * Renames the account or changes seat limits. A limit below the seats in use is refused by the
 * update's own condition, so a seat given meanwhile cannot slip under a lowered limit.
 */
export async function updateAccount(actor: Actor, input: UpdateAccountInput): Promise<Account> {
  const before = await getAccountView(actor.accountId);
  const sets: string[] = [];
  const conditions: string[] = ['attribute_exists(pk)'];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (input.name !== undefined) {
    sets.push('#name = :name');
    names['#name'] = 'name';
    values[':name'] = input.name;
  }
  for (const [module, limit] of Object.entries(input.seatLimits ?? {})) {
    sets.push(`seatLimits.#${module} = :${module}`);
    conditions.push(`seatsUsed.#${module} <= :${module}`);
    names[`#${module}`] = module;
    values[`:${module}`] = limit;
  }
  const after: Account = { ...before, ...(input.name ? { name: input.name } : {}), seatLimits: { ...before.seatLimits, ...input.seatLimits } };
  const fields = changedFields(before, after, ['name', 'seatLimits']);
  if (Object.keys(fields).length === 0) return before;
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: accountKeys.item(actor.accountId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        () => new Conflict('A seat limit cannot be lower than the seats in use.', 'conflict', [{ path: 'seatLimits', message: 'Below seats in use' }]),
      ),
    ],
    [{ resourceType: 'account', resourceId: actor.accountId, action: 'update', fields }],
  );
  return getAccountView(actor.accountId);
}
