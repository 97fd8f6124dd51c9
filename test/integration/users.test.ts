import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { getUserRecord, toUser, updateOwnProfile } from '../../shared/users/users.js';

const api = useApi();

const newUser = (companyIds: string[], extra: Record<string, unknown> = {}) => ({
  email: `u${Math.random().toString(36).slice(2)}@x.test`,
  password,
  firstName: 'Tom',
  lastName: 'Tech',
  role: 'technician',
  modules: ['service_desk'],
  companyIds,
  ...extra,
});

describe('Adding users', () => {
  it('creates a user with their own credentials and never returns the password', async () => {
    const account = await signUpAccount(api);
    const body = newUser([account.defaultCompanyId]);
    const res = await api.call('POST', '/v1/users', { token: account.token, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: body.email, role: 'technician', modules: ['service_desk'], companyIds: [account.defaultCompanyId], seats: [] });
    expect(JSON.stringify(res.body)).not.toContain(password);
    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: body.email, password } });
    expect(login.status).toBe(200);
  });

  it('requires at least one company (409 company_required)', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/users', { token: account.token, body: newUser([]) });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('company_required');
  });

  it('refuses an email already used in the account, whatever its case', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/users', {
      token: account.token,
      body: newUser([account.defaultCompanyId], { email: account.adminEmail.toUpperCase() }),
    });
    expect(res.status).toBe(409);
  });

  it('refuses an unknown company and writes nothing', async () => {
    const account = await signUpAccount(api);
    const body = newUser(['cmp_doesnotexist']);
    const res = await api.call('POST', '/v1/users', { token: account.token, body });
    expect(res.status).toBe(400);
    const login = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: body.email, password } });
    expect(login.status).toBe(401);
  });
});

describe('Changing users', () => {
  it('lets an administrator change role, modules and company access', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const res = await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { modules: ['reports'], companyIds: [other] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ modules: ['reports'], companyIds: [other] });
  });

  it("forbids an administrator to change another user's name or email (403)", async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    for (const body of [{ firstName: 'X' }, { email: 'new@x.test' }]) {
      const res = await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body });
      expect(res.status).toBe(403);
    }
    const self = await api.call('PATCH', `/v1/users/${account.adminId}`, { token: account.token, body: { lastName: 'X' } });
    expect(self.status).toBe(403);
  });

  it('refuses an empty company list on update (409 company_required)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const res = await api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { companyIds: [] } });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('company_required');
  });

  it('never demotes the last administrator, and says the role is why', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PATCH', `/v1/users/${account.adminId}`, { token: account.token, body: { role: 'technician' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: [{ path: 'role' }] } } });
    const second = await addStaff(api, account, { role: 'administrator' });
    expect((await api.call('PATCH', `/v1/users/${account.adminId}`, { token: account.token, body: { role: 'technician' } })).status).toBe(200);
    expect((await api.call('PATCH', `/v1/users/${second.id}`, { token: second.token, body: { role: 'technician' } })).status).toBe(409);
  });

  it('takes effect on the next request: a demoted administrator can no longer write', async () => {
    const account = await signUpAccount(api);
    const second = await addStaff(api, account, { role: 'administrator' });
    await api.call('PATCH', `/v1/users/${second.id}`, { token: account.token, body: { role: 'technician' } });
    expect((await api.call('POST', '/v1/companies', { token: second.token, body: { name: 'No' } })).status).toBe(403);
  });
});

describe('Deleting users', () => {
  it('deletes a user, frees their seats and their email, in one go', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    await api.call('PUT', `/v1/users/${tech.id}/seats/service_desk`, { token: account.token });
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatsUsed.service_desk).toBe(1);

    expect((await api.call('DELETE', `/v1/users/${tech.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/users/${tech.id}`, { token: account.token })).status).toBe(404);
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatsUsed.service_desk).toBe(0);
    expect((await api.call('GET', '/v1/me', { token: tech.token })).status).toBe(401);
    const again = await api.call('POST', '/v1/users', { token: account.token, body: newUser([account.defaultCompanyId], { email: tech.email }) });
    expect(again.status).toBe(201);
  });

  it('does not let a user delete themselves', async () => {
    const account = await signUpAccount(api);
    await addStaff(api, account, { role: 'administrator' });
    const res = await api.call('DELETE', `/v1/users/${account.adminId}`, { token: account.token });
    expect(res.status).toBe(409);
  });

  it('never deletes the last administrator', async () => {
    const account = await signUpAccount(api);
    const second = await addStaff(api, account, { role: 'administrator' });
    expect((await api.call('DELETE', `/v1/users/${second.id}`, { token: account.token })).status).toBe(204);
    await api.call('PATCH', `/v1/users/${account.adminId}`, { token: account.token, body: { role: 'administrator' } });
    const third = await addStaff(api, account, { role: 'administrator' });
    await api.call('PATCH', `/v1/users/${third.id}`, { token: account.token, body: { role: 'technician' } });
    // account.adminId is now the only administrator; the technician cannot delete, and nobody else is left to.
    expect((await api.call('DELETE', `/v1/users/${account.adminId}`, { token: third.token })).status).toBe(403);
  });
});

describe('Technicians see users of their companies only', () => {
  it('lists only users who share a company with them, showing only the shared companies', async () => {
    const account = await signUpAccount(api);
    const elsewhere = await addCompany(api, account);
    const viewer = await addStaff(api, account);
    const both = await addStaff(api, account, { companyIds: [account.defaultCompanyId, elsewhere] });
    const outsider = await addStaff(api, account, { companyIds: [elsewhere] });

    const list = await api.call('GET', '/v1/users', { token: viewer.token });
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).toContain(both.id);
    expect(ids).not.toContain(outsider.id);
    expect(list.body.items.find((u) => u.id === both.id)?.companyIds).toEqual([account.defaultCompanyId]);
    expect((await api.call('GET', `/v1/users/${outsider.id}`, { token: viewer.token })).status).toBe(404);
  });
});

describe('Changing one’s own profile', () => {
  it('refuses a change made from a stale read: of two edits from one read of the profile, only the first applies', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    // What each PATCH /v1/me reads when it authenticates the caller: here both edits read before either writes.
    const record = await getUserRecord(account.accountId, tech.id, true);
    const read = { profile: toUser(record!), version: record!.version ?? 0 };
    const actor = { accountId: account.accountId, actorId: tech.id, requestId: 'req_stale', sourceIp: '127.0.0.1' };

    await updateOwnProfile(actor, read, { firstName: 'First' });
    await expect(updateOwnProfile(actor, read, { lastName: 'Second' })).rejects.toMatchObject({ status: 409 });

    const me = await api.call('GET', '/v1/me', { token: tech.token });
    expect(me.body).toMatchObject({ firstName: 'First', lastName: 'Staff' });
  });

  it('applies one edit after another, each from its own read', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    expect((await api.call('PATCH', '/v1/me', { token: tech.token, body: { firstName: 'First' } })).status).toBe(200);
    expect((await api.call('PATCH', '/v1/me', { token: tech.token, body: { lastName: 'Second' } })).status).toBe(200);
    const me = await api.call('GET', '/v1/me', { token: tech.token });
    expect(me.body).toMatchObject({ firstName: 'First', lastName: 'Second' });
  });
});
