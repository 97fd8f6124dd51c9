import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addPortal, portalRequest } from '../support/service-desk.js';

const api = useApi();

const deskTechnician = (account: SignedUpAccount) => addStaff(api, account, { seats: ['service_desk'] });

describe('The queue', () => {
  it('lists waiting items oldest first, only of the caller’s companies', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const { slug } = await addPortal(api, account);
    const { slug: otherSlug } = await addPortal(api, account, other);
    const first = (await portalRequest(api, slug)).body.ticket;
    const second = (await portalRequest(api, slug)).body.ticket;
    await portalRequest(api, otherSlug);
    const tech = await deskTechnician(account);

    const queue = await api.call('GET', '/v1/queue', { token: tech.token });
    expect(queue.body.items.map((e) => e.ticketId)).toEqual([first.id, second.id]);
    expect((await api.call('GET', '/v1/queue', { token: account.token })).body.items).toHaveLength(3);
    expect((await api.call('GET', `/v1/queue?companyId=${other}`, { token: tech.token })).status).toBe(404);
  });

  it('gives the oldest waiting item to the claimer and opens it', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const oldest = (await portalRequest(api, slug)).body.ticket;
    await portalRequest(api, slug);
    const tech = await deskTechnician(account);
    const claimed = await api.call('POST', '/v1/queue/claim', { token: tech.token });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket).toMatchObject({ id: oldest.id, status: 'open', assigneeId: tech.id });
    expect((await api.call('GET', '/v1/queue', { token: tech.token })).body.items).toHaveLength(1);
  });

  it('answers 204 when nothing waits', async () => {
    const account = await signUpAccount(api);
    const tech = await deskTechnician(account);
    expect((await api.call('POST', '/v1/queue/claim', { token: tech.token })).status).toBe(204);
  });

  it('needs a service desk seat to claim (403 seat_required)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const res = await api.call('POST', '/v1/queue/claim', { token: tech.token });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('seat_required');
  });

  it('gives 10 items to 10 of 20 technicians claiming at once, each a different one, and 204 to the rest', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', '/v1/account', { token: account.token, body: { seatLimits: { service_desk: 25 } } });
    const { slug } = await addPortal(api, account);
    const items = [];
    for (let i = 0; i < 10; i++) items.push((await portalRequest(api, slug)).body.ticket.id);
    const techs = await Promise.all(Array.from({ length: 20 }, () => deskTechnician(account)));

    const results = await Promise.all(techs.map((t) => api.call('POST', '/v1/queue/claim', { token: t.token })));

    const won = results.filter((r) => r.status === 200).map((r) => r.body.ticket.id);
    expect(won).toHaveLength(10);
    expect(new Set(won).size).toBe(10);
    expect([...won].sort()).toEqual([...items].sort());
    expect(results.filter((r) => r.status === 204)).toHaveLength(10);
    expect((await api.call('GET', '/v1/queue', { token: account.token })).body.items).toEqual([]);
    for (const r of results.filter((x) => x.status === 200)) {
      const ticket = await api.call('GET', `/v1/tickets/${r.body.ticket.id}`, { token: account.token });
      expect(ticket.body.assigneeId).toBe(r.body.ticket.assigneeId);
    }
  });

  it('takes an item out of the queue when staff assign it directly', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const ticket = (await portalRequest(api, slug)).body.ticket;
    const tech = await deskTechnician(account);
    const assigned = await api.call('PATCH', `/v1/tickets/${ticket.id}`, { token: account.token, body: { assigneeId: tech.id } });
    expect(assigned.body.status).toBe('open');
    expect((await api.call('GET', '/v1/queue', { token: account.token })).body.items).toEqual([]);
    expect((await api.call('POST', '/v1/queue/claim', { token: tech.token })).status).toBe(204);
  });
});
