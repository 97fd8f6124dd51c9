import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import { db, maxTransactionItems, tableName, type TransactItem } from '../db/client.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { Conflict, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, guard, type Actor, type Change } from '../audit/audit.js';
import { companyAdded, companyRemoved } from '../accounts/accounts.js';
import type { Principal } from '../auth/principal.js';
import { requireCompany, visibleCompanyFilter } from './access.js';
import { contactLosesCompany, userContactId } from '../contacts/keys.js';
import { settingsKeys } from '../settings/keys.js';
import { portalKeys } from '../portals/keys.js';
import type * as z from 'zod';
import type { CreateCompanyInput, UpdateCompanyInput } from './schema.js';
import type { companySchema } from './responses.js';

/** A company as the API shows it: its response schema says what that is. */
export type Company = z.output<typeof companySchema>;

export type MemberType = 'USER' | 'DEVICE' | 'CONTACT';

/**
 * Companies live in the account partition; `byName` (gsi1) lists them in name order. Each company
 * also has a member partition (`A#<acc>#CO#<id>`) holding one item per user and device in it: that
 * is the company's device inventory and what a company delete must update. Every membership change
 * bumps the company's `membershipVersion`, so a delete that raced with one is detected.
 */
export const companyKeys = {
  item: (accountId: string, companyId: string) => ({ pk: accountPartition(accountId), sk: entityKey('COMPANY', companyId) }),
  byName: (accountId: string, company: Pick<Company, 'id' | 'name'>) => ({
    gsi1pk: accountCollection(accountId, 'COMPANIES'),
    gsi1sk: `${company.name.toLowerCase()}#${company.id}`,
  }),
  members: (accountId: string, companyId: string) => accountCollection(accountId, 'CO', companyId),
  member: (accountId: string, companyId: string, type: MemberType, memberId: string) => ({
    pk: companyKeys.members(accountId, companyId),
    sk: entityKey(type, memberId),
  }),
};

export const companyRequired = (message = 'Every user and device needs at least one company.') => new Conflict(message, 'company_required');

const unknownCompany = (companyId: string) =>
  new ValidationFailed('A company does not exist.', [{ path: 'companyIds', message: `Unknown company ${companyId}` }]);

export function newCompany(name: string, description = ''): Company {
  const now = new Date().toISOString();
  return { id: newId('cmp'), name, description, createdAt: now, updatedAt: now };
}

export function putCompany(accountId: string, company: Company, condition?: 'new'): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...companyKeys.item(accountId, company.id), ...companyKeys.byName(accountId, company), type: 'company', membershipVersion: 0, ...company },
      ...(condition === 'new' ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    },
  };
}

export function toCompany(item: Record<string, unknown>): Company {
  const { id, name, description, createdAt, updatedAt } = item as unknown as Company;
  return { id, name, description, createdAt, updatedAt };
}

/** A user or device as a company member: its type, id and the key of its own item. */
export interface Member {
  type: MemberType;
  id: string;
  key: { pk: string; sk: string };
}

/** Every membership change bumps the company's version, on the condition that the company exists. */
function membershipChange(accountId: string, companyId: string, failure: () => Error) {
  return guard(
    {
      Update: {
        TableName: tableName,
        Key: companyKeys.item(accountId, companyId),
        UpdateExpression: 'ADD membershipVersion :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    failure,
  );
}

/** Membership writes for a user or device joining a company that must exist. */
export function joinCompany(accountId: string, companyId: string, member: Member, data: Record<string, unknown> = {}) {
  return [membershipChange(accountId, companyId, () => unknownCompany(companyId)), membershipPut(accountId, companyId, member, data)];
}

/** The member item alone, for a company created in the same transaction. */
export function membershipPut(accountId: string, companyId: string, member: Member, data: Record<string, unknown> = {}): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...companyKeys.member(accountId, companyId, member.type, member.id),
        type: 'membership',
        memberType: member.type,
        memberId: member.id,
        memberKey: member.key,
        companyId,
        ...data,
      },
    },
  };
}

/** Membership writes for leaving a company. */
export function leaveCompany(accountId: string, companyId: string, member: Pick<Member, 'type' | 'id'>) {
  return [
    membershipChange(accountId, companyId, () => new Conflict('A company changed meanwhile; try again.')),
    { Delete: { TableName: tableName, Key: companyKeys.member(accountId, companyId, member.type, member.id) } },
  ];
}

async function getCompanyItem(accountId: string, companyId: string, consistent = false) {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: companyKeys.item(accountId, companyId), ConsistentRead: consistent }));
  return out.Item;
}

export async function getCompany(principal: Principal, companyId: string): Promise<Company> {
  requireCompany(principal, companyId);
  const item = await getCompanyItem(principal.accountId, companyId);
  if (!item) throw new NotFound('The company');
  return toCompany(item);
}

