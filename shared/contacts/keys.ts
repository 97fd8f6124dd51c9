import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import { tableName, type TransactItem } from '../db/client.js';
import { guard, type GuardedWrite } from '../audit/audit.js';
import { Conflict } from '../errors.js';
import { urgencies, type RuleUse, type Urgency } from './schema.js';

/**
 * Contacts and who they are reachable for (docs/table-design.md):
 *
 * - The contact itself sits in the account partition (`CONTACT#<id>`); `byName` (gsi1) lists the
 *   account's contacts in name order.
 * - A company's contacts list is the `people` index (gsi1) of two partitions, both in name order:
 *   the company's own (`A#<acc>#PEOPLE#CO#<companyId>`) and the account-wide one
 *   (`A#<acc>#PEOPLE#ALL`). The company's entries are its member items (`A#<acc>#CO#<id>`:
 *   `CONTACT#<id>` for contacts scoped to it, `USER#<id>` for every user with it in their company
 *   list), so joining and leaving a company keeps the list right in the same transaction and a
 *   company delete sees them. The account-wide partition holds one entry per contact scoped to
 *   "all" and per administrator: no write per company, and companies created later are covered.
 *   An administrator is in both (their membership and the account-wide entry); readers drop the repeat.
 * - Every entry carries the urgencies the contact takes alerts at (`alertUrgencies`), so finding an
 *   alert's recipients reads only the contacts that asked for it.
 *
 * A user's contact has an id derived from the user's, so user changes reach it without a lookup.
 */
export const contactKeys = {
  item: (accountId: string, contactId: string) => ({ pk: accountPartition(accountId), sk: entityKey('CONTACT', contactId) }),
  byName: (accountId: string, contact: { id: string; name: string }) => ({
    gsi1pk: accountCollection(accountId, 'CONTACTS'),
    gsi1sk: peopleOrder(contact),
  }),
  everywhere: (accountId: string) => accountCollection(accountId, 'PEOPLE', 'ALL'),
  everywhereEntry: (accountId: string, contactId: string) => ({ pk: contactKeys.everywhere(accountId), sk: entityKey('CONTACT', contactId) }),
  companyPeople: (accountId: string, companyId: string) => accountCollection(accountId, 'PEOPLE', 'CO', companyId),
};

/** Name order, case-insensitive; the id keeps equal names apart (and makes a cursor exact). */
export function peopleOrder(contact: { id: string; name: string }): string {
  return `${contact.name.toLowerCase()}#${contact.id}`;
}

export const userContactId = (userId: string) => `con_${userId}`;

/** What an entry needs to know of its contact. */
export interface PeopleCard {
  id: string;
  name: string;
  rules: { use: RuleUse; urgencies: Urgency[] }[];
}

/** The urgencies at which a contact takes alerts, in canonical order. */
export function alertUrgencies(rules: PeopleCard['rules']): Urgency[] {
  return urgencies.filter((u) => rules.some((r) => r.use === 'alert' && r.urgencies.includes(u)));
}

/** `alertUrgencies` as stored on an entry: a string set, absent when empty. */
export function alertUrgenciesAttribute(contact: PeopleCard): Record<string, Set<string>> {
  const set = alertUrgencies(contact.rules);
  return set.length ? { alertUrgencies: new Set(set) } : {};
}

/** What a company member item carries to appear in the company's contacts list. */
export function companyPeopleEntry(accountId: string, companyId: string, contact: PeopleCard): Record<string, unknown> {
  return { gsi1pk: contactKeys.companyPeople(accountId, companyId), gsi1sk: peopleOrder(contact), contactId: contact.id, ...alertUrgenciesAttribute(contact) };
}

/** The account-wide entry of a contact scoped to "all", or of an administrator. */
export function putEverywhereEntry(accountId: string, contact: PeopleCard): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...contactKeys.everywhereEntry(accountId, contact.id),
        gsi1pk: contactKeys.everywhere(accountId),
        gsi1sk: peopleOrder(contact),
        type: 'contact_access',
        contactId: contact.id,
        ...alertUrgenciesAttribute(contact),
      },
    },
  };
}

export function deleteEverywhereEntry(accountId: string, contactId: string): TransactItem {
  return { Delete: { TableName: tableName, Key: contactKeys.everywhereEntry(accountId, contactId) } };
}

/** A deleted company leaves a contact's company list (a contact may end up with none). */
export function contactLosesCompany(accountId: string, contactId: string, companyId: string): GuardedWrite {
  return guard(
    {
      Update: {
        TableName: tableName,
        Key: contactKeys.item(accountId, contactId),
        UpdateExpression: 'SET updatedAt = :now ADD version :one DELETE companyIds :company',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': new Date().toISOString(), ':one': 1, ':company': new Set([companyId]) },
      },
    },
    () => new Conflict('A contact changed meanwhile; try again.'),
  );
}
