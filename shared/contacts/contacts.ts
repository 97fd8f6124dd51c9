import type { Page, PageRequest } from '../db/pagination.js';
import { batchGetRecords } from '../db/entity.js';
import type { WriteAction } from '../db/transaction.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { changedFields, commitChanges, type Actor, type Change } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { zodDetails } from '../http/validation.js';
import { joinCompany, leaveCompany, membershipPut, type Member } from '../companies/companies.js';
import { companyEntity, companyMemberEntity } from '../companies/entities.js';
import { requireCompany, sharedCompanies, visibleCompanyFilter } from '../companies/access.js';
import { contactEntity, peopleAll, peoplePage, type ContactItem, type PeopleEntry } from './entities.js';
import { alertUrgencies, companyPeopleEntry, deleteEverywhereEntry, putEverywhereEntry } from './people.js';
import {
  methodFields,
  urgencies,
  type CreateContactInput,
  type CreateRuleInput,
  type MethodInput,
  type MethodType,
  type RuleUse,
  type UpdateContactInput,
  type UpdateMethodInput,
  type Urgency,
} from './schema.js';

export interface ContactMethod {
  id: string;
  type: MethodType;
  address: string;
  label: string | null;
}

export interface NotificationRule {
  id: string;
  methodId: string;
  use: RuleUse;
  /** Empty for reports. */
  urgencies: Urgency[];
}

export interface Contact {
  id: string;
  name: string;
  kind: 'contact' | 'user';
  userId?: string;
  companies: 'all' | string[];
  methods: ContactMethod[];
  rules: NotificationRule[];
  createdAt: string;
  updatedAt: string;
}

/** A contact with its company list sorted (stored as a string set: `ContactItem`); `version` guards read-modify-write. */
export interface ContactRecord extends Omit<Contact, 'companies'> {
  allCompanies: boolean;
  companyIds: string[];
  /** On a user's contact: the method that carries the user's own address, kept in step with it. */
  userEmailMethodId?: string;
  version: number;
}

/** Bounds that keep a contact one small item. */
const maxMethods = 20;
const maxRules = 50;

const changedMeanwhile = () => new Conflict('The contact changed meanwhile; try again.');

export function putContact(accountId: string, contact: ContactRecord, condition: 'new' | { seen: number }): WriteAction {
  const { companyIds, ...rest } = contact;
  return contactEntity.putAction(
    { ...rest, accountId, ...(companyIds.length ? { companyIds: new Set(companyIds) } : {}) },
    { ...(condition === 'new' ? { ifNew: true } : { ifVersion: condition.seen }), onFail: changedMeanwhile },
  );
}

/** A transaction part that requires the contact to be still as read: what was checked on it holds. */
export function contactUnchanged(accountId: string, contact: ContactRecord, onFail: () => Error = changedMeanwhile): WriteAction {
  return contactEntity.checkAction({ accountId, id: contact.id }, { path: 'version', eq: contact.version }, onFail);
}

function fromContactItem(item: ContactItem): ContactRecord {
  return { ...item, companyIds: [...(item.companyIds ?? [])].sort() };
}

export function toContact(record: ContactRecord): Contact {
  const { id, name, kind, userId, allCompanies, companyIds, methods, rules, createdAt, updatedAt } = record;
  return { id, name, kind, ...(userId ? { userId } : {}), companies: allCompanies ? 'all' : companyIds, methods, rules, createdAt, updatedAt };
}

/**
 * What a principal may see of a contact: administrators everything; technicians contacts for all
 * companies or for one of theirs, and of a company list only the companies they share.
 */
function visibleTo(principal: Principal, record: ContactRecord): Contact | undefined {
  const contact = toContact(record);
  if (contact.companies === 'all') return contact;
  const companies = sharedCompanies(principal, contact.companies);
  return companies && { ...contact, companies };
}

export async function getContactRecord(accountId: string, contactId: string, consistent = false): Promise<ContactRecord | undefined> {
  const item = await contactEntity.get({ accountId, id: contactId }, { consistent });
  return item && fromContactItem(item);
}

async function requireContact(accountId: string, contactId: string): Promise<ContactRecord> {
  const record = await getContactRecord(accountId, contactId, true);
  if (!record) throw new NotFound('The contact');
  return record;
}

