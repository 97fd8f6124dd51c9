import { batchGetRecords, defineEntity } from '../db/entity.js';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { tableDefinition } from '../db/table.js';
import type { EmailClaim } from './emails.js';
import type { SeatModule, UserRecord } from './users.js';

export interface SeatRecord {
  module: SeatModule;
  userId: string;
  since: string;
}

/** One item per seat held: `SEAT#<module>#<userId>` in the account partition. */
export const seatEntity = defineEntity<SeatRecord>()({
  type: 'seat',
  partition: (s: { accountId: string }) => accountPartition(s.accountId),
  sort: (s: { module: SeatModule; userId: string }) => entityKey('SEAT', `${s.module}#${s.userId}`),
  keyOnly: ['accountId'],
});

/** A user as stored: company ids and seats are string sets, changed by value (no seat: no set). */
export interface StoredUser extends Omit<UserRecord, 'companyIds' | 'seats'> {
  companyIds: Set<string>;
  seats?: Set<SeatModule>;
}

/** A staff user: `USER#<id>` in the account partition. */
export const userEntity = defineEntity<StoredUser>()({
  type: 'user',
  partition: (u: { accountId: string }) => accountPartition(u.accountId),
  sort: (u: { id: string }) => entityKey('USER', u.id),
  sortPrefix: entityPrefix('USER'),
  keyOnly: ['accountId'],
  versioned: true,
});

/**
 * The claim of an email address in an account, by a user or an end user: `EMAIL#<lower-cased
 * address>` in the account partition. The address is only in the key.
 */
export const emailClaimEntity = defineEntity<EmailClaim>()({
  type: 'email_claim',
  partition: (c: { accountId: string }) => accountPartition(c.accountId),
  sort: (c: { email: string }) => entityKey('EMAIL', c.email.toLowerCase()),
  keyOnly: ['accountId', 'email'],
});

/**
 * The claims of several addresses in one batch read, by lower-cased address. The address is only
 * in the key, which the layer's `getMany` does not hand back, so the records are matched by key here.
 */
export async function emailClaimsOf(accountId: string, emails: string[], consistent: boolean): Promise<Map<string, EmailClaim>> {
  if (emails.length === 0) return new Map();
  const bySortKey = new Map(emails.map((email) => [emailClaimEntity.sortKey({ email }), email.toLowerCase()]));
  const keys = [...new Set(emails.map((email) => email.toLowerCase()))].map((email) => emailClaimEntity.key({ accountId, email }));
  const records = await batchGetRecords(keys, consistent);
  return new Map(records.map((record) => [bySortKey.get(String(record[tableDefinition.sortKey])) ?? '', emailClaimEntity.parse(record)]));
}
