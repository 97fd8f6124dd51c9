import type { WriteAction } from '../db/transaction.js';
import { Conflict } from '../errors.js';
import { contactEntity, everywhereEntryEntity } from './entities.js';
import { urgencies, type RuleUse, type Urgency } from './schema.js';

/**
 * The people lists' entries (see entities.ts) and the contact writes other concepts' transactions
 * make: what a company member entry carries to be in its company's list, the account-wide entry,
 * and a company delete's change to its contacts.
 */

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

/** An entry's fields: the contact, and its alert urgencies as a string set (absent when empty). */
function entryFields(contact: PeopleCard): { contactId: string; contactName: string; alertUrgencies?: Set<Urgency> } {
  const set = alertUrgencies(contact.rules);
  return { contactId: contact.id, contactName: contact.name, ...(set.length ? { alertUrgencies: new Set(set) } : {}) };
}

/**
 * What a company member item carries to appear in the company's contacts list: the member entity's
 * `people` index places it by the contact's name (not stored).
 */
export function companyPeopleEntry(_accountId: string, _companyId: string, contact: PeopleCard) {
  return entryFields(contact);
}

/** The account-wide entry of a contact scoped to "all", or of an administrator. */
export function putEverywhereEntry(accountId: string, contact: PeopleCard): WriteAction {
  return everywhereEntryEntity.putAction({ accountId, ...entryFields(contact) });
}

export function deleteEverywhereEntry(accountId: string, contactId: string): WriteAction {
  return everywhereEntryEntity.deleteAction({ accountId, contactId });
}

/** A deleted company leaves a contact's company list (a contact may end up with none). */
export function contactLosesCompany(accountId: string, contactId: string, companyId: string): WriteAction {
  return contactEntity.updateAction(
    { accountId, id: contactId },
    { set: { updatedAt: new Date().toISOString() }, delete: { companyIds: new Set([companyId]) } },
    { condition: { itemExists: true }, onFail: () => new Conflict('A contact changed meanwhile; try again.') },
  );
}
