import { attribute, type Condition } from '../db/expressions.js';
import type { WriteAction } from '../db/transaction.js';
import { Conflict, NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import { issueToken } from '../auth/tokens.js';
import { consumeClientLimit } from '../auth/client-limits.js';
import { companyRequired, membershipPut, newCompany, putCompany } from '../companies/companies.js';
import { newUserRecord, putUser, toUser, userMember, type SeatModule, type User } from '../users/users.js';
import { claimEmail } from '../users/emails.js';
import { userContactCreated, userMembershipEntry } from '../contacts/user-contacts.js';
import type { SignUpInput, UpdateAccountInput } from './schema.js';
import { accountEntity, slugClaimEntity } from './entities.js';

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

// Names the field that would remove them, so a form can show it there.
const lastAdministrator = () =>
  new Conflict('The account needs at least one administrator.', 'conflict', [{ path: 'role', message: 'The account needs at least one administrator' }]);

/*
 * The account item's counters keep its invariants (seats within limits, at least one administrator,
 * at least one company). Only this module writes them: the modules whose changes move a counter put
 * these items into their own transactions.
 */

/** A seat given: refused (SeatLimitReached) when the module's seats are all in use. */
export const seatTaken = (accountId: string, module: SeatModule): WriteAction =>
  accountEntity.updateAction(
    { id: accountId },
    { increment: { [`seatsUsed.${module}`]: 1 } },
    { condition: { path: `seatsUsed.${module}`, lt: attribute(`seatLimits.${module}`) }, onFail: () => new SeatLimitReached(module) },
  );

export const seatFreed = (accountId: string, module: SeatModule): WriteAction =>
  accountEntity.updateAction({ id: accountId }, { increment: { [`seatsUsed.${module}`]: -1 } });

export const administratorAdded = (accountId: string): WriteAction => accountEntity.updateAction({ id: accountId }, { add: { adminCount: 1 } });

const keepsAnAdministrator: Condition = { path: 'adminCount', gt: 1 };

/** Refused (409) when it would remove the account's last administrator. */
export const administratorRemoved = (accountId: string): WriteAction =>
  accountEntity.updateAction({ id: accountId }, { add: { adminCount: -1 } }, { condition: keepsAnAdministrator, onFail: lastAdministrator });

/**
 * A user deleted: their seats freed and, for an administrator, the last-administrator guard, in ONE
 * update (a transaction may not touch the account item twice). Nothing when neither applies.
 */
export function userRemoved(accountId: string, user: { seats: SeatModule[]; wasAdministrator: boolean }): WriteAction[] {
  if (user.seats.length === 0 && !user.wasAdministrator) return [];
  return [
    accountEntity.updateAction(
      { id: accountId },
      {
        increment: Object.fromEntries(user.seats.map((module) => [`seatsUsed.${module}`, -1])),
        ...(user.wasAdministrator && { add: { adminCount: -1 } }),
      },
      { condition: user.wasAdministrator ? keepsAnAdministrator : undefined, onFail: lastAdministrator },
    ),
  ];
}

export const companyAdded = (accountId: string): WriteAction => accountEntity.updateAction({ id: accountId }, { add: { companyCount: 1 } });

/** Refused (409 company_required) when it would remove the account's last company. */
export const companyRemoved = (accountId: string): WriteAction =>
  accountEntity.updateAction(
    { id: accountId },
    { add: { companyCount: -1 } },
    { condition: { path: 'companyCount', gt: 1 }, onFail: () => companyRequired('The account needs at least one company.') },
  );

export async function getAccount(accountId: string): Promise<Account | undefined> {
  const record = await accountEntity.get({ id: accountId });
  if (!record) return undefined;
  const { id, name, slug, seatLimits, seatsUsed, createdAt } = record;
  return { id, name, slug, seatLimits, seatsUsed, createdAt };
}

export async function accountIdForSlug(slug: string): Promise<string | undefined> {
  return (await slugClaimEntity.get({ slug }))?.accountId;
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
      slugClaimEntity.putAction({ slug: account.slug, accountId: account.id }, { ifNew: true, onFail: () => new SlugTaken() }),
      accountEntity.putAction({ ...account, companyCount: 1, adminCount: 1 }, { ifNew: true, onFail: () => new Conflict('The account could not be created.') }),
      putCompany(account.id, company, 'new'),
      putUser(account.id, admin),
      membershipPut(account.id, company.id, userMember(account.id, admin.id), userMembershipEntry(account.id, company.id, admin)),
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
  );
  const { token, expiresAt } = await issueToken({ accountId: account.id, subjectId: admin.id, role: 'administrator', credentialsVersion: 0 });
  return { account, user: toUser(admin), token, expiresAt };
}

/** The account as the API shows it: limits and seats used (the counters kept with the seat items). */
export async function getAccountView(accountId: string): Promise<Account> {
  const account = await getAccount(accountId);
  if (!account) throw new NotFound('The account');
  return account;
}

/**
 * Renames the account or changes seat limits. A limit below the seats in use is refused by the
 * update's own condition, so a seat given meanwhile cannot slip under a lowered limit.
 */
export async function updateAccount(actor: Actor, input: UpdateAccountInput): Promise<Account> {
  const before = await getAccountView(actor.accountId);
  const after: Account = { ...before, ...(input.name ? { name: input.name } : {}), seatLimits: { ...before.seatLimits, ...input.seatLimits } };
  const fields = changedFields(before, after, ['name', 'seatLimits']);
  if (Object.keys(fields).length === 0) return before;
  await commitChanges(
    actor,
    [
      accountEntity.updateAction(
        { id: actor.accountId },
        {
          set: {
            ...(input.name !== undefined && { name: input.name }),
            ...Object.fromEntries(Object.entries(input.seatLimits ?? {}).map(([module, limit]) => [`seatLimits.${module}`, limit])),
          },
        },
        {
          // A limit is checked against the seats in use by the write itself, not by the read before it.
          condition: {
            and: [
              { itemExists: true },
              ...Object.entries(input.seatLimits ?? {}).map(([module, limit]): Condition => ({ path: `seatsUsed.${module}`, le: limit })),
            ],
          },
          onFail: () =>
            new Conflict('A seat limit cannot be lower than the seats in use.', 'conflict', [{ path: 'seatLimits', message: 'Below seats in use' }]),
        },
      ),
    ],
    [{ resourceType: 'account', resourceId: actor.accountId, action: 'update', fields }],
  );
  return getAccountView(actor.accountId);
}
