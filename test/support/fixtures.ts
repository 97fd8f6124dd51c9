import { randomBytes } from 'node:crypto';
import type { TestApi } from './api.js';

export const password = 'correct horse battery staple';

export const uniqueSlug = (prefix = 'acct') => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface SignedUpAccount {
  slug: string;
  accountId: string;
  token: string;
  adminId: string;
  adminEmail: string;
  defaultCompanyId: string;
}

/** Signs up a fresh account through the API and returns what later steps need. */
export async function signUpAccount(api: TestApi, slug = uniqueSlug()): Promise<SignedUpAccount> {
  const adminEmail = `admin@${slug}.test`;
  const res = await api.call('POST', '/v1/accounts', {
    body: { name: `Account ${slug}`, slug, admin: { email: adminEmail, password, firstName: 'Ada', lastName: 'Admin' } },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    slug,
    accountId: res.body.account.id,
    token: res.body.token,
    adminId: res.body.user.id,
    adminEmail,
    defaultCompanyId: res.body.user.companyIds[0],
  };
}
