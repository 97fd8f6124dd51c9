import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff, createStaff } from '../support/staff.js';

const api = useApi();

/** Technicians who need no token, so nobody signs in. */
async function addTechnicians(account: SignedUpAccount, count: number, companyIds: string[]) {
  for (let i = 0; i < count; i++) await createStaff(api, account, { companyIds, modules: [] });
}

describe('Deleting an administrator who holds seats', () => {
  it('frees their seats and still keeps the account’s last administrator', async () => {
    const account = await signUpAccount(api);
    const second = await addStaff(api, account, { role: 'administrator' });
    for (const module of ['remote_support', 'service_desk']) {
      expect((await api.call('PUT', `/v1/users/${second.id}/seats/${module}`, { token: account.token })).status).toBe(200);
    }
    expect((await api.call('DELETE', `/v1/users/${second.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatsUsed).toEqual({ remote_support: 0, service_desk: 0 });
    const demote = await api.call('PATCH', `/v1/users/${account.adminId}`, { token: account.token, body: { role: 'technician' } });
    expect(demote.status).toBe(409);
  });
});

describe('Deleting a company with many members', () => {
  // Each technician in the company costs three writes: their company list, the membership and their contact.
  it('deletes a company whose members fill what one transaction leaves them', async () => {
    const account = await signUpAccount(api);
    const company = await addCompany(api, account);
    await addTechnicians(account, 32, [account.defaultCompanyId, company]);
    expect((await api.call('DELETE', `/v1/companies/${company}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/companies/${company}`, { token: account.token })).status).toBe(404);
  });

  it('refuses one whose members need more with 409, and changes nothing', async () => {
    const account = await signUpAccount(api);
    const company = await addCompany(api, account);
    await addTechnicians(account, 33, [account.defaultCompanyId, company]);
    const res = await api.call('DELETE', `/v1/companies/${company}`, { token: account.token });
    expect(res.status).toBe(409);
    expect(res.body?.error.message).toContain('move some to other companies');
    expect((await api.call('GET', `/v1/companies/${company}`, { token: account.token })).status).toBe(200);
  });
});
