import type { TestApi } from './api.js';
import type { SignedUpAccount } from './fixtures.js';

/**
 * A contact with no login, with an email and an SMS method, and rules: reports and low/high alerts
 * by email, critical alerts by SMS — the product's example.
 */
export async function addAlertContact(api: TestApi, account: SignedUpAccount, options: { companies?: 'all' | string[]; email?: string; phone?: string } = {}) {
  const token = account.token;
  const contact = (await api.call('POST', '/v1/contacts', { token, body: { name: 'On-call', companies: options.companies ?? 'all' } })).body;
  const email = (await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token, body: { type: 'email', address: options.email ?? 'oncall@x.test' } }))
    .body;
  const sms = (await api.call('POST', `/v1/contacts/${contact.id}/methods`, { token, body: { type: 'sms', address: options.phone ?? '+49 151 2345 6789' } }))
    .body;
  await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token, body: { methodId: email.id, use: 'alert', urgencies: ['low', 'high'] } });
  await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token, body: { methodId: email.id, use: 'report' } });
  await api.call('POST', `/v1/contacts/${contact.id}/rules`, { token, body: { methodId: sms.id, use: 'alert', urgencies: ['critical'] } });
  return { contactId: contact.id, emailMethodId: email.id, smsMethodId: sms.id, email: email.address, phone: sms.address };
}
