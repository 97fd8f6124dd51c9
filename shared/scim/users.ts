import type { WriteAction } from '../db/transaction.js';
import { Conflict } from '../errors.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { createEndUser, deleteEndUser, getEndUserRecord, getEndUserRecords, toEndUser, updateEndUser, type EndUser } from '../end-users/end-users.js';
import { EmailTaken, getEmailClaim } from '../users/emails.js';
import { scimExternalIdEntity, scimUserEntity, scimUserNameEntity, type EnterpriseUser, type ScimUserLink } from './entities.js';
import { resourceNotFound, uniqueness } from './errors.js';

/** The directory's view of a user: what a SCIM User body carries that we keep. */
export interface DirectoryUser {
  userName: string;
  externalId?: string | undefined;
  givenName: string;
  familyName: string;
  email: string;
  active: boolean;
  enterprise: EnterpriseUser;
}

/** A SCIM User: its end user and what SCIM keeps beside it. */
export interface ScimUser {
  endUser: EndUser;
  link: ScimUserLink;
}

/** Where SCIM acts: the token's account and company, as the token's actor in the audit log. */
export interface ScimScope {
  actor: Actor;
  companyId: string;
}

const userNameTaken = () => uniqueness('A User with this userName already exists.');
const externalIdTaken = () => uniqueness('A User with this externalId already exists.');
const emailTaken = () => uniqueness('The email address belongs to another user of the account.');
export const userNotFound = () => resourceNotFound('The User');
const changedMeanwhile = () => new Conflict('The User changed meanwhile; try again.');

/** The extension as stored: absent rather than empty. */
const enterpriseOrNone = (enterprise: EnterpriseUser) => (Object.keys(enterprise).length > 0 ? enterprise : undefined);

const keyOf = (scope: ScimScope) => ({ accountId: scope.actor.accountId, companyId: scope.companyId });

/** The claims that make `userName` (case-insensitively) and `externalId` unique in the company. */
const claimUserName = (scope: ScimScope, endUserId: string, userName: string) =>
  scimUserNameEntity.putAction({ ...keyOf(scope), userName, endUserId }, { ifNew: true, onFail: userNameTaken });
const claimExternalId = (scope: ScimScope, endUserId: string, externalId: string | undefined): WriteAction[] =>
  externalId ? [scimExternalIdEntity.putAction({ ...keyOf(scope), externalId, endUserId }, { ifNew: true, onFail: externalIdTaken })] : [];
type CompanyKey = ReturnType<typeof keyOf>;
const releaseUserName = (company: CompanyKey, userName: string) => scimUserNameEntity.deleteAction({ ...company, userName });
const releaseExternalId = (company: CompanyKey, externalId: string | undefined): WriteAction[] =>
  externalId ? [scimExternalIdEntity.deleteAction({ ...company, externalId })] : [];

/**
 * Provisions a User: a new strong end user of the token's company, or the promotion of the weak end
 * user who already has the address (same id, tickets kept, the directory's names). The end user,
 * the SCIM link and its claims land in one transaction: a concurrent create of the same userName
 * loses on the claim (409 uniqueness); a concurrent change of the weak end user (an inbound email
 * creating it, a staff edit) loses on its email claim or version, and nothing is written.
 */
export async function createScimUser(scope: ScimScope, user: DirectoryUser): Promise<ScimUser> {
  const { actor, companyId } = scope;
  const claim = await getEmailClaim(actor.accountId, user.email, { consistent: true });
  const weak = claim?.ownerType === 'end_user' ? await getEndUserRecord(actor.accountId, claim.ownerId, true) : undefined;
  if (claim && weak?.association !== 'weak') throw emailTaken();
  const createdAt = new Date().toISOString();
  const link = (endUserId: string): ScimUserLink => ({
    endUserId,
    userName: user.userName,
    externalId: user.externalId,
    active: user.active,
    enterprise: enterpriseOrNone(user.enterprise),
    createdAt,
  });
  const linkWrites = (l: ScimUserLink) => [
    scimUserEntity.putAction({ ...keyOf(scope), ...l }, { ifNew: true, onFail: userNameTaken }),
    claimUserName(scope, l.endUserId, l.userName),
    ...claimExternalId(scope, l.endUserId, l.externalId),
  ];
  try {
    if (weak) {
      const l = link(weak.id);
      const endUser = await updateEndUser(
        actor,
        weak.id,
        { firstName: user.givenName, lastName: user.familyName, association: 'strong', companyId },
        { extraFor: () => linkWrites(l), signInAllowed: user.active },
      );
      return { endUser, link: { ...l, version: 1 } };
    }
    const endUser = await createEndUser(
      actor,
      { email: user.email, firstName: user.givenName, lastName: user.familyName, association: 'strong', companyId, groupIds: [] },
      { extraFor: (fresh) => linkWrites(link(fresh.id)), signInAllowed: user.active },
    );
    return { endUser, link: { ...link(endUser.id), version: 1 } };
  } catch (err) {
    if (err instanceof EmailTaken) throw emailTaken();
    throw err;
  }
}

/** The company's SCIM User with this id (an end user id), or undefined. */
export async function getScimUser(scope: ScimScope, endUserId: string, consistent = false): Promise<ScimUser | undefined> {
  const [link, record] = await Promise.all([
    scimUserEntity.get({ ...keyOf(scope), endUserId }, { consistent }),
    getEndUserRecord(scope.actor.accountId, endUserId, consistent),
  ]);
  return link && record ? { link, endUser: toEndUser(record) } : undefined;
}

