import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';

const api = useApi();

describe('Devices', () => {
  it("keeps each company's own inventory, filterable by group", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const add = (name: string, companyIds: string[], group: string) =>
      api.call('POST', '/v1/devices', { token: account.token, body: { name, kind: 'server', os: 'Linux', group, companyIds } });
    await add('web-1', [account.defaultCompanyId], 'Web');
    await add('db-1', [account.defaultCompanyId, other], 'Databases');
    await add('other-1', [other], 'Web');

    const inventory = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/devices`, { token: account.token });
    expect(inventory.body.items.map((d) => d.name).sort()).toEqual(['db-1', 'web-1']);
    const web = await api.call('GET', `/v1/companies/${account.defaultCompanyId}/devices?group=Web`, { token: account.token });
    expect(web.body.items.map((d) => d.name)).toEqual(['web-1']);
  });

  it('moves a device between companies and regroups it', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const created = await api.call('POST', '/v1/devices', {
      token: account.token,
      body: { name: 'pc', kind: 'workstation', group: 'A', companyIds: [account.defaultCompanyId] },
    });
    const moved = await api.call('PATCH', `/v1/devices/${created.body.id}`, { token: account.token, body: { companyIds: [other], group: 'B' } });
    expect(moved.body).toMatchObject({ companyIds: [other], group: 'B' });
    expect((await api.call('GET', `/v1/companies/${account.defaultCompanyId}/devices`, { token: account.token })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/companies/${other}/devices?group=B`, { token: account.token })).body.items[0]?.id).toBe(created.body.id);
    expect((await api.call('GET', `/v1/companies/${other}/devices?group=A`, { token: account.token })).body.items).toEqual([]);
  });

  it('requires at least one company, on create and on update', async () => {
    const account = await signUpAccount(api);
    const none = await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'pc', kind: 'other', companyIds: [] } });
    expect(none.status).toBe(409);
    expect(none.body.error?.code).toBe('company_required');
    const created = await api.call('POST', '/v1/devices', {
      token: account.token,
      body: { name: 'pc', kind: 'other', companyIds: [account.defaultCompanyId] },
    });
    const emptied = await api.call('PATCH', `/v1/devices/${created.body.id}`, { token: account.token, body: { companyIds: [] } });
    expect(emptied.status).toBe(409);
  });

  it('rejects an unknown kind', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'pc', kind: 'toaster', companyIds: [account.defaultCompanyId] } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details[0]?.path).toBe('kind');
  });

  it("shows technicians only their companies' devices", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const hidden = await api.call('POST', '/v1/devices', { token: account.token, body: { name: 'secret', kind: 'server', companyIds: [other] } });
    expect((await api.call('GET', '/v1/devices', { token: tech.token })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/devices/${hidden.body.id}`, { token: tech.token })).status).toBe(404);
    expect((await api.call('GET', `/v1/companies/${other}/devices`, { token: tech.token })).status).toBe(404);
  });

  it('removes a deleted device from every inventory', async () => {
    const account = await signUpAccount(api);
    const created = await api.call('POST', '/v1/devices', {
      token: account.token,
      body: { name: 'pc', kind: 'other', companyIds: [account.defaultCompanyId] },
    });
    expect((await api.call('DELETE', `/v1/devices/${created.body.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/companies/${account.defaultCompanyId}/devices`, { token: account.token })).body.items).toEqual([]);
  });
});
