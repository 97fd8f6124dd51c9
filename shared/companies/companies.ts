import type { Key } from '../db/entity.js';
import type { Page, PageRequest } from '../db/pagination.js';
import { TransactionTooLarge, type WriteAction } from '../db/transaction.js';
import { Conflict, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, type Actor, type Change } from '../audit/audit.js';
import { companyAdded, companyRemoved } from '../accounts/accounts.js';
import type { Principal } from '../auth/principal.js';
import { requireCompany, visibleCompanyFilter } from './access.js';
import { contactLosesCompany } from '../contacts/people.js';
import { userLosesCompany } from '../users/users.js';
import { deviceLosesCompany } from '../devices/devices.js';
import { companySettingsDeleted } from '../settings/settings.js';
import { portalDeletionParts } from '../portals/portals.js';
import { teamsLinkDeletionParts } from '../teams/links.js';
import { companyEntity, companyMemberEntity, type CompanyRecord, type MemberRecord, type MemberType } from './entities.js';
import type * as z from 'zod';
import type { CreateCompanyInput, UpdateCompanyInput } from './schema.js';
import type { companySchema } from './responses.js';

export type { MemberType } from './entities.js';

/** A company as the API shows it: its response schema says what that is. */
export type Company = z.output<typeof companySchema>;

export const companyRequired = (message = 'Every user and device needs at least one company.') => new Conflict(message, 'company_required');

const unknownCompany = (companyId: string) =>
  new ValidationFailed('A company does not exist.', [{ path: 'companyIds', message: `Unknown company ${companyId}` }]);

const companyChanged = () => new Conflict('The company changed meanwhile; try again.');

export function newCompany(name: string, description = ''): Company {
  const now = new Date().toISOString();
  return { id: newId('cmp'), name, description, createdAt: now, updatedAt: now };
}

export function putCompany(accountId: string, company: Company, condition?: 'new'): WriteAction {
  return companyEntity.putAction({ ...company, accountId }, { ifNew: condition === 'new' });
}

export function toCompany(record: CompanyRecord): Company {
  const { id, name, description, createdAt, updatedAt } = record;
  return { id, name, description, createdAt, updatedAt };
}

/** A company by id, for modules that act on one (undefined when there is none). */
export async function findCompany(accountId: string, companyId: string, options: { consistent?: boolean } = {}): Promise<Company | undefined> {
  const record = await companyEntity.get({ accountId, id: companyId }, options);
  return record && toCompany(record);
}

/** A transaction part that only requires the company to exist (a write that belongs to it). */
export function companyExists(accountId: string, companyId: string, onFail: () => Error = () => new NotFound('The company')): WriteAction {
  return companyEntity.checkAction({ accountId, id: companyId }, { itemExists: true }, onFail);
}

/** A user, device or contact as a company member: its type, id and the key of its own item. */
export interface Member {
  type: MemberType;
  id: string;
  key: Key;
}

/** What a member's entry carries for the member's lists: the people list's fields, or a device's inventory copy. */
export type MemberData = Pick<MemberRecord, 'contactId' | 'alertUrgencies' | 'device'> & {
  /** Orders the entry in the company's people list; not stored. */
  contactName?: string;
};

/** Every membership change raises the company's version, on the condition that the company exists. */
function membershipChange(accountId: string, companyId: string, onFail: () => Error): WriteAction {
  return companyEntity.updateAction({ accountId, id: companyId }, {}, { condition: { itemExists: true }, onFail });
}

/** Membership writes for a user, device or contact joining a company that must exist. */
export function joinCompany(accountId: string, companyId: string, member: Member, data: MemberData = {}): WriteAction[] {
  return [membershipChange(accountId, companyId, () => unknownCompany(companyId)), membershipPut(accountId, companyId, member, data)];
}

/** The member entry alone: for a company created in the same transaction, or an entry rewritten in place. */
export function membershipPut(accountId: string, companyId: string, member: Member, data: MemberData = {}): WriteAction {
  return companyMemberEntity.putAction({ accountId, companyId, memberType: member.type, memberId: member.id, memberKey: member.key, ...data });
}

/** Membership writes for leaving a company. */
export function leaveCompany(accountId: string, companyId: string, member: Pick<Member, 'type' | 'id'>): WriteAction[] {
  return [
    membershipChange(accountId, companyId, companyChanged),
    companyMemberEntity.deleteAction({ accountId, companyId, memberType: member.type, memberId: member.id }),
  ];
}

export async function getCompany(principal: Principal, companyId: string): Promise<Company> {
  requireCompany(principal, companyId);
  const company = await findCompany(principal.accountId, companyId);
  if (!company) throw new NotFound('The company');
  return company;
}

