import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';
import { addStaff } from '../support/staff.js';

const api = useApi();

describe('The audit trail', () => {
  it('records who changed what, with previous and new values, newest first', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}`, { token: account.token, body: { name: 'Head office' } });
    const res = await api.call('GET', '/v1/audit-events?resource=company', { token: account.token });
    expect(res.status).toBe(200);
    const [latest] = res.body.items;
    expect(latest).toMatchObject({
      resourceType: 'company',
      resourceId: account.defaultCompanyId,
      action: 'update',
      actorId: account.adminId,
      fields: { name: { from: 'Default', to: 'Head office' } },
      requestId: expect.any(String),
      sourceIp: expect.any(String),
    });
    expect(res.body.items.at(-1)?.action).toBe('create');
  });

  it('records sign-ins and failed sign-ins, and never a password', async () => {
    const account = await signUpAccount(api);
    await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password: 'wrong password' } });
    await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });
    const res = await api.call('GET', `/v1/audit-events?actorId=${account.adminId}`, { token: account.token });
    const actions = res.body.items.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['sign_in', 'sign_in_failed']);
    expect(JSON.stringify(res.body)).not.toContain(password);
  });

  it('filters by resource and actor together', async () => {
    const account = await signUpAccount(api);
    const second = await addStaff(api, account, { role: 'administrator' });
    await api.call('POST', '/v1/companies', { token: second.token, body: { name: 'By second' } });
    await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'By first' } });
    const res = await api.call('GET', `/v1/audit-events?resource=company&actorId=${second.id}`, { token: account.token });
    expect(res.body.items.map((e) => e.fields?.name?.to)).toEqual(['By second']);
  });

  it('is not open to technicians', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    expect((await api.call('GET', '/v1/audit-events', { token: tech.token })).status).toBe(403);
  });
});