/** What a User is found by: each one key read (a claim, or the id itself), then the user. */
export type UserLookup = { id: string } | { userName: string } | { externalId: string } | { email: string };

/**
 * By id, userName (case-insensitively), externalId (case-exact) or email (the account's email
 * claim, case-insensitively): a User only if it is one of this company's SCIM Users.
 */
export async function findScimUser(scope: ScimScope, by: UserLookup): Promise<ScimUser | undefined> {
  if ('id' in by) return getScimUser(scope, by.id);
  if ('email' in by) {
    const claim = await getEmailClaim(scope.actor.accountId, by.email);
    return claim?.ownerType === 'end_user' ? getScimUser(scope, claim.ownerId) : undefined;
  }
  const claim =
    'userName' in by
      ? await scimUserNameEntity.get({ ...keyOf(scope), userName: by.userName })
      : await scimExternalIdEntity.get({ ...keyOf(scope), externalId: by.externalId });
  return claim && getScimUser(scope, claim.endUserId);
}

/**
 * A page of the company's SCIM Users in SCIM's terms (1-based `startIndex`, `count`). SCIM pages by
 * position and reports the total, so the company's links (small items, one partition) are read in
 * full and only the page's end users are fetched.
 */
export async function listScimUsers(scope: ScimScope, startIndex: number, count: number): Promise<{ total: number; users: ScimUser[] }> {
  const links = await scimUserEntity.queryAll(keyOf(scope));
  const page = links.slice(startIndex - 1, startIndex - 1 + count);
  const found = await getEndUserRecords(
    scope.actor.accountId,
    page.map((l) => l.endUserId),
  );
  const records = new Map(found.map((r) => [r.id, r]));
  const users = page.flatMap((link) => {
    const record = records.get(link.endUserId);
    return record ? [{ link, endUser: toEndUser(record) }] : [];
  });
  return { total: links.length, users };
}

/**
 * Replaces what the directory says of a User (PUT, and PATCH once applied): names, email, userName,
 * externalId, active. Everything lands in one transaction, conditional on the link being as read.
 */
export async function replaceScimUser(scope: ScimScope, current: ScimUser, next: DirectoryUser): Promise<ScimUser> {
  const { actor } = scope;
  const key = { ...keyOf(scope), endUserId: current.endUser.id };
  const before = current.link;
  const userNameMoved = before.userName.toLowerCase() !== next.userName.toLowerCase();
  const externalIdMoved = before.externalId !== next.externalId;
  const writes: WriteAction[] = [
    scimUserEntity.updateAction(
      key,
      { set: { userName: next.userName, externalId: next.externalId, active: next.active, enterprise: enterpriseOrNone(next.enterprise) } },
      { ifVersion: before.version ?? 0, onFail: changedMeanwhile },
    ),
    ...(userNameMoved ? [releaseUserName(keyOf(scope), before.userName), claimUserName(scope, key.endUserId, next.userName)] : []),
    ...(externalIdMoved ? [...releaseExternalId(keyOf(scope), before.externalId), ...claimExternalId(scope, key.endUserId, next.externalId)] : []),
  ];
  const endUserChanges = {
    ...(next.givenName !== current.endUser.firstName && { firstName: next.givenName }),
    ...(next.familyName !== current.endUser.lastName && { lastName: next.familyName }),
    ...(next.email.toLowerCase() !== current.endUser.email.toLowerCase() && { email: next.email }),
  };
  const link: ScimUserLink = {
    ...before,
    userName: next.userName,
    externalId: next.externalId,
    active: next.active,
    enterprise: enterpriseOrNone(next.enterprise),
    version: (before.version ?? 0) + 1,
  };
  try {
    if (Object.keys(endUserChanges).length || next.active !== before.active) {
      const endUser = await updateEndUser(actor, key.endUserId, endUserChanges, { extraFor: () => writes, signInAllowed: next.active });
      return { endUser, link };
    }
    await commitChanges(actor, writes, [
      {
        resourceType: 'scim_user',
        resourceId: key.endUserId,
        action: 'update',
        fields: {
          userName: { from: before.userName, to: next.userName },
          active: { from: before.active, to: next.active },
          ...(JSON.stringify(before.enterprise) !== JSON.stringify(link.enterprise) && {
            enterprise: { from: before.enterprise ?? null, to: link.enterprise ?? null },
          }),
        },
      },
    ]);
    return { endUser: current.endUser, link };
  } catch (err) {
    if (err instanceof EmailTaken) throw emailTaken();
    throw err;
  }
}

/** Removes the User: the end user (out of their groups), with SCIM's link and claims (`scimUserDeletionParts`), in one transaction. */
export async function deleteScimUser(scope: ScimScope, current: ScimUser): Promise<void> {
  await deleteEndUser(scope.actor, current.endUser.id);
}

/**
 * An end user deleted, through SCIM or `/v1/end-users`: their SCIM link and its claims go in the
 * same transaction, so the directory can provision the same `userName` again.
 */
export async function scimUserDeletionParts(accountId: string, endUser: { id: string; companyId: string }): Promise<WriteAction[]> {
  const company = { accountId, companyId: endUser.companyId };
  const link = await scimUserEntity.get({ ...company, endUserId: endUser.id }, { consistent: true });
  if (!link) return [];
  return [
    scimUserEntity.deleteAction({ ...company, endUserId: endUser.id }, { ifVersion: link.version ?? 0, onFail: changedMeanwhile }),
    releaseUserName(company, link.userName),
    ...releaseExternalId(company, link.externalId),
  ];
}
