import type { WriteAction } from '../db/transaction.js';
import { Conflict } from '../errors.js';
import { newId } from '../ids.js';
import type { Change } from '../audit/audit.js';
import { companyMemberEntity } from '../companies/entities.js';
import { asViewer, companiesVisibleTo } from '../companies/access.js';
import type { User } from '../users/users.js';
import { contactChange, getContactRecord, putContact, sameMethod, type ContactRecord, type NotificationRule } from './contacts.js';
import { contactEntity, userContactId } from './entities.js';
import { companyPeopleEntry, deleteEverywhereEntry, putEverywhereEntry } from './people.js';

/**
 * Every user has a contact of kind `user`: the user's name, the companies the user can access
 * ("all" for administrators), and an email method with the user's address. The users module adds
 * these writes to its own transactions, so the contact never lags behind the user.
 */
export interface ContactWrites {
  writes: WriteAction[];
  changes: Change[];
}

const none: ContactWrites = { writes: [], changes: [] };

export const userContactName = (user: Pick<User, 'firstName' | 'lastName'>) => `${user.firstName} ${user.lastName}`;

const asContact = (user: Pick<User, 'id' | 'firstName' | 'lastName'>) => ({ id: userContactId(user.id), name: userContactName(user) });

/** A user's contact reaches the companies the user can see: all of them for administrators. */
const reachOf = (user: User) => companiesVisibleTo(asViewer(user));

/**
 * What a new user's membership item in a company carries: every user with access is among its
 * contacts. (A new user's contact takes no alerts yet.)
 */
export function userMembershipEntry(accountId: string, companyId: string, user: Pick<User, 'id' | 'firstName' | 'lastName'>) {
  return companyPeopleEntry(accountId, companyId, { ...asContact(user), rules: [] });
}

export function userContactCreated(accountId: string, user: User): ContactWrites {
  const emailMethod = { id: newId('mth'), type: 'email' as const, address: user.email, label: null };
  const contact: ContactRecord = {
    ...asContact(user),
    kind: 'user',
    userId: user.id,
    allCompanies: reachOf(user) === 'all',
    companyIds: user.companyIds,
    methods: [emailMethod],
    rules: [],
    userEmailMethodId: emailMethod.id,
    version: 1,
    createdAt: user.createdAt,
    updatedAt: user.createdAt,
  };
  return {
    writes: [putContact(accountId, contact, 'new'), ...(contact.allCompanies ? [putEverywhereEntry(accountId, contact)] : [])],
    changes: [contactChange('create', undefined, contact)],
  };
}

/**
 * A change of role or company access: administrators reach every company, technicians their own.
 * Also what the user's membership in a company joined now carries (the contact's alert urgencies
 * as read here; the write is conditional on the contact's version, so they cannot be stale).
 */
export async function userAccessChanged(
  accountId: string,
  before: User,
  after: User,
): Promise<ContactWrites & { membershipEntry: (companyId: string) => ReturnType<typeof companyPeopleEntry> }> {
  const wasEverywhere = reachOf(before) === 'all';
  const isEverywhere = reachOf(after) === 'all';
  const unchanged = wasEverywhere === isEverywhere && before.companyIds.join() === after.companyIds.join();
  const contactId = userContactId(after.id);
  const current = unchanged ? undefined : await getContactRecord(accountId, contactId, true);
  const card = { ...asContact(after), rules: current?.rules ?? [] };
  const membershipEntry = (companyId: string) => companyPeopleEntry(accountId, companyId, card);
  if (!current) return { ...none, membershipEntry };
  return {
    membershipEntry,
    writes: [
      contactEntity.updateAction(
        { accountId, id: contactId },
        { set: { allCompanies: isEverywhere, companyIds: new Set(after.companyIds), updatedAt: after.updatedAt } },
        { ifVersion: current.version, onFail: () => new Conflict("The user's contact changed meanwhile; try again.") },
      ),
      ...(isEverywhere && !wasEverywhere ? [putEverywhereEntry(accountId, card)] : []),
      ...(wasEverywhere && !isEverywhere ? [deleteEverywhereEntry(accountId, contactId)] : []),
    ],
    changes: [{ resourceType: 'contact', resourceId: contactId, action: 'update', fields: { companies: { from: reachOf(before), to: reachOf(after) } } }],
  };
}

/** The user's contact goes with the user; the company entries go with the user's memberships. */
export function userContactDeleted(accountId: string, user: User): ContactWrites {
  const contactId = userContactId(user.id);
  return {
    writes: [contactEntity.deleteAction({ accountId, id: contactId }), deleteEverywhereEntry(accountId, contactId)],
    changes: [{ resourceType: 'contact', resourceId: contactId, action: 'delete', fields: { name: { from: userContactName(user), to: null } } }],
  };
}

/**
 * The user changed their own name or email (`PATCH /v1/me`): the contact's name, its place in
 * every name-ordered list, and the address of the user's email method follow. Another email method
 * of the contact with the new address is merged into the user's (its rules move over), so the
 * contact never holds the same method twice.
 */
export async function userProfileChanged(accountId: string, before: User, after: User): Promise<ContactWrites> {
  const name = userContactName(after);
  if (name === userContactName(before) && after.email === before.email) return none;
  const current = await getContactRecord(accountId, userContactId(after.id), true);
  // A user from before contacts existed has none to keep in step.
  if (!current) return none;
  const own = current.userEmailMethodId;
  const address = { type: 'email' as const, address: after.email };
  const absorbed = new Set(current.methods.filter((m) => m.id !== own && sameMethod(m, address)).map((m) => m.id));
  const rules = dedupeRules(current.rules.map((r) => (absorbed.has(r.methodId) && own ? { ...r, methodId: own } : r)));
  const next: ContactRecord = {
    ...current,
    name,
    methods: current.methods.filter((m) => !absorbed.has(m.id)).map((m) => (m.id === own ? { ...m, address: after.email } : m)),
    rules,
    version: current.version + 1,
    updatedAt: after.updatedAt,
  };
  const renamed = name !== current.name;
  return {
    writes: [
      putContact(accountId, next, { seen: current.version }),
      ...(renamed && next.allCompanies ? [putEverywhereEntry(accountId, next)] : []),
      ...(renamed
        ? next.companyIds.map((companyId) =>
            // The entry moves to the new name's place in the company's people list.
            companyMemberEntity.updateAction(
              { accountId, companyId, memberType: 'USER', memberId: after.id },
              {},
              {
                indexes: { people: { accountId, companyId, contactId: next.id, contactName: next.name } },
                condition: { itemExists: true },
                onFail: () => new Conflict('Your company access changed meanwhile; try again.'),
              },
            ),
          )
        : []),
    ],
    changes: [contactChange('update', current, next)],
  };
}

function dedupeRules(rules: NotificationRule[]): NotificationRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = `${r.methodId}|${r.use}|${r.urgencies.join()}`;
    return !seen.has(key) && !!seen.add(key);
  });
}
