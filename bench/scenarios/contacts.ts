import type { BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';

/** Contacts, a company's contacts list, settings and a company's effective settings. */
export async function contactScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const token = context.adminToken;
  const company = await system.call('POST', '/v1/companies', { token, body: { name: 'Bench contacts' } });
  const companyId = company.body.id as string;

  // 50 users with access: the administrator (all companies) and 49 of the organisation's technicians.
  const users = await system.call('GET', '/v1/users?limit=100', { token });
  const technicians = (users.body.items as { id: string; role: string }[]).filter((u) => u.role === 'technician').slice(0, 49);
  for (let i = 0; i < technicians.length; i += 10) {
    await Promise.all(
      technicians.slice(i, i + 10).map((u) => system.call('PATCH', `/v1/users/${u.id}`, { token, body: { companyIds: [context.companyId, companyId] } })),
    );
  }

  // 50 contacts: half for all companies, half for this one, so the list merges both partitions.
  const contact = (n: number) => ({ name: `Contact ${String(n).padStart(2, '0')}`, companies: n % 2 ? 'all' : [companyId] });
  await system.call('POST', '/v1/contacts', { token, body: contact(0) });
  const created = await system.call('POST', '/v1/contacts', { token, body: contact(1) });
  record('POST /v1/contacts (create contact)', created);
  const contactId = created.body.id as string;
  const method = await system.call('POST', `/v1/contacts/${contactId}/methods`, { token, body: { type: 'sms', address: '+49 151 1234 5678' } });
  record('POST /v1/contacts/{id}/methods (add method)', method);
  record(
    'POST /v1/contacts/{id}/rules (add rule)',
    await system.call('POST', `/v1/contacts/${contactId}/rules`, { token, body: { methodId: method.body.id, use: 'alert', urgencies: ['critical'] } }),
  );
  for (let n = 2; n < 50; n += 10) {
    await Promise.all(Array.from({ length: Math.min(10, 50 - n) }, (_, i) => system.call('POST', '/v1/contacts', { token, body: contact(n + i) })));
  }

  const list = `/v1/companies/${companyId}/contacts?limit=100`;
  await system.call('GET', list, { token });
  const listed = await system.call('GET', list, { token });
  if (listed.body.items.length !== 100) throw new Error(`company contacts list: ${listed.body.items.length} items, expected 100`);
  record('GET /v1/companies/{id}/contacts?limit=100 — company contacts list (50 contacts + 50 users)', listed);

  record('PATCH /v1/settings', await system.call('PATCH', '/v1/settings', { token, body: { timezone: 'Europe/Berlin' } }));
  record(
    'PATCH /v1/companies/{id}/settings (override)',
    await system.call('PATCH', `/v1/companies/${companyId}/settings`, { token, body: { language: 'de' } }),
  );
  await system.call('GET', `/v1/companies/${companyId}/settings`, { token });
  record('GET /v1/companies/{id}/settings — effective settings read', await system.call('GET', `/v1/companies/${companyId}/settings`, { token }));
}