export async function getContact(principal: Principal, contactId: string): Promise<Contact> {
  const record = await getContactRecord(principal.accountId, contactId);
  const contact = record && visibleTo(principal, record);
  if (!contact) throw new NotFound('The contact');
  return contact;
}

/** Name order, one Query per page; a technician's page holds only contacts they may see. */
export async function listContacts(principal: Principal, page: PageRequest): Promise<Page<Contact>> {
  const narrow = visibleCompanyFilter(principal, 'companyIds', true);
  const result = await contactEntity.queryIndexPage('byName', { accountId: principal.accountId }, page, {
    ...(narrow && { filter: { or: [{ path: 'allCompanies', eq: true }, narrow] } }),
  });
  return { ...result, items: result.items.map((c) => visibleTo(principal, fromContactItem(c))).filter((c): c is Contact => c !== undefined) };
}

// A company's contacts: its own people entries merged with the account-wide ones, in name order.

/** DynamoDB orders sort keys by UTF-8 bytes; the merge must agree with it, not with UTF-16. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Two lists sorted by `order` → one, without repeats (an administrator is in both). */
function mergePeople(a: PeopleEntry[], b: PeopleEntry[]): PeopleEntry[] {
  const seen = new Set<string>();
  return [...a, ...b].sort((x, y) => byteOrder(x.order, y.order)).filter((e) => !seen.has(e.contactId) && seen.add(e.contactId));
}

/** The cursor names the company and the last name-order key served; both partitions resume after it. */
function encodePeopleCursor(companyId: string, after: string): string {
  return Buffer.from(JSON.stringify({ companyId, after })).toString('base64url');
}

function decodePeopleCursor(cursor: string, companyId: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { companyId?: unknown; after?: unknown } | null;
    // `after` becomes a sort-key bound: DynamoDB refuses an empty one or one over 1024 bytes.
    const { after } = value ?? {};
    if (value?.companyId === companyId && typeof after === 'string' && after.length > 0 && Buffer.byteLength(after) <= 1024) return after;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed('The cursor is not valid.', [{ path: 'cursor', message: 'Invalid cursor' }]);
}

/**
 * The contacts with access to a company and every user with access to it, by name. Each page is
 * one Query of each people partition (in parallel, `limit + 1` entries each, so whether more
 * follow is known exactly) and one batch read of those contacts.
 */
export async function listCompanyContacts(principal: Principal, companyId: string, page: PageRequest): Promise<Page<Contact>> {
  requireCompany(principal, companyId);
  const { accountId } = principal;
  const after = page.cursor ? decodePeopleCursor(page.cursor, companyId) : undefined;
  const lookahead = { limit: page.limit + 1 };
  const [own, everywhere] = await Promise.all([
    peoplePage({ accountId, companyId }, lookahead, after),
    peoplePage({ accountId, companyId: null }, lookahead, after),
  ]);
  const merged = mergePeople(own.items, everywhere.items);
  const entries = merged.slice(0, page.limit);
  // The company's own entries exist only while it does (they go in its delete's transaction), so
  // the account-wide entries alone cannot tell an unknown company: only then is the company read too.
  // The company (when it must be checked) and the contacts come in one batch read.
  const checkCompany = own.items.length === 0;
  const records = await batchGetRecords(
    [...(checkCompany ? [companyEntity.key({ accountId, id: companyId })] : []), ...entries.map((e) => contactEntity.key({ accountId, id: e.contactId }))],
    false,
  );
  if (checkCompany && !records.some((r) => companyEntity.owns(r))) throw new NotFound('The company');
  const contacts = records.filter((r) => contactEntity.owns(r)).map((r) => fromContactItem(contactEntity.parse(r)));
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return {
    items: entries
      .map((e) => byId.get(e.contactId))
      .map((c) => c && visibleTo(principal, c))
      .filter((c): c is Contact => c !== undefined),
    nextCursor: merged.length > page.limit ? encodePeopleCursor(companyId, entries.at(-1)!.order) : null,
  };
}

// Administrators' changes to contacts.

const asMember = (accountId: string, contactId: string): Member => ({ type: 'CONTACT', id: contactId, key: contactEntity.key({ accountId, id: contactId }) });

