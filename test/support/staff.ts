import type { TestApi } from './api.js';
import { password, uniqueSlug, type SignedUpAccount } from './fixtures.js';

/** Adds a staff user through the API and signs them in. */
export async function addStaff(
  api: TestApi,
  account: SignedUpAccount,
  options: { role?: 'administrator' | 'technician'; companyIds?: string[]; modules?: string[] } = {},
): Promise<{ id: string; email: string; token: string }> {
  const email = `staff-${uniqueSlug()}@${account.slug}.test`;
  const created = await api.call('POST', '/v1/users', {
    token: account.token,
    body: {
      email,
      password,
      firstName: 'Sam',
      lastName: 'Staff',
      role: options.role ?? 'technician',
      modules: options.modules ?? ['service_desk', 'remote_support'],
      companyIds: options.companyIds ?? [account.defaultCompanyId],
    },
  });
  if (created.status !== 201) throw new Error(`add staff: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } });
  return { id: created.body.id, email, token: login.body.token };
}

export async function addCompany(api: TestApi, account: SignedUpAccount, name = `Company ${uniqueSlug()}`): Promise<string> {
  const res = await api.call('POST', '/v1/companies', { token: account.token, body: { name } });
  if (res.status !== 201) throw new Error(`add company: ${res.status}`);
  return res.body.id;
}
