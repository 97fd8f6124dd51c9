import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { companyEntity } from '../../shared/companies/entities.js';

const api = useApi();

describe('Companies', () => {
  it('starts every account with a Default company', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('GET', '/v1/companies', { token: account.token });
    expect(res.body.items.map((c) => c.name)).toEqual(['Default']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('lists companies by name, page by page', async () => {
    const account = await signUpAccount(api);
    for (const name of ['zeta', 'Alpha', 'mike']) await addCompany(api, account, name);
    const first = await api.call('GET', '/v1/companies?limit=2', { token: account.token });
    const second = await api.call('GET', `/v1/companies?limit=2&cursor=${first.body.nextCursor}`, { token: account.token });
    const names = [...first.body.items, ...second.body.items].map((c) => c.name);
    expect(names).toEqual(['Alpha', 'Default', 'mike', 'zeta']);
  });

  it('renames a company and keeps the name order right', async () => {
    const account = await signUpAccount(api);
    const id = await addCompany(api, account, 'Beta');
    const res = await api.call('PATCH', `/v1/companies/${id}`, { token: account.token, body: { name: 'Aardvark', description: 'Zoo' } });
    expect(res.body).toMatchObject({ id, name: 'Aardvark', description: 'Zoo' });
    const list = await api.call('GET', '/v1/companies', { token: account.token });
    expect(list.body.items[0]?.name).toBe('Aardvark');
  });

  it('lets only one of two renames made from the same read land; the other is 409', async () => {
    const account = await signUpAccount(api);
    const id = await addCompany(api, account, 'Before');
    // Both requests read the company before either writes.
    let readers = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const read = companyEntity.get.bind(companyEntity);
    const spy = vi.spyOn(companyEntity, 'get').mockImplementation(async (...args) => {
      const company = await read(...args);
      if (++readers === 2) bothRead();
      await barrier;
      return company;
    });
    try {
      const results = await Promise.all(['First', 'Second'].map((name) => api.call('PATCH', `/v1/companies/${id}`, { token: account.token, body: { name } })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.name;
      expect((await api.call('GET', `/v1/companies/${id}`, { token: account.token })).body.name).toBe(winner);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses to delete the account’s last company', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('DELETE', `/v1/companies/${account.defaultCompanyId}`, { token: account.token });
    expect(res.status).toBe(409);
    expect(res.body?.error.code).toBe('company_required');
  });

  it('refuses to delete the only company of a user, and changes nothing', async () => {
    const account = await signUpAccount(api);
    const solo = await addCompany(api, account);
    const tech = await addStaff(api, account, { companyIds: [solo] });
    const res = await api.call('DELETE', `/v1/companies/${solo}`, { token: account.token });
    expect(res.status).toBe(409);
    expect(res.body?.error.code).toBe('company_required');
    expect((await api.call('GET', `/v1/companies/${solo}`, { token: account.token })).status).toBe(200);
    expect((await api.call('GET', `/v1/users/${tech.id}`, { token: account.token })).body.companyIds).toEqual([solo]);
  });

  it('refuses to delete the only company of a device', async () => {
    const account = await signUpAccount(api);
    const solo = await addCompany(api, account);
    await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'srv', kind: 'server', companyIds: [solo] } });
    const res = await api.call('DELETE', `/v1/companies/${solo}`, { token: account.token });
    expect(res.status).toBe(409);
    expect(res.body?.error.code).toBe('company_required');
  });

  it("removes a deleted company from its users' and devices' company lists", async () => {
    const account = await signUpAccount(api);
    const doomed = await addCompany(api, account);
    const kept = await addCompany(api, account);
    const tech = await addStaff(api, account, { companyIds: [doomed, kept] });
    const device = await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'pc', kind: 'workstation', companyIds: [doomed, kept] } });

    expect((await api.call('DELETE', `/v1/companies/${doomed}`, { token: account.token })).status).toBe(204);

    expect((await api.call('GET', `/v1/companies/${doomed}`, { token: account.token })).status).toBe(404);
    expect((await api.call('GET', `/v1/users/${tech.id}`, { token: account.token })).body.companyIds).toEqual([kept]);
    expect((await api.call('GET', `/v1/devices/${device.body.id}`, { token: account.token })).body.companyIds).toEqual([kept]);
    const inventory = await api.call('GET', `/v1/companies/${kept}/devices`, { token: account.token });
    expect(inventory.body.items[0]?.companyIds).toEqual([kept]);
  });

  it('never leaves a user without a company when a delete races with adding the user to it', async () => {
    const account = await signUpAccount(api);
    for (let round = 0; round < 5; round++) {
      const target = await addCompany(api, account);
      const tech = await addStaff(api, account);
      await Promise.all([
        api.call('DELETE', `/v1/companies/${target}`, { token: account.token }),
        api.call('PATCH', `/v1/users/${tech.id}`, { token: account.token, body: { companyIds: [target] } }),
      ]);
      const user = await api.call('GET', `/v1/users/${tech.id}`, { token: account.token });
      const companyExists = (await api.call('GET', `/v1/companies/${target}`, { token: account.token })).status === 200;
      expect(user.body.companyIds.length).toBeGreaterThan(0);
      if (user.body.companyIds.includes(target)) expect(companyExists).toBe(true);
    }
  });
});

describe('Technicians see only their companies', () => {
  it('lists and reads only companies in their access; others are 404', async () => {
    const account = await signUpAccount(api);
    const hidden = await addCompany(api, account, 'Hidden');
    const tech = await addStaff(api, account);
    const list = await api.call('GET', '/v1/companies', { token: tech.token });
    expect(list.body.items.map((c) => c.id)).toEqual([account.defaultCompanyId]);
    expect((await api.call('GET', `/v1/companies/${hidden}`, { token: tech.token })).status).toBe(404);
  });

  it('cannot change anything (403)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const res = await api.call('POST', '/v1/companies', { token: tech.token, body: { name: 'Mine' } });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('forbidden');
  });
});
