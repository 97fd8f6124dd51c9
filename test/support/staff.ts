import type { components } from './openapi.js';
import { requireStatus, type TestApi } from './api.js';
import { password, uniqueSlug, type SignedUpAccount } from './fixtures.js';

type User = components['schemas']['User'];

export interface StaffOptions {
  role?: User['role'];
  companyIds?: string[];
  modules?: User['modules'];
  /** Seats the account's administrator gives them. */
  seats?: User['seats'];
}

/** Adds a staff user through the API and gives them their seats. */
export async function createStaff(api: TestApi, account: SignedUpAccount, options: StaffOptions = {}): Promise<{ id: string; email: string }> {
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
  const { id } = requireStatus(created, 201, 'add staff').body;
  for (const seat of options.seats ?? []) {
    requireStatus(await api.call('PUT', `/v1/users/${id}/seats/${seat}`, { token: account.token }), 200, `seat ${seat}`);
  }
  return { id, email };
}

/** Adds a staff user through the API, gives them their seats and signs them in. */
export async function addStaff(api: TestApi, account: SignedUpAccount, options: StaffOptions = {}): Promise<{ id: string; email: string; token: string }> {
  const { id, email } = await createStaff(api, account, options);
  const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } });
  return { id, email, token: login.body.token };
}

export async function addCompany(api: TestApi, account: SignedUpAccount, name = `Company ${uniqueSlug()}`): Promise<string> {
  return requireStatus(await api.call('POST', '/v1/companies', { token: account.token, body: { name } }), 201, 'add company').body.id;
}