const unknownCompany = (companyId: string) =>
  new ValidationFailed('A company does not exist.', [{ path: 'companies', message: `Unknown company ${companyId}` }]);

/** Joining a company that must exist; the membership item is the contact's entry in the company's list. */
function joinAsContact(accountId: string, companyId: string, contact: ContactRecord) {
  return joinCompany(accountId, companyId, asMember(accountId, contact.id), companyPeopleEntry(accountId, companyId, contact)).map(
    (action): WriteAction => ({ ...action, failure: () => unknownCompany(companyId) }),
  );
}

/** An entry shows the contact's name and alert urgencies: either changing means rewriting it. */
const entryChanged = (before: ContactRecord, after: ContactRecord) =>
  before.name !== after.name || alertUrgencies(before.rules).join() !== alertUrgencies(after.rules).join();

/** The entry writes that take a contact from one scope (name, alert urgencies) to another. */
function scopeWrites(accountId: string, before: ContactRecord | undefined, after: ContactRecord | undefined): WriteAction[] {
  const wasEverywhere = before?.allCompanies ?? false;
  const isEverywhere = after?.allCompanies ?? false;
  const changed = before !== undefined && after !== undefined && entryChanged(before, after);
  const beforeIds = before && !wasEverywhere ? before.companyIds : [];
  const afterIds = after && !isEverywhere ? after.companyIds : [];
  const contactId = (after ?? before)!.id;
  return [
    ...(isEverywhere && (!wasEverywhere || changed) ? [putEverywhereEntry(accountId, after!)] : []),
    ...(wasEverywhere && !isEverywhere ? [deleteEverywhereEntry(accountId, contactId)] : []),
    ...afterIds.filter((id) => !beforeIds.includes(id)).flatMap((id) => joinAsContact(accountId, id, after!)),
    ...beforeIds.filter((id) => !afterIds.includes(id)).flatMap((id) => leaveCompany(accountId, id, { type: 'CONTACT', id: contactId })),
    ...(changed
      ? afterIds
          .filter((id) => beforeIds.includes(id))
          .map((id) => membershipPut(accountId, id, asMember(accountId, contactId), companyPeopleEntry(accountId, id, after!)))
      : []),
  ];
}

/**
 * A user's contact is in the lists through the user's memberships (the users module writes them)
 * and, for an administrator, the account-wide entry; its methods and rules change only the alert
 * urgencies those carry.
 */
function userEntryWrites(accountId: string, before: ContactRecord, after: ContactRecord): WriteAction[] {
  if (!entryChanged(before, after)) return [];
  const urgencies = alertUrgencies(after.rules);
  return [
    ...after.companyIds.map((companyId) =>
      companyMemberEntity.updateAction(
        { accountId, companyId, memberType: 'USER', memberId: after.userId! },
        { set: { alertUrgencies: urgencies.length ? new Set(urgencies) : undefined } },
        { condition: { itemExists: true }, onFail: () => new Conflict("The user's company access changed meanwhile; try again.") },
      ),
    ),
    ...(after.allCompanies ? [putEverywhereEntry(accountId, after)] : []),
  ];
}

const auditFields = (before: Contact | undefined, after: Contact | undefined) =>
  changedFields((before ?? {}) as Contact, (after ?? {}) as Contact, ['name', 'companies', 'methods', 'rules']);

export const contactChange = (action: Change['action'], before: ContactRecord | undefined, after: ContactRecord | undefined): Change => ({
  resourceType: 'contact',
  resourceId: (after ?? before)!.id,
  action,
  fields: auditFields(before && toContact(before), after && toContact(after)),
});

function scopeOf(companies: CreateContactInput['companies']): Pick<ContactRecord, 'allCompanies' | 'companyIds'> {
  return companies === 'all' ? { allCompanies: true, companyIds: [] } : { allCompanies: false, companyIds: [...new Set(companies)].sort() };
}

