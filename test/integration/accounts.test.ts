import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount, uniqueSlug } from '../support/fixtures.js';

const api = useApi();

const signUpBody = (slug: string, email = `admin@${slug}.test`) => ({
  name: 'Acme IT',
  slug,
  admin: { email, password, firstName: 'Ada', lastName: 'Lovelace' },
});

describe('Signing up for an account', () => {
  it('creates the account, its Default company and an administrator, and signs them in', async () => {
    const slug = uniqueSlug();
    const res = await api.call('POST', '/v1/accounts', { body: signUpBody(slug) });

    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({
      name: 'Acme IT',
      slug,
      seatLimits: { remote_support: 5, service_desk: 5 },
      seatsUsed: { remote_support: 0, service_desk: 0 },
    });
    expect(res.body.user).toMatchObject({ email: `admin@${slug}.test`, role: 'administrator', firstName: 'Ada' });
    expect(res.body.user.companyIds).toHaveLength(1);
    expect(res.body.user).not.toHaveProperty('passwordHash');
    expect(res.body.user).not.toHaveProperty('password');

    const me = await api.call('GET', '/v1/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user.id);
  });

  it('refuses a slug that is already taken with 409', async () => {
    const { slug } = await signUpAccount(api);
    const res = await api.call('POST', '/v1/accounts', { body: signUpBody(slug, 'someone@else.test') });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('conflict');
  });

  it('gives a slug to exactly one of 20 simultaneous sign-ups', async () => {
    const slug = uniqueSlug('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.call('POST', '/v1/accounts', { body: signUpBody(slug, `admin${i}@race.test`) })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it('rejects an invalid slug, a short password and unknown fields with the details of each', async () => {
    const res = await api.call('POST', '/v1/accounts', {
      body: { name: 'X', slug: 'Not A Slug', admin: { email: 'nope', password: 'short', firstName: 'A', lastName: 'B' }, extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('validation_failed');
    const paths = res.body.error?.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'admin.email', 'admin.password', 'extra']));
  });
});

describe('Changing your own profile', () => {
  it('lets a user change their own name and email through /v1/me', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PATCH', '/v1/me', { token: account.token, body: { firstName: 'Grace', email: `grace@${account.slug}.test` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ firstName: 'Grace', lastName: 'Admin', email: `grace@${account.slug}.test` });

    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: `grace@${account.slug}.test`, password } });
    expect(login.status).toBe(200);
    const oldLogin = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });
    expect(oldLogin.status).toBe(401);
  });

  it('refuses an empty change', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PATCH', '/v1/me', { token: account.token, body: {} });
    expect(res.status).toBe(400);
  });
});
