import { uniqueSlug, password } from '../support/fixtures.js';
import { portalRequest, setPasswordToken } from '../support/service-desk.js';
import { adminWriteInA, adminWriteOwn, everyone, readInC1, staffRead, type MatrixEntry } from './matrix.js';
import { ownCompany, type Persona, type World } from './world.js';

/** Fixtures of the service desk, made once per world: C1's portal, desk seats for the admin and the insider. */
const prepared = new WeakMap<World, Promise<{ slug: string }>>();
function serviceDesk(w: World) {
  let ready = prepared.get(w);
  if (!ready) {
    ready = (async () => {
      const slug = uniqueSlug('portal');
      const admin = w.tokens.admin;
      await w.api.call('PUT', `/v1/companies/${w.c1}/portal`, {
        token: admin,
        body: { slug, title: 'Help', enabled: true, supportEmail: `help@${slug}.test` },
      });
      for (const persona of ['admin', 'technicianWithAccess'] as const) {
        const me = await w.api.call('GET', '/v1/me', { token: w.tokens[persona] });
        await w.api.call('PUT', `/v1/users/${me.body.id}/seats/service_desk`, { token: admin });
      }
      return { slug };
    })();
    prepared.set(w, ready);
  }
  return ready;
}

const freshEndUser = async (w: World, association: 'weak' | 'strong' = 'weak') =>
  (await w.api.call('POST', '/v1/end-users', { token: w.tokens.admin, body: { email: `${uniqueSlug('eu')}@x.test`, companyId: w.c1, association } })).body.id;
const freshGroup = async (w: World) =>
  (await w.api.call('POST', '/v1/end-user-groups', { token: w.tokens.admin, body: { name: uniqueSlug('group') } })).body.id;
const freshTicket = async (w: World) =>
  (
    await w.api.call('POST', '/v1/tickets', {
      token: w.tokens.admin,
      body: { companyId: w.c1, subject: 'S', description: 'D', requesterEmail: `${uniqueSlug('r')}@x.test` },
    })
  ).body.id;

/** Staff work on something in C1: technicians outside C1 and other accounts get 404. */
const staffWorkInC1 = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  technicianWithAccess: status,
  technicianWithoutAccess: 404,
  otherAccountAdmin: 404,
});

