import { adminWriteInA, adminWriteOwn, everyone, staffRead, type MatrixEntry } from './matrix.js';
import { ownCompany, type Persona, type World } from './world.js';

const tokenFor = (w: World, persona: Persona) => (persona === 'otherAccountAdmin' ? w.tokens.otherAccountAdmin : w.tokens.admin);

const freshAlert = async (w: World) =>
  (await w.api.call('POST', '/v1/alerts', { token: w.tokens.admin, body: { companyId: w.c1, urgency: 'low', title: 'T', body: 'B' } })).body.id;
const freshKey = async (w: World) => (await w.api.call('POST', '/v1/integration-keys', { token: w.tokens.admin, body: { name: 'Probe' } })).body.id;
const freshScimToken = async (w: World) =>
  (await w.api.call('POST', '/v1/scim-tokens', { token: w.tokens.admin, body: { companyId: w.c1, description: 'Probe' } })).body.id;
const someContact = async (w: World, persona: Persona) =>
  (await w.api.call('POST', '/v1/contacts', { token: tokenFor(w, persona), body: { name: 'Reader', companies: 'all' } })).body.id;

/** Alerts, integration keys and report subscriptions. */
export const notificationEntries: Record<string, MatrixEntry> = {
  'POST /v1/alerts': {
    request: (w, persona) => ({ path: '/v1/alerts', body: { companyId: ownCompany(w, persona), urgency: 'low', title: 'Disk', body: 'Full' } }),
    expect: adminWriteOwn(201),
  },
  'GET /v1/alerts': { request: () => ({ path: '/v1/alerts' }), expect: staffRead() },
  'GET /v1/alerts/{alertId}': {
    request: async (w) => ({ path: `/v1/alerts/${await freshAlert(w)}` }),
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 200, technicianWithoutAccess: 404, otherAccountAdmin: 404 },
  },
  'GET /v1/integration-keys': {
    request: () => ({ path: '/v1/integration-keys' }),
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 403, technicianWithoutAccess: 403, otherAccountAdmin: 200 },
  },
  'POST /v1/integration-keys': { request: () => ({ path: '/v1/integration-keys', body: { name: 'Nagios' } }), expect: adminWriteOwn(201) },
  'DELETE /v1/integration-keys/{keyId}': { request: async (w) => ({ path: `/v1/integration-keys/${await freshKey(w)}` }), expect: adminWriteInA(204) },
  'GET /v1/scim-tokens': {
    request: () => ({ path: '/v1/scim-tokens' }),
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 403, technicianWithoutAccess: 403, otherAccountAdmin: 200 },
  },
  'POST /v1/scim-tokens': {
    request: (w, persona) => ({ path: '/v1/scim-tokens', body: { companyId: ownCompany(w, persona), description: 'Entra ID' } }),
    expect: adminWriteOwn(201),
  },
  'DELETE /v1/scim-tokens/{tokenId}': { request: async (w) => ({ path: `/v1/scim-tokens/${await freshScimToken(w)}` }), expect: adminWriteInA(204) },
  // SCIM authenticates by its own tokens: a staff token is no SCIM token (401, in SCIM's error shape).
  'ANY /scim/v2': { request: () => ({ path: '/scim/v2' }), expect: everyone(401) },
  'ANY /scim/v2/{proxy+}': { request: () => ({ path: '/scim/v2/Users' }), expect: everyone(401) },
  'GET /v1/report-subscriptions': {
    request: () => ({ path: '/v1/report-subscriptions' }),
    expect: { anonymous: 401, admin: 200, technicianWithAccess: 403, technicianWithoutAccess: 403, otherAccountAdmin: 200 },
  },
  'POST /v1/report-subscriptions': {
    request: async (w, persona) => ({
      path: '/v1/report-subscriptions',
      body: { contactId: await someContact(w, persona), companyId: null, frequency: 'daily', hour: 7, timezone: 'Europe/Berlin' },
    }),
    expect: adminWriteOwn(201),
  },
  'DELETE /v1/report-subscriptions/{subscriptionId}': {
    request: async (w) => {
      const sub = await w.api.call('POST', '/v1/report-subscriptions', {
        token: w.tokens.admin,
        body: { contactId: await someContact(w, 'admin'), companyId: null, frequency: 'daily', hour: 7, timezone: 'UTC' },
      });
      return { path: `/v1/report-subscriptions/${sub.body.id}` };
    },
    expect: adminWriteInA(204),
  },
};
