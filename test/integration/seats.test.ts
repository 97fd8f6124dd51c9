import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addStaff } from '../support/staff.js';

const api = useApi();

describe('Technician seats', () => {
  it('gives and takes back a seat, idempotently, and counts it on the account', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const given = await api.call('PUT', `/v1/users/${tech.id}/seats/remote_support`, { token: account.token });
    expect(given.status).toBe(200);
    expect(given.body.seats).toEqual(['remote_support']);
    expect((await api.call('PUT', `/v1/users/${tech.id}/seats/remote_support`, { token: account.token })).status).toBe(200);
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatsUsed).toEqual({ remote_support: 1, service_desk: 0 });

    expect((await api.call('DELETE', `/v1/users/${tech.id}/seats/remote_support`, { token: account.token })).status).toBe(204);
    expect((await api.call('DELETE', `/v1/users/${tech.id}/seats/remote_support`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatsUsed).toEqual({ remote_support: 0, service_desk: 0 });
    expect((await api.call('GET', `/v1/users/${tech.id}`, { token: account.token })).body.seats).toEqual([]);
  });

  it('refuses a seat beyond the limit with 409 seat_limit_reached', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', '/v1/account', { token: account.token, body: { seatLimits: { service_desk: 1 } } });
    const [a, b] = [await addStaff(api, account), await addStaff(api, account)];
    expect((await api.call('PUT', `/v1/users/${a.id}/seats/service_desk`, { token: account.token })).status).toBe(200);
    const refused = await api.call('PUT', `/v1/users/${b.id}/seats/service_desk`, { token: account.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('seat_limit_reached');
  });

  it('hands out the last seat exactly once among 50 simultaneous requests', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', '/v1/account', { token: account.token, body: { seatLimits: { remote_support: 5 } } });
    const holders = await Promise.all(Array.from({ length: 4 }, () => addStaff(api, account)));
    for (const h of holders) await api.call('PUT', `/v1/users/${h.id}/seats/remote_support`, { token: account.token });
    const contenders = await Promise.all(Array.from({ length: 50 }, () => addStaff(api, account)));

    const results = await Promise.all(contenders.map((c) => api.call('PUT', `/v1/users/${c.id}/seats/remote_support`, { token: account.token })));

    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(49);
    expect(refused.every((r) => r.body.error?.code === 'seat_limit_reached')).toBe(true);
    const account_ = await api.call('GET', '/v1/account', { token: account.token });
    expect(account_.body.seatsUsed.remote_support).toBe(5);
    const users = await api.call('GET', '/v1/users?limit=100', { token: account.token });
    const held = users.body.items.filter((u) => u.seats.includes('remote_support'));
    expect(held).toHaveLength(account_.body.seatsUsed.remote_support);
  });

  it('refuses to lower a limit below the seats in use (409)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    await api.call('PUT', `/v1/users/${tech.id}/seats/service_desk`, { token: account.token });
    const res = await api.call('PATCH', '/v1/account', { token: account.token, body: { seatLimits: { service_desk: 0 } } });
    expect(res.status).toBe(409);
    expect((await api.call('GET', '/v1/account', { token: account.token })).body.seatLimits.service_desk).toBe(5);
  });

  it('rejects an unknown module', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PUT', `/v1/users/${account.adminId}/seats/monitoring`, { token: account.token });
    expect(res.status).toBe(400);
  });
});
