import { createHash } from 'node:crypto';
import type { Page, PageRequest } from '../db/pagination.js';
import { transact, type WriteAction } from '../db/transaction.js';
import { AppError, Conflict, NotFound, ValidationFailed } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { auditItem, changedFields, commitChanges, type Actor, type Change } from '../audit/audit.js';
import { auditEntity } from '../audit/entity.js';
import { hashPassword, type PasswordHash } from '../auth/passwords.js';
import type { Principal } from '../auth/principal.js';
import { companyEntity } from '../companies/entities.js';
import { canSeeCompany, visibleCompanyFilter } from '../companies/access.js';
import { claimEmail, EmailTaken, getEmailClaim, getEmailClaims, releaseEmail } from '../users/emails.js';
import { emailClaimEntity } from '../users/entities.js';
import { sendEmail } from '../clients/ses.js';
import { escapeHtml } from '../email/html.js';
import { deriveDisplayName } from './display-name.js';
import { endUserEntity, endUserGroupEntity, groupMemberEntity, setPasswordTokenEntity, type StoredEndUser } from './entities.js';
import type { BulkEndUsersInput, CreateEndUserInput, UpdateEndUserInput } from './schema.js';
import { groupMustExist, membershipWrites, type EndUserGroup } from './groups.js';
import { scimUserDeletionParts } from '../scim/users.js';

export { createGroup, type EndUserGroup } from './groups.js';

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
  /** The hash of the one set-password link that still works: a newer link or an email change ends it. */
  setPasswordLink?: string;
  /** What an edit read, for its optimistic-concurrency check. */
  version?: number;
  /** Deactivated by directory sync: cannot sign in (sessions end), still listed. */
  signInDisabled?: boolean;
}

const setPasswordValidity = 72 * 3600;

function fromStored(stored: StoredEndUser): EndUserRecord {
  return { ...stored, groupIds: [...(stored.groupIds ?? [])].sort() };
}

export function toEndUser(record: EndUserRecord): EndUser {
  const { passwordHash: _secret, credentialsVersion: _credentials, setPasswordLink: _link, version: _version, signInDisabled: _disabled, ...endUser } = record;
  return endUser;
}

export async function getEndUserRecord(accountId: string, endUserId: string, consistent = false): Promise<EndUserRecord | undefined> {
  const stored = await endUserEntity.get({ accountId, id: endUserId }, { consistent });
  return stored && fromStored(stored);
}

/** Several end users in as few round trips as BatchGetItem allows; missing ones are absent, the order is not kept. */
export async function getEndUserRecords(accountId: string, endUserIds: string[]): Promise<EndUserRecord[]> {
  return (await endUserEntity.getMany(endUserIds.map((id) => ({ accountId, id })))).map(fromStored);
}

export async function getEndUser(principal: Principal, endUserId: string): Promise<EndUser> {
  const record = await getEndUserRecord(principal.accountId, endUserId);
  if (!record || !canSeeCompany(principal, record.companyId)) throw new NotFound('The end user');
  return toEndUser(record);
}

/** By address (the email claim, case-insensitive) or the account's list, narrowed for technicians. */
export async function listEndUsers(principal: Principal, page: PageRequest & { email?: string | undefined }): Promise<Page<EndUser>> {
  if (page.email) {
    const claim = await getEmailClaim(principal.accountId, page.email);
    const record = claim?.ownerType === 'end_user' ? await getEndUserRecord(principal.accountId, claim.ownerId) : undefined;
    return { items: record && canSeeCompany(principal, record.companyId) ? [toEndUser(record)] : [], nextCursor: null };
  }
  const filter = visibleCompanyFilter(principal, 'companyId');
  const found = await endUserEntity.queryPage({ accountId: principal.accountId }, page, filter ? { filter } : {});
  return { items: found.items.map((s) => toEndUser(fromStored(s))), nextCursor: found.nextCursor };
}

const companyMustExist = (accountId: string, companyId: string): WriteAction =>
  companyEntity.checkAction({ accountId, id: companyId }, { itemExists: true }, () => new NotFound('The company'));

const changedMeanwhile = () => new Conflict('The end user changed meanwhile; try again.');

