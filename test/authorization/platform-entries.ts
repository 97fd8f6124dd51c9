import { password, uniqueSlug } from '../support/fixtures.js';
import { addCustomer, addPortal } from '../support/service-desk.js';
import { adminWriteInA, adminWriteOwn, everyone, readInC1, staffRead, type MatrixEntry } from './matrix.js';
import type { World } from './world.js';

/** A portal on C2 with a strong end user who has set a password, made once per world. */
const portalUsers = new WeakMap<World, Promise<{ slug: string; email: string }>>();
function portalUser(w: World) {
  let ready = portalUsers.get(w);
  if (!ready) {
    ready = (async () => {
      const { slug } = await addPortal(w.api, w.account, w.c2);
      const { email } = await addCustomer(w.api, w.account, w.c2);
      return { slug, email };
    })();
    portalUsers.set(w, ready);
  }
  return ready;
}

/** Platform, accounts, companies, users, seats, devices and audit routes. */
export const platformEntries: Record<string, MatrixEntry> = {
  'GET /health': { request: () => ({ path: '/health' }), expect: everyone(200) },
  'GET /v1/openapi.json': { request: () => ({ path: '/v1/openapi.json' }), expect: everyone(200) },
  'POST /v1/accounts': {
    request: () => {
      const slug = uniqueSlug();
      return { path: '/v1/accounts', body: { name: 'New', slug, admin: { email: `a@${slug}.test`, password, firstName: 'A', lastName: 'B' } } };
    },
    expect: everyone(201),
  },
  'POST /v1/auth/login': {
    request: (w) => ({ path: '/v1/auth/login', body: { account: w.account.slug, email: w.account.adminEmail, password } }),
    expect: everyone(200),
  },
  'POST /v1/portals/{slug}/login': {
    request: async (w) => {
      const { slug, email } = await portalUser(w);
      return { path: `/v1/portals/${slug}/login`, body: { email, password } };
    },
    expect: everyone(200),
  },
  'GET /v1/me': { request: () => ({ path: '/v1/me' }), expect: staffRead() },
  'PATCH /v1/me': { request: () => ({ path: '/v1/me', body: { lastName: 'Renamed' } }), expect: staffRead() },
  // A wrong current password keeps every caller's token valid for the rows after this one.
  'PUT /v1/me/password': {
    request: () => ({ path: '/v1/me/password', body: { currentPassword: 'not the password', newPassword: 'another long passphrase' } }),
    expect: { anonymous: 401, admin: 403, technicianWithAccess: 403, technicianWithoutAccess: 403, otherAccountAdmin: 403 },
  },
  'GET /v1/account': { request: () => ({ path: '/v1/account' }), expect: staffRead() },
  'PATCH /v1/account': { request: () => ({ path: '/v1/account', body: { name: 'Renamed account' } }), expect: adminWriteOwn(200) },
  'GET /v1/audit-events': {
    request: () => ({ path: '/v1/audit-events' }),
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 403, technicianWithoutAccess: 403, otherAccountAdmin: 200 },
  },

  'GET /v1/companies': { request: () => ({ path: '/v1/companies' }), expect: staffRead() },
  'POST /v1/companies': { request: () => ({ path: '/v1/companies', body: { name: 'Another' } }), expect: adminWriteOwn(201) },
  'GET /v1/companies/{companyId}': { request: (w) => ({ path: `/v1/companies/${w.c1}` }), expect: readInC1() },
  'PATCH /v1/companies/{companyId}': { request: (w) => ({ path: `/v1/companies/${w.c1}`, body: { description: 'Changed' } }), expect: adminWriteInA(200) },
  'DELETE /v1/companies/{companyId}': { request: async (w) => ({ path: `/v1/companies/${await w.freshCompany()}` }), expect: adminWriteInA(204) },
  'GET /v1/companies/{companyId}/devices': { request: (w) => ({ path: `/v1/companies/${w.c1}/devices` }), expect: readInC1() },

  'GET /v1/users': { request: () => ({ path: '/v1/users' }), expect: staffRead() },
  'POST /v1/users': {
    request: (w, persona) => ({
      path: '/v1/users',
      body: {
        email: `new-${uniqueSlug()}@x.test`,
        password,
        firstName: 'N',
        lastName: 'U',
        role: 'technician',
        modules: [],
        companyIds: [persona === 'otherAccountAdmin' ? w.other.defaultCompanyId : w.c1],
      },
    }),
    expect: adminWriteOwn(201),
  },
  'GET /v1/users/{userId}': { request: async (w) => ({ path: `/v1/users/${await w.freshUser()}` }), expect: readInC1() },
  'PATCH /v1/users/{userId}': {
    request: async (w) => ({ path: `/v1/users/${await w.freshUser()}`, body: { modules: ['reports'] } }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/users/{userId}': { request: async (w) => ({ path: `/v1/users/${await w.freshUser()}` }), expect: adminWriteInA(204) },
  'PUT /v1/users/{userId}/seats/{module}': {
    request: async (w) => ({ path: `/v1/users/${await w.freshUser()}/seats/remote_support` }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/users/{userId}/seats/{module}': {
    request: async (w) => ({ path: `/v1/users/${await w.freshUser()}/seats/remote_support` }),
    expect: adminWriteInA(204),
  },

  'GET /v1/devices': { request: () => ({ path: '/v1/devices' }), expect: staffRead() },
  'POST /v1/devices': {
    request: (w, persona) => ({
      path: '/v1/devices',
      body: { name: 'Laptop', kind: 'mobile', companyIds: [persona === 'otherAccountAdmin' ? w.other.defaultCompanyId : w.c1] },
    }),
    expect: adminWriteOwn(201),
  },
  'GET /v1/devices/{deviceId}': { request: async (w) => ({ path: `/v1/devices/${await w.freshDevice()}` }), expect: readInC1() },
  'PATCH /v1/devices/{deviceId}': {
    request: async (w) => ({ path: `/v1/devices/${await w.freshDevice()}`, body: { os: 'Linux' } }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/devices/{deviceId}': { request: async (w) => ({ path: `/v1/devices/${await w.freshDevice()}` }), expect: adminWriteInA(204) },
};
