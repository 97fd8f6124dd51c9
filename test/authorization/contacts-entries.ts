import { requireStatus } from '../support/api.js';
import { adminWriteInA, adminWriteOwn, readInC1, staffRead, type MatrixEntry } from './matrix.js';
import type { World } from './world.js';

const created = (res: { status: number; body: { id: string } }, what: string) => requireStatus(res, 201, what).body.id;

/** A fresh contact of C1 in account A, with an email method and a report rule on it. */
async function freshContact(w: World) {
  const token = w.tokens.admin;
  const contactId = created(await w.api.call('POST', '/v1/contacts', { token, body: { name: 'Matrix contact', companies: [w.c1] } }), 'contact');
  const methodId = created(
    await w.api.call('POST', `/v1/contacts/${contactId}/methods`, { token, body: { type: 'email', address: 'matrix@x.test' } }),
    'method',
  );
  const ruleId = created(await w.api.call('POST', `/v1/contacts/${contactId}/rules`, { token, body: { methodId, use: 'report' } }), 'rule');
  return { contactId, methodId, ruleId };
}

/** Contacts, contact methods, notification rules and settings. */
export const contactsEntries: Record<string, MatrixEntry> = {
  'GET /v1/contacts': { request: () => ({ path: '/v1/contacts' }), expect: staffRead() },
  'POST /v1/contacts': { request: () => ({ path: '/v1/contacts', body: { name: 'Everyone', companies: 'all' } }), expect: adminWriteOwn(201) },
  'GET /v1/contacts/{contactId}': { request: async (w) => ({ path: `/v1/contacts/${(await freshContact(w)).contactId}` }), expect: readInC1() },
  'PATCH /v1/contacts/{contactId}': {
    request: async (w) => ({ path: `/v1/contacts/${(await freshContact(w)).contactId}`, body: { name: 'Renamed' } }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/contacts/{contactId}': { request: async (w) => ({ path: `/v1/contacts/${(await freshContact(w)).contactId}` }), expect: adminWriteInA(204) },
  'GET /v1/companies/{companyId}/contacts': { request: (w) => ({ path: `/v1/companies/${w.c1}/contacts` }), expect: readInC1() },
  'POST /v1/contacts/{contactId}/methods': {
    request: async (w) => ({ path: `/v1/contacts/${(await freshContact(w)).contactId}/methods`, body: { type: 'sms', address: '+4915112345678' } }),
    expect: adminWriteInA(201),
  },
  'PATCH /v1/contacts/{contactId}/methods/{methodId}': {
    request: async (w) => {
      const { contactId, methodId } = await freshContact(w);
      return { path: `/v1/contacts/${contactId}/methods/${methodId}`, body: { label: 'Work' } };
    },
    expect: adminWriteInA(200),
  },
  'DELETE /v1/contacts/{contactId}/methods/{methodId}': {
    request: async (w) => {
      const { contactId, methodId } = await freshContact(w);
      return { path: `/v1/contacts/${contactId}/methods/${methodId}` };
    },
    expect: adminWriteInA(204),
  },
  'POST /v1/contacts/{contactId}/rules': {
    request: async (w) => {
      const { contactId, methodId } = await freshContact(w);
      return { path: `/v1/contacts/${contactId}/rules`, body: { methodId, use: 'alert', urgencies: ['critical'] } };
    },
    expect: adminWriteInA(201),
  },
  'DELETE /v1/contacts/{contactId}/rules/{ruleId}': {
    request: async (w) => {
      const { contactId, ruleId } = await freshContact(w);
      return { path: `/v1/contacts/${contactId}/rules/${ruleId}` };
    },
    expect: adminWriteInA(204),
  },

  'GET /v1/settings': { request: () => ({ path: '/v1/settings' }), expect: staffRead() },
  'PATCH /v1/settings': { request: () => ({ path: '/v1/settings', body: { sessionRecording: true } }), expect: adminWriteOwn(200) },
  'GET /v1/companies/{companyId}/settings': { request: (w) => ({ path: `/v1/companies/${w.c1}/settings` }), expect: readInC1() },
  'PATCH /v1/companies/{companyId}/settings': {
    request: (w) => ({ path: `/v1/companies/${w.c1}/settings`, body: { language: 'de' } }),
    expect: adminWriteInA(200),
  },
};