/**
 * The writes that create an end user with their email claim; the claim's condition makes the email
 * unique. The company check is left out where the caller checks it once for many (bulk).
 */
function endUserCreation(
  actor: Actor,
  endUser: EndUser,
  options: { extra?: WriteAction[]; setPasswordLink?: string; companyCheck?: boolean; signInDisabled?: boolean } = {},
): { writes: WriteAction[]; changes: Change[] } {
  const { extra = [], setPasswordLink, companyCheck = true, signInDisabled } = options;
  return {
    writes: [
      endUserEntity.putAction(
        {
          accountId: actor.accountId,
          ...endUser,
          groupIds: endUser.groupIds.length ? new Set(endUser.groupIds) : undefined,
          setPasswordLink,
          ...(signInDisabled && { signInDisabled }),
        },
        { ifNew: true, onFail: () => new Conflict('The end user already exists.') },
      ),
      claimEmail(actor.accountId, endUser.email, { ownerType: 'end_user', ownerId: endUser.id }),
      ...(companyCheck ? [companyMustExist(actor.accountId, endUser.companyId)] : []),
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

function newEndUser(input: {
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  association: EndUser['association'];
  companyId: string;
  groupIds?: string[];
}): EndUser {
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

/** What directory sync adds to an end user's creation or update. */
export interface DirectorySyncOptions {
  /** Writes of the same transaction (directory sync's own records of the end user). */
  extraFor?: (endUser: EndUser) => WriteAction[];
  /** Directory sync's `active`: an end user not allowed cannot sign in, and their sessions end. */
  signInAllowed?: boolean;
}

/** Staff-created end user; a strong one gets an email to set their password. */
export async function createEndUser(actor: Actor, input: CreateEndUserInput, options: DirectorySyncOptions = {}): Promise<EndUser> {
  const endUser = newEndUser(input);
  const extra = options.extraFor?.(endUser) ?? [];
  const signInDisabled = options.signInAllowed === false;
  const token = input.association === 'strong' ? setPasswordToken(actor.accountId, endUser.id) : undefined;
  const { writes, changes } = endUserCreation(
    actor,
    endUser,
    token ? { extra: [token.write, ...extra], setPasswordLink: token.hash, signInDisabled } : { extra, signInDisabled },
  );
  await commitChanges(actor, writes, changes);
  if (token) await sendSetPasswordEmail(endUser, token.value);
  return endUser;
}

/** An end user found by address, or a new weak one with the writes (audit records included) that create it. */
export interface EndUserResolution {
  endUser: EndUser;
  created: boolean;
  /** Empty for an existing end user; for a new one, to land in the caller's own transaction. */
  writes: WriteAction[];
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
  if (claim?.ownerType === 'user') throw new StaffAddress(claim.ownerId);
  if (claim) {
    const existing = await getEndUserRecord(actor.accountId, claim.ownerId, true);
    if (existing) return { endUser: toEndUser(existing), created: false, writes: [] };
  }
  const endUser = newEndUser({ ...input, association: 'weak' });
  const { writes, changes } = endUserCreation(actor, endUser);
  return { endUser, created: true, writes: [...writes, ...changes.map((c) => auditItem(actor, c))] };
}

export class StaffAddress extends Conflict {
  /** The staff user the address belongs to, for callers that answer staff differently (the portal). */
  constructor(readonly staffUserId?: string) {
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

/** A new end user takes three items of a transaction (the end user, its email claim, its audit record); with the one company check, 33 fit in DynamoDB's 100. */
const bulkPerTransaction = 33;

/** An item's error as the bulk request reports it: on that item's address. */
function atItem(err: Error, index: number): Error {
  if (!(err instanceof AppError)) return err;
  return new AppError(err.status, err.code, err.message, [{ path: `items.${index}.email`, message: err.details[0]?.message ?? err.message }]);
}

interface BulkWrite {
  endUser: EndUser;
  writes: WriteAction[];
  audit: WriteAction;
}

/**
 * Many weak end users at once, all or none. Everything is checked first (the company, then every
 * address in one batched read); the new end users are then written in transactions of what fits.
 * Should a later transaction fail (an address taken meanwhile), the earlier ones are undone, so a
 * failed request leaves nothing behind.
 */
export async function bulkCreateEndUsers(actor: Actor, input: BulkEndUsersInput): Promise<{ created: EndUser[]; existing: EndUser[] }> {
  const { accountId } = actor;
  const company = await companyEntity.get({ accountId, id: input.companyId }, { consistent: true });
  if (!company) throw new NotFound('The company');

  const seen = new Set<string>();
  const items = input.items.map((item, index) => ({ ...item, index })).filter(({ email }) => !seen.has(email.toLowerCase()) && !!seen.add(email.toLowerCase()));
  const claims = await getEmailClaims(
    accountId,
    items.map((i) => i.email),
    { consistent: true },
  );
  const claimOf = (email: string) => claims.get(email.toLowerCase());
  const staff = items.find((i) => claimOf(i.email)?.ownerType === 'user');
  if (staff) throw atItem(new StaffAddress(), staff.index);
  const owners = (
    await endUserEntity.getMany(
      [...claims.values()].map((c) => ({ accountId, id: c.ownerId })),
      { consistent: true },
    )
  ).map(fromStored);

  const existing: EndUser[] = [];
  const fresh: BulkWrite[] = [];
  for (const item of items) {
    const claim = claimOf(item.email);
    const owner = claim && owners.find((o) => o.id === claim.ownerId);
    if (claim && !owner) throw atItem(new EmailTaken(), item.index);
    if (owner) {
      existing.push(toEndUser(owner));
      continue;
    }
    const endUser = newEndUser({ ...item, association: 'weak', companyId: input.companyId });
    const { writes, changes } = endUserCreation(actor, endUser, { companyCheck: false });
    fresh.push({
      endUser,
      writes: writes.map((w) => ({ ...w, failure: () => atItem(w.failure(), item.index) })),
      audit: auditItem(actor, changes[0]!),
    });
  }

  const written: BulkWrite[] = [];
  for (let i = 0; i < fresh.length; i += bulkPerTransaction) {
    const chunk = fresh.slice(i, i + bulkPerTransaction);
    try {
      await transact([companyMustExist(accountId, input.companyId), ...chunk.flatMap((c) => [...c.writes, c.audit])]);
    } catch (err) {
      await undoBulk(accountId, written);
      throw err;
    }
    written.push(...chunk);
  }
  return { created: fresh.map((f) => f.endUser), existing };
}

/**
 * Removes what a failed bulk request wrote: each end user with its claim and audit record, on the
 * condition that they are still as written (an end user someone changed meanwhile is left, and logged).
 */
async function undoBulk(accountId: string, written: BulkWrite[]): Promise<void> {
  const results = await Promise.allSettled(
    written.map(({ endUser, audit }) =>
      transact([
        // Version 1: as the bulk request put it.
        endUserEntity.deleteAction({ accountId, id: endUser.id }, { ifVersion: 1 }),
        emailClaimEntity.deleteAction({ accountId, email: endUser.email }, { condition: { path: 'ownerId', eq: endUser.id } }),
        // The audit record's id and time are those of the put that wrote it.
        auditEntity.deleteAction({ accountId, ...auditEntity.parse(audit.item.Put?.Item ?? {}) }),
      ]),
    ),
  );
  results.forEach((r, i) => {
    if (r.status === 'rejected') logger.error('bulk end-user undo failed', { endUserId: written[i]!.endUser.id, error: (r.reason as Error).message });
  });
}

export async function updateEndUser(actor: Actor, endUserId: string, input: UpdateEndUserInput, options: DirectorySyncOptions = {}): Promise<EndUser> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  const before = toEndUser(current);
  const after: EndUser = { ...before, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(before, after, ['email', 'firstName', 'lastName', 'companyId', 'association']);
  const wasDisabled = current.signInDisabled === true;
  const signInDisabled = options.signInAllowed === undefined ? wasDisabled : !options.signInAllowed;
  const disabling = signInDisabled && !wasDisabled;
  if (signInDisabled !== wasDisabled) fields.signIn = { from: !wasDisabled, to: !signInDisabled };
  if (Object.keys(fields).length === 0) return before;
  const emailChanged = after.email.toLowerCase() !== before.email.toLowerCase();
  const token = before.association === 'weak' && after.association === 'strong' ? setPasswordToken(actor.accountId, endUserId) : undefined;
  await commitChanges(
    actor,
    [
      endUserEntity.updateAction(
        { accountId: actor.accountId, id: endUserId },
        {
          set: {
            email: after.email,
            firstName: after.firstName,
            lastName: after.lastName,
            companyId: after.companyId,
            association: after.association,
            updatedAt: after.updatedAt,
            // A new link replaces any earlier one; a new address ends the link sent to the old one.
            ...(token ? { setPasswordLink: token.hash } : emailChanged ? { setPasswordLink: undefined } : {}),
            ...(signInDisabled !== wasDisabled && { signInDisabled: signInDisabled || undefined }),
          },
          // Deactivation ends every session issued before.
          ...(disabling && { add: { credentialsVersion: 1 } }),
        },
        { ifVersion: current.version ?? 0, onFail: changedMeanwhile },
      ),
      ...(input.companyId ? [companyMustExist(actor.accountId, input.companyId)] : []),
      ...(emailChanged
        ? [releaseEmail(actor.accountId, before.email), claimEmail(actor.accountId, after.email, { ownerType: 'end_user', ownerId: endUserId })]
        : []),
      ...(token ? [token.write] : []),
      ...(options.extraFor?.(after) ?? []),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields }],
  );
  if (token) await sendSetPasswordEmail(after, token.value);
  return after;
}

/** Deletes an end user: out of their groups, their address free again, and their directory link (SCIM) gone with them. */
export async function deleteEndUser(actor: Actor, endUserId: string): Promise<void> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  const scimParts = await scimUserDeletionParts(actor.accountId, current);
  await commitChanges(
    actor,
    [
      endUserEntity.deleteAction({ accountId: actor.accountId, id: endUserId }, { ifVersion: current.version ?? 0, onFail: changedMeanwhile }),
      releaseEmail(actor.accountId, current.email),
      ...current.groupIds.map((groupId) => groupMemberEntity.deleteAction({ accountId: actor.accountId, groupId, endUserId })),
      ...scimParts,
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'delete', fields: { email: { from: current.email, to: null } } }],
  );
}

// --- Set-password links -------------------------------------------------------------------------

const hashToken = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * A single-use token (`<accountId>.<secret>`); only its hash is stored, for 72 hours. The end user
 * item names the hash of its one live link (`setPasswordLink`), so issuing a new link ends the old.
 */
function setPasswordToken(accountId: string, endUserId: string): { value: string; hash: string; write: WriteAction } {
  const secret = newSecret();
  const hash = hashToken(secret);
  const expiresAt = Math.floor(Date.now() / 1000) + setPasswordValidity;
  return {
    value: `${accountId}.${secret}`,
    hash,
    write: setPasswordTokenEntity.putAction({ accountId, tokenHash: hash, endUserId, expiresAt }, { expiresAt }),
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

/** A new set-password email for a strong end user (an administrator's resend); earlier links die. */
export async function sendInvitation(actor: Actor, endUserId: string): Promise<void> {
  const current = await getEndUserRecord(actor.accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  if (current.association !== 'strong') throw notStrong();
  const token = setPasswordToken(actor.accountId, endUserId);
  await commitChanges(
    actor,
    [
      token.write,
      endUserEntity.updateAction(
        { accountId: actor.accountId, id: endUserId },
        { set: { setPasswordLink: token.hash } },
        {
          // The link goes to the address read above: it must still be theirs.
          condition: {
            and: [
              { path: 'email', eq: current.email },
              { path: 'association', eq: 'strong' },
            ],
          },
          onFail: changedMeanwhile,
        },
      ),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields: { token: { from: null, to: null } } }],
  );
  await sendSetPasswordEmail(toEndUser(current), token.value);
}

const notStrong = () =>
  new Conflict('Only an end user of strong association is invited to set a password.', 'conflict', [{ path: 'association', message: 'Weak' }]);

const invalidLink = () => new ValidationFailed('The link is not valid or has expired.', [{ path: 'token', message: 'Invalid or expired' }]);

/** Uses a set-password link: the token is consumed in the same transaction that sets the password. */
export async function setPassword(token: string, password: string, request: { requestId: string; sourceIp: string }): Promise<void> {
  const [accountId, secret] = token.split('.');
  if (!accountId || !secret) throw invalidLink();
  const link = { accountId, tokenHash: hashToken(secret) };
  const stored = await setPasswordTokenEntity.get(link, { consistent: true });
  const now = Math.floor(Date.now() / 1000);
  if (!stored || stored.expiresAt <= now) throw invalidLink();
  const { endUserId } = stored;
  await commitChanges(
    { accountId, actorId: endUserId, ...request },
    [
      setPasswordTokenEntity.deleteAction(link, { condition: { and: [{ itemExists: true }, { path: 'expiresAt', gt: now }] }, onFail: invalidLink }),
      endUserEntity.updateAction(
        { accountId, id: endUserId },
        {
          set: { passwordHash: await hashPassword(password), association: 'strong', updatedAt: new Date().toISOString(), setPasswordLink: undefined },
          add: { credentialsVersion: 1 },
        },
        // Only the end user's latest link, sent to their current address, still works.
        { condition: { path: 'setPasswordLink', eq: link.tokenHash }, onFail: invalidLink },
      ),
    ],
    [{ resourceType: 'end_user', resourceId: endUserId, action: 'update', fields: { password: { from: null, to: null } } }],
  );
}

// --- Groups ---------------------------------------------------------------------------------------

function joinGroup(accountId: string, groupId: string, endUserId: string): WriteAction[] {
  return [groupMustExist(accountId, groupId), groupMemberEntity.putAction({ accountId, groupId, endUserId })];
}

export function listGroups(accountId: string, page: PageRequest): Promise<Page<EndUserGroup>> {
  return endUserGroupEntity.queryIndexPage('byName', { accountId }, page);
}

export async function listGroupMembers(principal: Principal, groupId: string, page: PageRequest): Promise<Page<EndUser>> {
  const { accountId } = principal;
  if (!(await endUserGroupEntity.get({ accountId, id: groupId }))) throw new NotFound('The group');
  const members = await groupMemberEntity.queryPage({ accountId, groupId }, page);
  // One batched read for the page's members, not a read each.
  const records = (await endUserEntity.getMany(members.items.map((m) => ({ accountId, id: m.endUserId })))).map(fromStored);
  return { items: records.filter((r) => canSeeCompany(principal, r.companyId)).map(toEndUser), nextCursor: members.nextCursor };
}

/** Adds an end user to a group; adding a member twice changes nothing. */
export async function addGroupMember(actor: Actor, groupId: string, endUserId: string): Promise<EndUser> {
  const { accountId } = actor;
  const current = await getEndUserRecord(accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  if (current.groupIds.includes(groupId)) {
    if (!(await endUserGroupEntity.get({ accountId, id: groupId }))) throw new NotFound('The group');
    return toEndUser(current);
  }
  const now = new Date().toISOString();
  await commitChanges(
    actor,
    [groupMustExist(accountId, groupId), ...membershipWrites(accountId, groupId, endUserId, true, { now, onFail: () => new NotFound('The end user') })],
    [
      {
        resourceType: 'end_user',
        resourceId: endUserId,
        action: 'update',
        fields: { groupIds: { from: current.groupIds, to: [...current.groupIds, groupId].sort() } },
      },
    ],
  );
  return toEndUser({ ...current, groupIds: [...current.groupIds, groupId].sort(), updatedAt: now });
}

export async function removeGroupMember(actor: Actor, groupId: string, endUserId: string): Promise<void> {
  const { accountId } = actor;
  const current = await getEndUserRecord(accountId, endUserId, true);
  if (!current) throw new NotFound('The end user');
  if (!current.groupIds.includes(groupId)) return;
  await commitChanges(
    actor,
    membershipWrites(accountId, groupId, endUserId, false, { now: new Date().toISOString(), onFail: () => new NotFound('The end user') }),
    [
      {
        resourceType: 'end_user',
        resourceId: endUserId,
        action: 'update',
        fields: { groupIds: { from: current.groupIds, to: current.groupIds.filter((g) => g !== groupId) } },
      },
    ],
  );
}