export const serviceDeskEntries: Record<string, MatrixEntry> = {
  'GET /v1/companies/{companyId}/portal': {
    request: async (w) => {
      await serviceDesk(w);
      return { path: `/v1/companies/${w.c1}/portal` };
    },
    expect: readInC1(),
  },
  'PUT /v1/companies/{companyId}/portal': {
    request: async (w) => {
      const { slug } = await serviceDesk(w);
      return { path: `/v1/companies/${w.c1}/portal`, body: { slug, title: 'Help', enabled: true, supportEmail: `help@${slug}.test` } };
    },
    expect: adminWriteInA(200),
  },
  'GET /v1/portals/{slug}': { request: async (w) => ({ path: `/v1/portals/${(await serviceDesk(w)).slug}` }), expect: everyone(200) },
  'GET /p/{slug}': { request: async (w) => ({ path: `/p/${(await serviceDesk(w)).slug}` }), expect: everyone(200) },
  'GET /console': { request: () => ({ path: '/console' }), expect: everyone(200) },
  'POST /v1/portals/{slug}/requests': {
    request: async (w) => ({
      path: `/v1/portals/${(await serviceDesk(w)).slug}/requests`,
      body: { email: `${uniqueSlug('c')}@customer.test`, subject: 'Help', description: 'Please' },
    }),
    expect: everyone(201),
  },

  'GET /v1/end-users': { request: () => ({ path: '/v1/end-users' }), expect: staffRead() },
  'POST /v1/end-users': {
    request: (w, persona) => ({ path: '/v1/end-users', body: { email: `${uniqueSlug('eu')}@x.test`, companyId: ownCompany(w, persona) } }),
    expect: adminWriteOwn(201),
  },
  'POST /v1/end-users/bulk': {
    request: (w, persona) => ({ path: '/v1/end-users/bulk', body: { companyId: ownCompany(w, persona), items: [{ email: `${uniqueSlug('b')}@x.test` }] } }),
    expect: adminWriteOwn(200),
  },
  'GET /v1/end-users/{endUserId}': { request: async (w) => ({ path: `/v1/end-users/${await freshEndUser(w)}` }), expect: readInC1() },
  'PATCH /v1/end-users/{endUserId}': {
    request: async (w) => ({ path: `/v1/end-users/${await freshEndUser(w)}`, body: { firstName: 'New' } }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/end-users/{endUserId}': { request: async (w) => ({ path: `/v1/end-users/${await freshEndUser(w)}` }), expect: adminWriteInA(204) },
  'POST /v1/end-users/{endUserId}/invitation': {
    request: async (w) => ({ path: `/v1/end-users/${await freshEndUser(w, 'strong')}/invitation` }),
    expect: adminWriteInA(204),
  },
  'GET /v1/end-user-groups': { request: () => ({ path: '/v1/end-user-groups' }), expect: staffRead() },
  'POST /v1/end-user-groups': { request: () => ({ path: '/v1/end-user-groups', body: { name: 'Group' } }), expect: adminWriteOwn(201) },
  'GET /v1/end-user-groups/{groupId}/members': {
    request: async (w) => ({ path: `/v1/end-user-groups/${await freshGroup(w)}/members` }),
    expect: { ...staffRead(), otherAccountAdmin: 404 },
  },
  'PUT /v1/end-user-groups/{groupId}/members/{endUserId}': {
    request: async (w) => ({ path: `/v1/end-user-groups/${await freshGroup(w)}/members/${await freshEndUser(w)}` }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/end-user-groups/{groupId}/members/{endUserId}': {
    request: async (w) => {
      const [group, endUser] = [await freshGroup(w), await freshEndUser(w)];
      await w.api.call('PUT', `/v1/end-user-groups/${group}/members/${endUser}`, { token: w.tokens.admin });
      return { path: `/v1/end-user-groups/${group}/members/${endUser}` };
    },
    expect: adminWriteInA(204),
  },
  'POST /v1/auth/set-password': {
    request: async (w) => {
      const email = `${uniqueSlug('strong')}@x.test`;
      await w.api.call('POST', '/v1/end-users', { token: w.tokens.admin, body: { email, association: 'strong', companyId: w.c1 } });
      return { path: '/v1/auth/set-password', body: { token: await setPasswordToken(w.api, email), password } };
    },
    expect: everyone(204),
  },

  'GET /v1/tickets': { request: () => ({ path: '/v1/tickets' }), expect: staffRead() },
  'POST /v1/tickets': {
    request: (w) => ({ path: '/v1/tickets', body: { companyId: w.c1, subject: 'S', description: 'D', requesterEmail: `${uniqueSlug('r')}@x.test` } }),
    expect: staffWorkInC1(201),
  },
  'GET /v1/tickets/{ticketId}': { request: async (w) => ({ path: `/v1/tickets/${await freshTicket(w)}` }), expect: readInC1() },
  'PATCH /v1/tickets/{ticketId}': {
    request: async (w) => ({ path: `/v1/tickets/${await freshTicket(w)}`, body: { status: 'pending' } }),
    expect: staffWorkInC1(200),
  },
  'GET /v1/tickets/{ticketId}/messages': { request: async (w) => ({ path: `/v1/tickets/${await freshTicket(w)}/messages` }), expect: readInC1() },
  'POST /v1/tickets/{ticketId}/messages': {
    request: async (w) => ({ path: `/v1/tickets/${await freshTicket(w)}/messages`, body: { body: 'Update' } }),
    expect: staffWorkInC1(201),
  },

  'GET /v1/queue': { request: () => ({ path: '/v1/queue' }), expect: staffRead() },
  'POST /v1/queue/claim': {
    request: async (w) => {
      const { slug } = await serviceDesk(w);
      await portalRequest(w.api, slug);
      return { path: '/v1/queue/claim' };
    },
    // The admin and the insider hold desk seats; the outsider and the other account's admin do not.
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 200, technicianWithoutAccess: 403, otherAccountAdmin: 403 },
  },
  // `away` needs no seat (`available` without a remote support seat is 403, tested with the portals).
  'PUT /v1/me/availability': { request: () => ({ path: '/v1/me/availability', body: { status: 'away' } }), expect: staffRead() },
};
