import { defineEntity } from '../db/entity.js';
import type { Condition } from '../db/expressions.js';
import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import { queryAllPages, queryPage, type Page, type PageRequest, type QuerySpec } from '../db/pagination.js';
import { tableDefinition } from '../db/table.js';
import type { ContactRecord } from './contacts.js';
import type { Urgency } from './schema.js';

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

/** Name order, case-insensitive; the id keeps equal names apart (and makes a cursor exact). */
export function peopleOrder(contact: { id: string; name: string }): string {
  return `${contact.name.toLowerCase()}#${contact.id}`;
}

export const userContactId = (userId: string) => `con_${userId}`;

/** A contact as stored: `companyIds` is a string set, absent when empty. */
export type ContactItem = Omit<ContactRecord, 'companyIds'> & { companyIds?: Set<string> };

export const contactEntity = defineEntity<ContactItem>()({
  type: 'contact',
  partition: (c: { accountId: string }) => accountPartition(c.accountId),
  sort: (c: { id: string }) => entityKey('CONTACT', c.id),
  keyOnly: ['accountId'],
  versioned: true,
  indexes: {
    byName: {
      index: 'gsi1',
      partition: (c: { accountId: string }) => accountCollection(c.accountId, 'CONTACTS'),
      sort: (c: { id: string; name: string }) => peopleOrder(c),
    },
  },
});

/** What a people entry carries besides its place in the list. */
export interface PeopleEntryRecord {
  contactId: string;
  /** The urgencies at which the contact takes alerts: a string set, absent when none. */
  alertUrgencies?: Set<Urgency>;
}

/** The entry's place in a people list: its contact's name order (the name itself is not stored). */
const peopleSort = (e: { contactId?: string | undefined; contactName?: string | undefined }) =>
  peopleOrder({ id: e.contactId ?? '', name: e.contactName ?? '' });

/**
 * The company's people list: the `people` index of the company's member entries (declared with
 * the member entity, shared/companies/entities.ts; only users' and contacts' entries are on it).
 */
export const companyPeopleIndex = {
  index: 'gsi1',
  partition: (m: { accountId: string; companyId: string }) => accountCollection(m.accountId, 'PEOPLE', 'CO', m.companyId),
  sort: peopleSort,
  when: (m: { contactId?: string | undefined }) => m.contactId !== undefined,
} as const;

const everywherePeopleIndex = {
  index: 'gsi1',
  partition: (e: { accountId: string }) => accountCollection(e.accountId, 'PEOPLE', 'ALL'),
  sort: peopleSort,
} as const;

/** The account-wide entry of a contact scoped to "all", or of an administrator (`A#<acc>#PEOPLE#ALL`). */
export const everywhereEntryEntity = defineEntity<PeopleEntryRecord>()({
  type: 'contact_access',
  partition: everywherePeopleIndex.partition,
  sort: (e: { contactId: string }) => entityKey('CONTACT', e.contactId),
  keyOnly: ['accountId', 'contactName'],
  indexes: { people: everywherePeopleIndex },
});

// Reading the people lists. The merge of a company's two lists and its cursor need each entry's
// place in its list, the index's sort key, which an entity query does not hand back (the entry does
// not store the name it is ordered by): so these two read the index themselves.

/** A company's own people list, or the account-wide one (`companyId` null). */
export interface PeopleList {
  accountId: string;
  companyId: string | null;
}

/** An entry of a people list: its contact and its place in the list. */
export interface PeopleEntry {
  contactId: string;
  order: string;
}

function peopleQuery(list: PeopleList, options: { after?: string | undefined; filter?: Condition | undefined }): QuerySpec & { sortName: string } {
  const { index, partition } =
    list.companyId === null
      ? { index: everywherePeopleIndex.index, partition: everywherePeopleIndex.partition(list) }
      : { index: companyPeopleIndex.index, partition: companyPeopleIndex.partition({ accountId: list.accountId, companyId: list.companyId }) };
  const gsi = tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === index);
  if (!gsi) throw new Error(`No index ${index}`);
  return {
    index: gsi.indexName,
    partition: { name: gsi.partitionKey, value: partition },
    sortName: gsi.sortKey,
    range: options.after === undefined ? undefined : { gt: options.after },
    filter: options.filter,
  };
}

const toEntry =
  (sortName: string) =>
  (record: Record<string, unknown>): PeopleEntry => ({
    contactId: everywhereEntryEntity.parse(record).contactId,
    order: String(record[sortName]),
  });

/** One page of a people list, after a place in it. */
export function peoplePage(list: PeopleList, page: PageRequest, after?: string): Promise<Page<PeopleEntry>> {
  const query = peopleQuery(list, { after });
  return queryPage(query, page, toEntry(query.sortName));
}

/** A whole people list (narrowed by `filter`): for the entries that take an alert. */
export async function peopleAll(list: PeopleList, filter?: Condition): Promise<PeopleEntry[]> {
  const query = peopleQuery(list, { filter });
  return (await queryAllPages(query)).map(toEntry(query.sortName));
}
