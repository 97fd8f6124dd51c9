import type { Page, PageRequest } from '../db/pagination.js';
import type { WriteAction } from '../db/transaction.js';
import { hashPassword, verifyPassword, type PasswordHash } from '../auth/passwords.js';
import { issueToken } from '../auth/tokens.js';
import { reserveAttempt } from '../auth/sign-in-attempts.js';
import type { Principal, StaffPrincipal } from '../auth/principal.js';
import { newId } from '../ids.js';
import { Conflict, Forbidden, NotFound } from '../errors.js';
import { changedFields, commitChanges, type Actor } from '../audit/audit.js';
import { administratorAdded, administratorRemoved, userRemoved } from '../accounts/accounts.js';
import { companyRequired, joinCompany, leaveCompany, type Member } from '../companies/companies.js';
import { sharedCompanies, visibleCompanyFilter } from '../companies/access.js';
import { userContactId } from '../contacts/entities.js';
import { contactLosesCompany } from '../contacts/people.js';
import { claimEmail, releaseEmail, type EmailClaim } from './emails.js';
import { userAccessChanged, userContactCreated, userContactDeleted, userMembershipEntry, userProfileChanged } from '../contacts/user-contacts.js';
import { seatEntity, type StoredUser, userEntity } from './entities.js';
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
  version?: number;
}

export type User = Omit<UserRecord, 'passwordHash' | 'credentialsVersion' | 'version'>;

/** A user as a company member. */
export const userMember = (accountId: string, userId: string): Member => ({ type: 'USER', id: userId, key: userEntity.key({ accountId, id: userId }) });

export function newUserRecord(input: Omit<UserRecord, 'id' | 'createdAt' | 'updatedAt' | 'seats'>): UserRecord {
  const now = new Date().toISOString();
  return { ...input, id: newId('usr'), seats: [], createdAt: now, updatedAt: now };
}

/** Sorted arrays → string sets (DynamoDB has no empty set: no seat, no attribute). */
function toStored({ companyIds, seats, ...rest }: UserRecord): StoredUser {
  return { ...rest, companyIds: new Set(companyIds), ...(seats.length ? { seats: new Set(seats) } : {}) };
}

/** Sets → sorted arrays: the shape the API returns. */
function fromStored(stored: StoredUser): UserRecord {
  return { ...stored, companyIds: [...stored.companyIds].sort(), seats: [...(stored.seats ?? [])].sort() };
}

export function putUser(accountId: string, user: UserRecord): WriteAction {
  return userEntity.putAction({ accountId, ...toStored(user) }, { ifNew: true });
}

export function toUser(record: UserRecord): User {
  const { passwordHash: _secret, credentialsVersion: _credentials, version: _version, ...user } = record;
  return user;
}

export async function getUserRecord(accountId: string, userId: string, consistent = false): Promise<UserRecord | undefined> {
  const stored = await userEntity.get({ accountId, id: userId }, { consistent });
  return stored && fromStored(stored);
}

/** Several users in one batch read; missing ones are absent. */
export async function getUserRecords(accountId: string, userIds: string[]): Promise<UserRecord[]> {
  return (await userEntity.getMany(userIds.map((id) => ({ accountId, id })))).map(fromStored);
}

const changedMeanwhile = () => new Conflict('The user changed meanwhile; try again.');

/** A seat given or taken back, in the seat's transaction: the user's seat set follows. */
export function userSeatChanged(accountId: string, userId: string, change: { add: SeatModule } | { remove: SeatModule }, now: string): WriteAction {
  const key = { accountId, id: userId };
  if ('add' in change) {
    return userEntity.updateAction(
      key,
      { add: { seats: new Set([change.add]) }, set: { updatedAt: now } },
      { condition: { itemExists: true }, onFail: () => new NotFound('The user') },
    );
  }
  return userEntity.updateAction(key, { delete: { seats: new Set([change.remove]) }, set: { updatedAt: now } });
}

/**
 * A deleted company leaves the user's companies, and the user's contact's, in the company delete's
 * transaction. Refused when it is the user's only company: every user keeps at least one.
 */