export async function createContact(actor: Actor, input: CreateContactInput): Promise<Contact> {
  const now = new Date().toISOString();
  const contact: ContactRecord = {
    id: newId('con'),
    name: input.name,
    kind: 'contact',
    ...scopeOf(input.companies),
    methods: [],
    rules: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await commitChanges(
    actor,
    [putContact(actor.accountId, contact, 'new'), ...scopeWrites(actor.accountId, undefined, contact)],
    [contactChange('create', undefined, contact)],
  );
  return toContact(contact);
}

/** A user's contact follows the user: its name through /v1/me, its companies through the user's access. */
export async function updateContact(actor: Actor, contactId: string, input: UpdateContactInput): Promise<Contact> {
  const current = await requireContact(actor.accountId, contactId);
  if (current.kind === 'user') {
    throw new Forbidden("A user's contact takes its name from the user (changed only through /v1/me) and its companies from the user's access.");
  }
  const next: ContactRecord = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.companies !== undefined ? scopeOf(input.companies) : {}),
  };
  return saveContact(actor, current, next);
}

export async function deleteContact(actor: Actor, contactId: string): Promise<void> {
  const current = await requireContact(actor.accountId, contactId);
  if (current.kind === 'user') throw new Forbidden("A user's contact goes only with the user.");
  await commitChanges(
    actor,
    [
      contactEntity.deleteAction({ accountId: actor.accountId, id: contactId }, { ifVersion: current.version, onFail: changedMeanwhile }),
      ...scopeWrites(actor.accountId, current, undefined),
    ],
    [contactChange('delete', current, undefined)],
  );
}

/** A transaction holds at most 100 items: the contact, its audit record, and what its entries need. */
const maxEntryWrites = 98;

/** Writes `next` over `current` (if anything changed), with its entries in the same transaction. */
async function saveContact(actor: Actor, current: ContactRecord, next: ContactRecord): Promise<Contact> {
  const change = contactChange('update', current, next);
  if (Object.keys(change.fields ?? {}).length === 0) return toContact(current);
  const entries = current.kind === 'user' ? userEntryWrites(actor.accountId, current, next) : scopeWrites(actor.accountId, current, next);
  if (entries.length > maxEntryWrites) {
    throw new ValidationFailed('This change moves the contact between too many companies at once.', [
      { path: 'companies', message: 'Add or remove fewer companies at a time' },
    ]);
  }
  const saved: ContactRecord = { ...next, version: current.version + 1, updatedAt: new Date().toISOString() };
  await commitChanges(actor, [putContact(actor.accountId, saved, { seen: current.version }), ...entries], [change]);
  return toContact(saved);
}

// Contact methods and notification rules: part of the contact's item, changed with its version.

/** Two methods are the same when type and address are (email addresses compared case-insensitively). */
export const sameMethod = (a: Pick<ContactMethod, 'type' | 'address'>, b: Pick<ContactMethod, 'type' | 'address'>) =>
  a.type === b.type && (a.type === 'email' ? a.address.toLowerCase() === b.address.toLowerCase() : a.address === b.address);

function refuseDuplicate(methods: ContactMethod[], candidate: Omit<ContactMethod, 'id'>, exceptId?: string) {
  if (methods.some((m) => m.id !== exceptId && sameMethod(m, candidate))) {
    throw new Conflict('This contact already has that method.', 'conflict', [{ path: 'address', message: 'Already a method of this contact' }]);
  }
}

function findMethod(contact: ContactRecord, methodId: string): ContactMethod {
  const method = contact.methods.find((m) => m.id === methodId);
  if (!method) throw new NotFound('The contact method');
  return method;
}

export async function addMethod(actor: Actor, contactId: string, input: MethodInput): Promise<ContactMethod> {
  const current = await requireContact(actor.accountId, contactId);
  if (current.methods.length >= maxMethods) throw new Conflict(`A contact has at most ${maxMethods} methods.`);
  refuseDuplicate(current.methods, input);
  const method: ContactMethod = { id: newId('mth'), type: input.type, address: input.address, label: input.label };
  await saveContact(actor, current, { ...current, methods: [...current.methods, method] });
  return method;
}

