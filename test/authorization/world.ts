import type { TestApi } from '../support/api.js';
import { password, signUpAccount, uniqueSlug, type SignedUpAccount } from '../support/fixtures.js';

export type Persona = 'anonymous' | 'admin' | 'technicianWithAccess' | 'technicianWithoutAccess' | 'otherAccountAdmin';
export const personas: Persona[] = ['anonymous', 'admin', 'technicianWithAccess', 'technicianWithoutAccess', 'otherAccountAdmin'];

/**
 * The cast of the authorisation matrix: account A with an administrator, a technician with access
 * to company C1 and one with access only to C2; and the administrator of another account B.
 */
export interface World {
  api: TestApi;
  account: SignedUpAccount;
  other: SignedUpAccount;
  c1: string;
  c2: string;
  tokens: Record<Persona, string | undefined>;
  /** A fresh technician in C1 (for routes that change or delete one). */
  freshUser: () => Promise<string>;
  /** A fresh device in C1. */
  freshDevice: () => Promise<string>;
  /** A fresh company with no members. */
  freshCompany: () => Promise<string>;
}

async function expectStatus(res: { status: number; body: any }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export async function buildWorld(api: TestApi): Promise<World> {
  const account = await signUpAccount(api);
  const other = await signUpAccount(api);
  const admin = account.token;
  const c1 = account.defaultCompanyId;
  const c2 = (await expectStatus(await api.call('POST', '/v1/companies', { token: admin, body: { name: 'Second' } }), 201, 'company')).body.id;

  const technician = async (companyIds: string[]) => {
    const email = `tech-${uniqueSlug()}@${account.slug}.test`;
    const created = await api.call('POST', '/v1/users', {
      token: admin,
      body: { email, password, firstName: 'Tess', lastName: 'Tech', role: 'technician', modules: ['service_desk'], companyIds },
    });
    await expectStatus(created, 201, 'technician');
    return created.body.id as string;
  };
  const tokenOf = async (email: string) =>
    (await expectStatus(await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } }), 200, 'login')).body.token as string;

  const insiderId = await technician([c1]);
  const outsiderId = await technician([c2]);
  const emailOf = async (id: string) => (await api.call('GET', `/v1/users/${id}`, { token: admin })).body.email as string;

  return {
    api,
    account,
    other,
    c1,
    c2,
    tokens: {
      anonymous: undefined,
      admin,
      technicianWithAccess: await tokenOf(await emailOf(insiderId)),
      technicianWithoutAccess: await tokenOf(await emailOf(outsiderId)),
      otherAccountAdmin: other.token,
    },
    freshUser: () => technician([c1]),
    freshDevice: async () =>
      (await expectStatus(await api.call('POST', '/v1/devices', { token: admin, body: { name: 'PC', kind: 'workstation', companyIds: [c1] } }), 201, 'device'))
        .body.id,
    freshCompany: async () =>
      (await expectStatus(await api.call('POST', '/v1/companies', { token: admin, body: { name: `Spare ${uniqueSlug()}` } }), 201, 'company')).body.id,
  };
}
