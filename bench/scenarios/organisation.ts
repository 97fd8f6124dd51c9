import type { BenchSystem } from '../system.js';

import type { BenchContext, Record } from './context.js';
import { password } from './context.js';

/** Accounts, sign-in, users, seats and devices. */
export async function organisationScenarios(system: BenchSystem, record: Record): Promise<BenchContext> {
  const signUp = (slug: string) =>
    system.call('POST', '/v1/accounts', {
      body: { name: 'Bench', slug, admin: { email: `admin@${slug}.test`, password, firstName: 'Ben', lastName: 'Ch' } },
    });
  await signUp('bench-warm');
  const account = await signUp('bench');
  record('POST /v1/accounts (sign-up)', account);
  const adminToken = account.body.token as string;

  await system.call('POST', '/v1/auth/login', { body: { account: 'bench-warm', email: 'admin@bench-warm.test', password } });
  record('POST /v1/auth/login', await system.call('POST', '/v1/auth/login', { body: { account: 'bench', email: 'admin@bench.test', password } }));

  await system.call('GET', '/v1/me', { token: adminToken });
  record('GET /v1/me', await system.call('GET', '/v1/me', { token: adminToken }));
  record('PATCH /v1/me', await system.call('PATCH', '/v1/me', { token: adminToken, body: { firstName: 'Benny' } }));

  const companyId = account.body.user.companyIds[0] as string;
  const user = (n: number) => ({
    email: `tech${n}@bench.test`,
    password,
    firstName: 'Tech',
    lastName: `No ${n}`,
    role: 'technician',
    modules: ['service_desk'],
    companyIds: [companyId],
  });
  await system.call('POST', '/v1/users', { token: adminToken, body: user(0) });
  const created = await system.call('POST', '/v1/users', { token: adminToken, body: user(1) });
  record('POST /v1/users (create user)', created);
  record('PUT /v1/users/{id}/seats/{module} (give seat)', await system.call('PUT', `/v1/users/${created.body.id}/seats/service_desk`, { token: adminToken }));
  for (let n = 2; n < 100; n += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => n + i < 100 && system.call('POST', '/v1/users', { token: adminToken, body: user(n + i) })));
  }
  await system.call('GET', '/v1/users?limit=100', { token: adminToken });
  record('GET /v1/users?limit=100 (100 users)', await system.call('GET', '/v1/users?limit=100', { token: adminToken }));

  for (let n = 0; n < 100; n += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        system.call('POST', '/v1/devices', { token: adminToken, body: { name: `pc-${n + i}`, kind: 'workstation', group: 'Office', companyIds: [companyId] } }),
      ),
    );
  }
  await system.call('GET', `/v1/companies/${companyId}/devices?limit=100`, { token: adminToken });
  record(
    'GET /v1/companies/{id}/devices?limit=100 (100 devices)',
    await system.call('GET', `/v1/companies/${companyId}/devices?limit=100`, { token: adminToken }),
  );
  record(
    'GET /v1/companies/{id}/devices?group=Office',
    await system.call('GET', `/v1/companies/${companyId}/devices?limit=100&group=Office`, { token: adminToken }),
  );

  return { adminToken, companyId, accountSlug: 'bench' };
}
