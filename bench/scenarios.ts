import type { BenchSystem, Measured } from './system.js';

export interface BenchContext {
  adminToken: string;
}

const password = 'correct horse battery staple';

/** The operations measured, one request each after a warm-up of the same route. */
export async function scenarios(system: BenchSystem, record: (operation: string, m: Measured) => void): Promise<BenchContext> {
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

  return { adminToken };
}