/** Name order, one Query per page; a technician's page holds only companies they can access. */
export function listCompanies(principal: Principal, page: PageRequest): Promise<Page<Company>> {
  const filter = visibleCompanyFilter(principal, 'id');
  return queryPage(
    { index: 'gsi1', partition: { name: 'gsi1pk', value: companyKeys.byName(principal.accountId, { id: '', name: '' }).gsi1pk }, filter },
    page,
    toCompany,
  );
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

export async function updateCompany(actor: Actor, companyId: string, input: UpdateCompanyInput): Promise<Company> {
  const item = await getCompanyItem(actor.accountId, companyId, true);
  if (!item) throw new NotFound('The company');
  const before = toCompany(item);
  const after: Company = { ...before, ...input, updatedAt: new Date().toISOString() };
  const fields = changedFields(before, after, ['name', 'description']);
  if (Object.keys(fields).length === 0) return before;
  const byName = companyKeys.byName(actor.accountId, after);
  await commitChanges(
    actor,
    [
      guard(
        {
          Update: {
            TableName: tableName,
            Key: companyKeys.item(actor.accountId, companyId),
            UpdateExpression: 'SET #name = :name, description = :description, updatedAt = :updatedAt, gsi1sk = :order',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':name': after.name, ':description': after.description, ':updatedAt': after.updatedAt, ':order': byName.gsi1sk },
          },
        },
        () => new NotFound('The company'),
      ),
    ],
    [{ resourceType: 'company', resourceId: companyId, action: 'update', fields }],
  );
  return after;
}

/**
 * Deletes a company and removes it from its users', devices' and contacts' company lists (and
 * drops its settings overrides), all in one transaction. Refused (409 company_required) when it
 * is the account's last company or the only company of any user or device; a contact may be left
 * with none. The delete is conditional on the membership version it read, so a member added
 * meanwhile cannot be orphaned: the delete is retried against the new members. A company whose
 * members need more writes than one transaction holds is refused (409): it is emptied first.
 */
export async function deleteCompany(actor: Actor, companyId: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const item = await getCompanyItem(actor.accountId, companyId, true);
    if (!item) throw new NotFound('The company');
    const [members, portal] = await Promise.all([
      queryAll({ partition: { name: 'pk', value: companyKeys.members(actor.accountId, companyId) } }),
      db.send(new GetCommand({ TableName: tableName, Key: portalKeys.item(actor.accountId, companyId), ConsistentRead: true })).then((o) => o.Item),
    ]);
    // The company's portal goes with it, and its slug and support address are free again.
    const portalWrites: TransactItem[] = portal
      ? [
          { Delete: { TableName: tableName, Key: portalKeys.item(actor.accountId, companyId) } },
          { Delete: { TableName: tableName, Key: portalKeys.slug(portal.slug as string) } },
          { Delete: { TableName: tableName, Key: portalKeys.supportEmail(portal.supportEmail as string) } },
        ]
      : [];
    const memberWrites = members.flatMap((m) => {
      const memberType = m.memberType as MemberType;
      const key = m.memberKey as Member['key'];
      const membership = { Delete: { TableName: tableName, Key: { pk: m.pk as string, sk: m.sk as string } } };
      if (memberType === 'CONTACT') return [contactLosesCompany(actor.accountId, m.memberId as string, companyId), membership];
      return [
        guard(
          {
            Update: {
              TableName: tableName,
              Key: key,
              // updatedAt moves too, so a concurrent edit of the member that read the old list fails its condition.
              UpdateExpression: 'DELETE companyIds :company SET updatedAt = :now',
              ConditionExpression: 'contains(companyIds, :id) AND size(companyIds) > :one',
              ExpressionAttributeValues: { ':company': new Set([companyId]), ':id': companyId, ':one': 1, ':now': new Date().toISOString() },
            },
          },
          () => companyRequired(`The company is the only company of ${memberType === 'USER' ? 'a user' : 'a device'} (${m.memberId as string}).`),
        ),
        membership,
        // A user's contact lists the user's companies.
        ...(memberType === 'USER' ? [contactLosesCompany(actor.accountId, userContactId(m.memberId as string), companyId)] : []),
        // A device's copies in its other companies list its companies too.
        ...otherInventoryCopies(actor.accountId, m).map((key) => ({
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET device.companyIds = :remaining',
            ExpressionAttributeValues: { ':remaining': (m.device as { companyIds: string[] }).companyIds.filter((id) => id !== companyId) },
          },
        })),
      ];
    });
    const ownWrites = [
      guard(
        {
          Delete: {
            TableName: tableName,
            Key: companyKeys.item(actor.accountId, companyId),
            ConditionExpression: 'membershipVersion = :seen',
            ExpressionAttributeValues: { ':seen': item.membershipVersion },
          },
        },
        () => new MembershipChanged(),
      ),
      companyRemoved(actor.accountId),
      { Delete: { TableName: tableName, Key: settingsKeys.company(actor.accountId, companyId) } },
      ...portalWrites,
    ];
    const changes: Change[] = [{ resourceType: 'company', resourceId: companyId, action: 'delete', fields: { name: { from: item.name, to: null } } }];
    // One transaction: the members' writes get what the company's own writes and audit record leave.
    if (memberWrites.length > maxTransactionItems - ownWrites.length - changes.length) {
      throw new Conflict(`The company has ${members.length} users, devices and contacts; move some to other companies before deleting it.`);
    }
    try {
      await commitChanges(actor, [...ownWrites, ...memberWrites], changes);
      return;
    } catch (err) {
      if (!(err instanceof MembershipChanged)) throw err;
    }
  }
  throw new Conflict('The company changed while it was being deleted; try again.');
}

class MembershipChanged extends Error {}

function otherInventoryCopies(accountId: string, member: Record<string, unknown>) {
  const device = member.device as { companyIds: string[] } | undefined;
  if (!device) return [];
  return device.companyIds.filter((id) => id !== member.companyId).map((id) => companyKeys.member(accountId, id, 'DEVICE', member.memberId as string));
}
