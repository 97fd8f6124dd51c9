import { requireStatus, type TestApi } from '../support/api.js';
import { signUpAccount, uniqueSlug, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';

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

/** The company a persona's own writes go to: C1 for account A's staff, B's default company for B's administrator. */
export const ownCompany = (w: World, persona: Persona) => (persona === 'otherAccountAdmin' ? w.other.defaultCompanyId : w.c1);

export async function buildWorld(api: TestApi): Promise<World> {
  const account = await signUpAccount(api);
  const other = await signUpAccount(api);
  const admin = account.token;
  const c1 = account.defaultCompanyId;
  const c2 = await addCompany(api, account, 'Second');
  const technician = (companyIds: string[]) => addStaff(api, account, { companyIds, modules: ['service_desk'] });

  return {
    api,
    account,
    other,
    c1,
    c2,
    tokens: {
      anonymous: undefined,
      admin,
      technicianWithAccess: (await technician([c1])).token,
      technicianWithoutAccess: (await technician([c2])).token,
      otherAccountAdmin: other.token,
    },
    freshUser: async () => (await technician([c1])).id,
    freshDevice: async () => {
      const created = await api.call('POST', '/v1/devices', { token: admin, body: { name: 'PC', kind: 'workstation', companyIds: [c1] } });
      return requireStatus(created, 201, 'device').body.id;
    },
    freshCompany: () => addCompany(api, account, `Spare ${uniqueSlug()}`),
  };
}
