import type { BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';

/** Portal requests, the queue and the ticket list. */
export async function serviceDeskScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const token = context.adminToken;
  await system.call('PUT', `/v1/companies/${context.companyId}/portal`, {
    token,
    body: { slug: 'bench-help', title: 'Help', enabled: true, supportEmail: 'help@bench.test' },
  });
  const request = (email: string) =>
    system.call('POST', '/v1/portals/bench-help/requests', { body: { email, subject: 'Printer', description: 'It is on fire.' } });
  await request('warm.up@customer.test');
  record('POST /v1/portals/{slug}/requests (new end user)', await request('new.customer@customer.test'));
  record('POST /v1/portals/{slug}/requests (end user exists)', await request('new.customer@customer.test'));

  const me = await system.call('GET', '/v1/me', { token });
  await system.call('PUT', `/v1/users/${me.body.id}/seats/service_desk`, { token });
  await system.call('POST', '/v1/queue/claim', { token });
  record('POST /v1/queue/claim', await system.call('POST', '/v1/queue/claim', { token }));

  for (let i = 0; i < 47; i++) await request(`customer${i % 40}@customer.test`).catch(() => undefined);
  await system.call('GET', '/v1/tickets?limit=50', { token });
  record('GET /v1/tickets?limit=50 (ticket list page)', await system.call('GET', '/v1/tickets?limit=50', { token }));
  record('GET /v1/queue (queue page)', await system.call('GET', '/v1/queue?limit=50', { token }));
}
