import { accountPartition, entityKey } from '../db/keys.js';

/**
 * A company's portal sits in the account partition. Its slug and support address are claimed by
 * items outside any account, since both must be unique across all accounts and are how a public
 * request (or an inbound email) finds its account.
 */
export const portalKeys = {
  item: (accountId: string, companyId: string) => ({ pk: accountPartition(accountId), sk: entityKey('PORTAL', companyId) }),
  slug: (slug: string) => ({ pk: `PORTAL#${slug}`, sk: 'PORTAL' }),
  supportEmail: (email: string) => ({ pk: `SUPPORT#${email.toLowerCase()}`, sk: 'SUPPORT' }),
  /** The company's current window of portal-request alerts (one alert delivered per window). */
  alertWindow: (accountId: string, companyId: string) => ({ pk: accountPartition(accountId), sk: entityKey('PORTALALERTS', companyId) }),
};
