import { defineEntity } from '../db/entity.js';
import { accountPartition } from '../db/keys.js';
import type { Account } from './accounts.js';

export interface AccountRecord extends Account {
  /** Counters beside the account's view that keep its invariants: at least one company and one administrator. */
  companyCount: number;
  adminCount: number;
  version?: number;
}

/** The account item, in its own partition (`A#<acc>` / `ACCOUNT`). */
export const accountEntity = defineEntity<AccountRecord>()({
  type: 'account',
  partition: (a: { id: string }) => accountPartition(a.id),
  sort: () => 'ACCOUNT',
  versioned: true,
});

/** The claim that makes an account's slug unique across all accounts (`SLUG#<slug>`). */
export const slugClaimEntity = defineEntity<{ slug: string; accountId: string }>()({
  type: 'slug_claim',
  partition: (c: { slug: string }) => `SLUG#${c.slug}`,
  sort: () => 'SLUG',
  keyOnly: ['slug'],
});
