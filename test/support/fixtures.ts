import { randomBytes } from 'node:crypto';
import { requireStatus, type TestApi } from './api.js';

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
  const { body } = requireStatus(
    await api.call('POST', '/v1/accounts', {
      body: { name: `Account ${slug}`, slug, admin: { email: adminEmail, password, firstName: 'Ada', lastName: 'Admin' } },
    }),
    201,
    'sign-up failed',
  );
  const [defaultCompanyId] = body.user.companyIds;
  if (!defaultCompanyId) throw new Error('sign-up: the administrator has no company');
  return { slug, accountId: body.account.id, token: body.token, adminId: body.user.id, adminEmail, defaultCompanyId };
}