/** Name order, one Query per page; a technician's page holds only companies they can access. */
export async function listCompanies(principal: Principal, page: PageRequest): Promise<Page<Company>> {
  const filter = visibleCompanyFilter(principal, 'id');
  const result = await companyEntity.queryIndexPage('byName', { accountId: principal.accountId }, page, { filter });
  return { ...result, items: result.items.map(toCompany) };
}

export async function createCompany(actor: Actor, input: CreateCompanyInput): Promise<Company> {
  const company = newCompany(input.name, input.description);
  await commitChanges(
    actor,
    [putCompany(actor.accountId, company, 'new'), companyAdded(actor.accountId)],
    [
      {
        resourceType: 'company',
        resourceId: company.id,
        action: 'create',
        fields: { name: { from: null, to: company.name }, description: { from: null, to: company.description } },
      },
    ],
  );
  return company;
}

/** Renames or redescribes a company, at the version read: of two edits from one read, only one lands. */
export async function updateCompany(actor: Actor, companyId: string, input: UpdateCompanyInput): Promise<Company> {
  const record = await companyEntity.get({ accountId: actor.accountId, id: companyId }, { consistent: true });
  if (!record) throw new NotFound('The company');
  const before = toCompany(record);
  const after: Company = { ...before, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(before, after, ['name', 'description']);
  if (Object.keys(fields).length === 0) return before;
  try {
    await commitChanges(
      actor,
      [
        companyEntity.updateAction(
          { accountId: actor.accountId, id: companyId },
          { set: { name: after.name, description: after.description, updatedAt: after.updatedAt } },
          {
            ifVersion: record.version ?? 0,
            // A company from before versions matches version 0 as a missing one would: it must still exist.
            condition: { itemExists: true },
            indexes: { byName: { accountId: actor.accountId, name: after.name, id: companyId } },
            onFail: companyChanged,
          },
        ),
      ],
      [{ resourceType: 'company', resourceId: companyId, action: 'update', fields }],
    );
  } catch (err) {
    // Deleted meanwhile is the company's 404; changed meanwhile, the caller reads it again.
    if (err instanceof Conflict && !(await findCompany(actor.accountId, companyId, { consistent: true }))) throw new NotFound('The company');
    throw err;
  }
  return after;
}

/**
 * Deletes a company: its own items (the company and its member entries) and every other concept's
 * part, which each concept answers for itself: its users, devices and contacts lose it (a user or
 * device whose only company it is refuses: 409 company_required), its settings overrides and its
 * portal and Teams link go, all in one transaction. Refused (409 company_required) when it is the account's last
 * company. The delete is conditional on the company version it read, and every membership change
 * raises that version, so a member added meanwhile cannot be orphaned: the delete is retried
 * against the new members. A company whose members need more writes than one transaction holds
 * is refused (409): it is emptied first.
 */
export async function deleteCompany(actor: Actor, companyId: string): Promise<void> {
  const { accountId } = actor;
  for (let attempt = 0; attempt < 5; attempt++) {
    const company = await companyEntity.get({ accountId, id: companyId }, { consistent: true });
    if (!company) throw new NotFound('The company');
    const [members, portalParts, teamsParts] = await Promise.all([
      companyMemberEntity.queryAll({ accountId, companyId }),
      portalDeletionParts(accountId, companyId),
      teamsLinkDeletionParts(accountId, companyId),
    ]);
    const memberParts = members.flatMap((m) => [
      ...memberLosesCompany(accountId, m),
      companyMemberEntity.deleteAction({ accountId, companyId, memberType: m.memberType, memberId: m.memberId }),
    ]);
    const ownParts = [
      companyEntity.deleteAction({ accountId, id: companyId }, { ifVersion: company.version ?? 0, onFail: () => new MembershipChanged() }),
      companyRemoved(accountId),
      companySettingsDeleted(accountId, companyId),
      ...portalParts,
      ...teamsParts,
    ];
    const changes: Change[] = [{ resourceType: 'company', resourceId: companyId, action: 'delete', fields: { name: { from: company.name, to: null } } }];
    try {
      await commitChanges(actor, [...ownParts, ...memberParts], changes);
      return;
    } catch (err) {
      if (err instanceof TransactionTooLarge) {
        throw new Conflict(`The company has ${members.length} users, devices and contacts; move some to other companies before deleting it.`);
      }
      if (!(err instanceof MembershipChanged)) throw err;
    }
  }
  throw new Conflict('The company changed while it was being deleted; try again.');
}

/** What the member's own concept writes when the company it is in goes. */
function memberLosesCompany(accountId: string, member: MemberRecord): WriteAction[] {
  switch (member.memberType) {
    case 'USER':
      return userLosesCompany(accountId, member.memberId, member.companyId);
    case 'DEVICE':
      return deviceLosesCompany(accountId, member);
    case 'CONTACT':
      return [contactLosesCompany(accountId, member.memberId, member.companyId)];
  }
}

class MembershipChanged extends Error {}