export function userLosesCompany(accountId: string, userId: string, companyId: string): WriteAction[] {
  return [
    userEntity.updateAction(
      { accountId, id: userId },
      { delete: { companyIds: new Set([companyId]) }, set: { updatedAt: new Date().toISOString() } },
      {
        condition: {
          and: [
            { path: 'companyIds', contains: companyId },
            { path: 'companyIds', sizeGt: 1 },
          ],
        },
        onFail: () => companyRequired(`The company is the only company of a user (${userId}).`),
      },
    ),
    contactLosesCompany(accountId, userContactId(userId), companyId),
  ];
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
  const result = await userEntity.queryPage({ accountId: principal.accountId }, page, { filter });
  return { ...result, items: result.items.map((u) => visibleTo(principal, toUser(fromStored(u)))!).filter(Boolean) };
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
        joinCompany(actor.accountId, cid, userMember(actor.accountId, record.id), userMembershipEntry(actor.accountId, cid, record)),
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
      userEntity.updateAction(
        { accountId: actor.accountId, id: userId },
        { set: { role: next.role, modules: next.modules, companyIds: new Set(next.companyIds), updatedAt: next.updatedAt } },
        // Nobody else changed the companies meanwhile: the membership items stay in step.
        { condition: { itemExists: true }, ifVersion: current.version ?? 0, onFail: changedMeanwhile },
      ),
      ...added.flatMap((cid) => joinCompany(actor.accountId, cid, userMember(actor.accountId, userId), contact.membershipEntry(cid))),
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
      userEntity.deleteAction(
        { accountId: actor.accountId, id: userId },
        { condition: { itemExists: true }, ifVersion: current.version ?? 0, onFail: changedMeanwhile },
      ),
      releaseEmail(actor.accountId, current.email),
      ...current.companyIds.flatMap((cid) => leaveCompany(actor.accountId, cid, { type: 'USER', id: userId })),
      ...current.seats.map((module) => seatEntity.deleteAction({ accountId: actor.accountId, module, userId })),
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
 * A user's own change of name or email (`PATCH /v1/me`, the only way to change them), against the
 * profile as the request read it: a change made meanwhile (another PATCH from the same read, an
 * administrator's edit) refuses it (409). A new email moves the address claim in the same
 * transaction, so two users can never end up sharing one.
 */
export async function updateOwnProfile(actor: Actor, me: Pick<StaffPrincipal, 'profile' | 'version'>, input: UpdateMeInput): Promise<User> {
  const current = me.profile;
  const next: User = { ...current, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(current, next, ['firstName', 'lastName', 'email']);
  if (Object.keys(fields).length === 0) return current;
  const emailChanged = next.email.toLowerCase() !== current.email.toLowerCase();
  const owner: EmailClaim = { ownerType: 'user', ownerId: current.id };
  const contact = await userProfileChanged(actor.accountId, current, next);
  await commitChanges(
    actor,
    [
      userEntity.updateAction(
        { accountId: actor.accountId, id: current.id },
        { set: { firstName: next.firstName, lastName: next.lastName, email: next.email, updatedAt: next.updatedAt } },
        { condition: { itemExists: true }, ifVersion: me.version, onFail: changedMeanwhile },
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
      userEntity.updateAction(
        { accountId: actor.accountId, id: userId },
        { set: { passwordHash: await hashPassword(input.newPassword), credentialsVersion: version, updatedAt: new Date().toISOString() } },
        {
          // The credentials version is what the tokens carry: two password changes from one read cannot both apply.
          condition: {
            and: [
              { itemExists: true },
              {
                or: [
                  { path: 'credentialsVersion', exists: false },
                  { path: 'credentialsVersion', eq: record.credentialsVersion ?? 0 },
                ],
              },
            ],
          },
          onFail: () => new Conflict('The password changed meanwhile; sign in again.'),
        },
      ),
    ],
    [{ resourceType: 'user', resourceId: userId, action: 'update', fields: { password: { from: null, to: null } } }],
  );
  return issueToken({ accountId: actor.accountId, subjectId: userId, role: record.role, credentialsVersion: version });
}
