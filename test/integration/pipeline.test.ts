import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';

const api = useApi();

describe('Bad requests get the contract error shape', () => {
  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await api.call('POST', '/v1/auth/login', { rawBody: '{"account": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String), details: expect.any(Array) });
  });

  it('answers a body over 256 KiB with 413 payload_too_large', async () => {
    const res = await api.call('POST', '/v1/auth/login', { body: { account: 'a', email: 'a@b.test', password: 'x'.repeat(300 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('payload_too_large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await api.call('POST', '/v1/auth/login', { rawBody: 'account=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('unsupported_media_type');
  });

  it('answers a body sent without any content type with 415', async () => {
    const res = await api.call('POST', '/v1/auth/login', { rawBody: JSON.stringify({ account: 'a', email: 'a@b.test', password: 'x' }) });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('unsupported_media_type');
  });

  it('needs no content type on a POST without a body', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/queue/claim', { token: account.token });
    expect(res.status).not.toBe(415);
    expect(res.status).toBeLessThan(500);
  });

  it('answers a body of 7 MiB with 413 payload_too_large rather than a reset connection', async () => {
    const res = await api.call('POST', '/v1/auth/login', { rawBody: 'x'.repeat(7 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('payload_too_large');
  });

  it('answers an id longer than 128 characters with 400 naming the parameter', async () => {
    const { token } = await signUpAccount(api);
    for (const res of [
      await api.call('GET', `/v1/users/${'u'.repeat(1200)}`, { token }),
      await api.call('GET', `/v1/tickets/${'t'.repeat(129)}/messages`, { token }),
      await api.call('DELETE', `/v1/companies/${'c'.repeat(2000)}`, { token }),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body?.error?.code).toBe('validation_failed');
      expect(res.body?.error?.details[0]?.path).toMatch(/Id$/);
    }
  });

  it('answers malformed percent-encoding in the path with 400', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('GET', '/v1/users/%E0%A4%A', { token: account.token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'userId' }] });
  });

  it('answers wrong types with 400 and a detail per field', async () => {
    const res = await api.call('POST', '/v1/auth/login', { body: { account: 42, email: true, password: null } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details.map((d) => d.path).sort()).toEqual(['account', 'email', 'password']);
  });

  it('answers a missing body with 400', async () => {
    const res = await api.call('POST', '/v1/auth/login');
    expect(res.status).toBe(400);
  });

  it('answers an unknown route with 404 not_found', async () => {
    const res = await api.callRaw('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers a wrong method on a known path with 405 method_not_allowed', async () => {
    const res = await api.callRaw('DELETE', '/v1/me');
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('Idempotent POSTs', () => {
  it('replays the first response for a repeated Idempotency-Key and creates nothing new', async () => {
    const account = await signUpAccount(api);
    const options = { token: account.token, body: { name: 'Once Ltd' }, headers: { 'idempotency-key': 'company-key' } };
    const first = await api.call('POST', '/v1/companies', options);
    const second = await api.call('POST', '/v1/companies', options);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const companies = await api.call('GET', '/v1/companies', { token: account.token });
    expect(companies.body.items.filter((c) => c.name === 'Once Ltd')).toHaveLength(1);
  });

  it('refuses the same key with a different body with 409', async () => {
    const account = await signUpAccount(api);
    const headers = { 'idempotency-key': 'company-key' };
    expect((await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'First' }, headers })).status).toBe(201);
    const other = await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'Second' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe('conflict');
  });

  it('lets a failed request be retried with the same key', async () => {
    const account = await signUpAccount(api);
    const headers = { 'idempotency-key': 'retry-key' };
    const body = { email: account.adminEmail, password, firstName: 'A', lastName: 'B', role: 'technician', companyIds: [account.defaultCompanyId] };
    expect((await api.call('POST', '/v1/users', { token: account.token, body, headers })).status).toBe(409);
    const again = await api.call('POST', '/v1/users', { token: account.token, body, headers });
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('Health and API description', () => {
  it('reports health publicly', async () => {
    const res = await api.call('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves the OpenAPI document publicly', async () => {
    const res = await api.call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });
});
