import { defineEntity, type Key } from '../db/entity.js';
import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import { companyPeopleIndex } from '../contacts/entities.js';
import type { Urgency } from '../contacts/schema.js';
import type { Device } from '../devices/devices.js';

export interface CompanyRecord {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** Raised by every change of the company and of its membership: a delete that raced with one is detected. */
  version?: number;
}

/** A company, in the account partition; `byName` lists the account's companies in name order (it moves on rename). */
export const companyEntity = defineEntity<CompanyRecord>()({
  type: 'company',
  partition: (c: { accountId: string }) => accountPartition(c.accountId),
  sort: (c: { id: string }) => entityKey('COMPANY', c.id),
  keyOnly: ['accountId'],
  versioned: true,
  indexes: {
    byName: {
      index: 'gsi1',
      partition: (c: { accountId: string }) => accountCollection(c.accountId, 'COMPANIES'),
      sort: (c: { name: string; id: string }) => `${c.name.toLowerCase()}#${c.id}`,
    },
  },
});

export type MemberType = 'USER' | 'DEVICE' | 'CONTACT';

export interface MemberRecord {
  memberType: MemberType;
  memberId: string;
  /** The member's own item, as stored since memberships existed; nothing writes through it. */
  memberKey: Key;
  companyId: string;
  /** Users' and contacts' entries are in the company's people list (see shared/contacts/entities.ts). */
  contactId?: string;
  /** The urgencies at which the entry's contact takes alerts (a string set, absent when none). */
  alertUrgencies?: Set<Urgency>;
  /** A device's entry is the company's inventory copy of it: the device as of its last write. */
  device?: Device;
}

/**
 * One entry per user, device and contact of a company, in the company's member partition
 * (`A#<acc>#CO#<companyId>`, `<TYPE>#<memberId>`): what a company delete must update. An entry also
 * carries what its member's company-wide lists need: `people` (the company's contacts list in
 * name order, for users and contacts) and `byGroup` (the company's devices by group).
 */
export const companyMemberEntity = defineEntity<MemberRecord>()({
  type: 'membership',
  partition: (m: { accountId: string; companyId: string }) => accountCollection(m.accountId, 'CO', m.companyId),
  sort: (m: { memberType: MemberType; memberId: string }) => entityKey(m.memberType, m.memberId),
  // The contact's name orders the people list; the entry does not keep it.
  keyOnly: ['accountId', 'contactName'],
  indexes: {
    people: companyPeopleIndex,
    byGroup: {
      index: 'gsi2',
      partition: (m: { accountId: string; companyId: string; device?: { group: string } | undefined }) =>
        accountCollection(m.accountId, 'CO', m.companyId, 'GROUP', (m.device?.group ?? '').toLowerCase()),
      sort: (m: { memberId: string }) => entityKey('DEVICE', m.memberId),
      when: (m: { device?: object }) => m.device !== undefined,
    },
  },
});
