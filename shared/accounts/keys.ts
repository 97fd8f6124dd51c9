import { accountPartition } from '../db/keys.js';

/**
 * The account item sits in the account partition; the slug claim is the one key outside any
 * account, since a slug must be unique across all of them.
 */
export const accountKeys = {
  item: (accountId: string) => ({ pk: accountPartition(accountId), sk: 'ACCOUNT' }),
  slug: (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' }),
};