/** The address of a user's own email method is the user's email: only the user changes it (/v1/me). */
export async function updateMethod(actor: Actor, contactId: string, methodId: string, input: UpdateMethodInput): Promise<ContactMethod> {
  const current = await requireContact(actor.accountId, contactId);
  const method = findMethod(current, methodId);
  const { id: _id, ...stored } = method;
  const parsed = methodFields.safeParse({ ...stored, ...input });
  if (!parsed.success) throw new ValidationFailed('The contact method is not valid.', zodDetails(parsed.error));
  const next: ContactMethod = { id: methodId, ...parsed.data };
  if (methodId === current.userEmailMethodId && (next.type !== method.type || next.address !== method.address)) {
    throw new Forbidden("This method is the user's own email address; only the user changes it, through /v1/me.");
  }
  refuseDuplicate(current.methods, next, methodId);
  await saveContact(actor, current, { ...current, methods: current.methods.map((m) => (m.id === methodId ? next : m)) });
  return next;
}

/** Deleting a method deletes the rules that send to it, in the same write. */
export async function deleteMethod(actor: Actor, contactId: string, methodId: string): Promise<void> {
  const current = await requireContact(actor.accountId, contactId);
  findMethod(current, methodId);
  if (methodId === current.userEmailMethodId) throw new Forbidden("This method is the user's own email address; it goes only with the user.");
  await saveContact(actor, current, {
    ...current,
    methods: current.methods.filter((m) => m.id !== methodId),
    rules: current.rules.filter((r) => r.methodId !== methodId),
  });
}

export async function addRule(actor: Actor, contactId: string, input: CreateRuleInput): Promise<NotificationRule> {
  const current = await requireContact(actor.accountId, contactId);
  if (!current.methods.some((m) => m.id === input.methodId)) {
    throw new ValidationFailed('A rule sends to one of its own contact’s methods.', [{ path: 'methodId', message: 'Not a method of this contact' }]);
  }
  if (current.rules.length >= maxRules) throw new Conflict(`A contact has at most ${maxRules} rules.`);
  const rule: NotificationRule = {
    id: newId('rul'),
    methodId: input.methodId,
    use: input.use,
    urgencies: input.use === 'alert' ? urgencies.filter((u) => input.urgencies?.includes(u)) : [],
  };
  await saveContact(actor, current, { ...current, rules: [...current.rules, rule] });
  return rule;
}

export async function deleteRule(actor: Actor, contactId: string, ruleId: string): Promise<void> {
  const current = await requireContact(actor.accountId, contactId);
  if (!current.rules.some((r) => r.id === ruleId)) throw new NotFound('The rule');
  await saveContact(actor, current, { ...current, rules: current.rules.filter((r) => r.id !== ruleId) });
}

// Who receives alerts and reports.

export interface Recipient {
  contactId: string;
  methodId: string;
  type: MethodType;
  address: string;
}

/** Each method whose rules match, once. */
function matchingMethods(contact: ContactRecord, matches: (rule: NotificationRule) => boolean): Recipient[] {
  const methodIds = new Set(contact.rules.filter(matches).map((r) => r.methodId));
  return contact.methods.filter((m) => methodIds.has(m.id)).map((m) => ({ contactId: contact.id, methodId: m.id, type: m.type, address: m.address }));
}

/**
 * The methods an alert of this urgency for the company goes to: of every contact with access to
 * the company (users included), those whose rules say `alert` at that urgency. Reads the company's
 * and the account-wide people entries that take this urgency (index queries), then only those
 * contacts (one batch read).
 */
export async function alertRecipients(accountId: string, companyId: string, urgency: Urgency): Promise<Recipient[]> {
  const takesUrgency = { path: 'alertUrgencies', contains: urgency };
  const [own, everywhere] = await Promise.all([peopleAll({ accountId, companyId }, takesUrgency), peopleAll({ accountId, companyId: null }, takesUrgency)]);
  const entries = mergePeople(own, everywhere);
  const found = await contactEntity.getMany(entries.map((e) => ({ accountId, id: e.contactId })));
  const contacts = new Map(found.map((item) => [item.id, fromContactItem(item)]));
  return entries.flatMap((e) => {
    const contact = contacts.get(e.contactId);
    return contact ? matchingMethods(contact, (r) => r.use === 'alert' && r.urgencies.includes(urgency)) : [];
  });
}

/** The methods of a contact whose rules say `report`: where its scheduled reports go. */
export async function reportRecipients(accountId: string, contactId: string): Promise<Recipient[]> {
  const contact = await getContactRecord(accountId, contactId);
  return contact ? matchingMethods(contact, (r) => r.use === 'report') : [];
}
