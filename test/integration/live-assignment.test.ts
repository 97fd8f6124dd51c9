import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany } from '../support/staff.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { availableTechnician, becomeAvailable } from '../support/availability.js';
import { resolveChatToken, verifyChatToken } from '../../shared/auth/chat-tokens.js';
import { Unauthenticated } from '../../shared/errors.js';

const api = useApi();

const techniciansAvailable = async (slug: string) => (await api.call('GET', `/v1/portals/${slug}`)).body.techniciansAvailable;

/** Technicians who become available one after the other, in this order (a few ms apart, so their turns differ). */
async function availableInTurn(account: SignedUpAccount, count: number) {
  const techs = [];
  for (let i = 0; i < count; i++) {
    techs.push(await availableTechnician(api, account));
    await new Promise((r) => setTimeout(r, 5));
  }
  return techs;
}

const connectedTo = async (slug: string) => (await portalRequest(api, slug)).body.liveTechnician?.id;

describe('Who counts as available for a live connection', () => {
  it('connects a technician who holds only a remote support seat, and counts them', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const tech = await availableTechnician(api, account, ['remote_support']);
    expect(await techniciansAvailable(slug)).toBe(1);

    const res = await portalRequest(api, slug);
    expect(res.body).toMatchObject({ ticket: { status: 'open', assigneeId: tech.id }, queue: null, liveTechnician: { id: tech.id } });
  });

  it('counts an administrator for every company, and nobody without access or whose seat was taken back', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const { slug } = await addPortal(api, account, other);
    await availableTechnician(api, account);
    const withdrawn = await availableTechnician(api, account, ['remote_support'], { companyIds: [other] });
    await api.call('DELETE', `/v1/users/${withdrawn.id}/seats/remote_support`, { token: account.token });
    expect(await techniciansAvailable(slug)).toBe(0);
    expect((await portalRequest(api, slug)).body).toMatchObject({ ticket: { status: 'queued' }, liveTechnician: null });

    const admin = await availableTechnician(api, account, ['remote_support'], { role: 'administrator', companyIds: [account.defaultCompanyId] });
    expect(await techniciansAvailable(slug)).toBe(1);
    expect(await connectedTo(slug)).toBe(admin.id);
  });

  it('counts nobody, and queues every request, where the company turned live connection off', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await availableTechnician(api, account);
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { portalLiveConnect: false } });

    expect(await techniciansAvailable(slug)).toBe(0);
    expect((await portalRequest(api, slug)).body).toMatchObject({ ticket: { status: 'queued' }, queue: { position: 1 }, liveTechnician: null });
  });

  it('stops counting, and connecting, a technician whose availability lapsed', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await availableTechnician(api, account);
    // The handlers run in this process: moving its clock is moving theirs.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60_000 });
    try {
      expect(await techniciansAvailable(slug)).toBe(0);
      expect((await portalRequest(api, slug)).body).toMatchObject({ ticket: { status: 'queued' }, liveTechnician: null });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Whose turn it is', () => {
  it('connects the technician who has waited longest, and keeps them available', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first, second] = await availableInTurn(account, 2);
    expect(await connectedTo(slug)).toBe(first!.id);
    expect(await techniciansAvailable(slug)).toBe(2);
    expect(await connectedTo(slug)).toBe(second!.id);
  });

  it('sends a technician who just took a customer to the back', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first, second, third] = await availableInTurn(account, 3);
    const order = [];
    for (let i = 0; i < 4; i++) order.push(await connectedTo(slug));
    expect(order).toEqual([first!.id, second!.id, third!.id, first!.id]);
  });

  it('keeps the turn of a technician who renews their availability', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first] = await availableInTurn(account, 2);
    await becomeAvailable(api, first!.token);
    expect(await connectedTo(slug)).toBe(first!.id);
  });

  it('starts the wait afresh for a technician back from away', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first, second] = await availableInTurn(account, 2);
    await api.call('PUT', '/v1/me/availability', { token: first!.token, body: { status: 'away' } });
    await becomeAvailable(api, first!.token);
    expect(await connectedTo(slug)).toBe(second!.id);
  });

  it('starts the wait afresh for a technician whose availability lapsed', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first, second] = await availableInTurn(account, 2);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      vi.setSystemTime(Date.now() + 9 * 60_000);
      await becomeAvailable(api, second!.token);
      vi.setSystemTime(Date.now() + 2 * 60_000);
      // The first lapsed meanwhile: saying available again puts them behind the second, who renewed in time.
      await becomeAvailable(api, first!.token);
      expect(await connectedTo(slug)).toBe(second!.id);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Requests arriving at once', () => {
  it('connects two simultaneous requests to two different technicians', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const techs = await availableInTurn(account, 2);
    const results = await Promise.all([portalRequest(api, slug), portalRequest(api, slug)]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.ticket.status)).toEqual(['open', 'open']);
    expect(results.map((r) => r.body.liveTechnician?.id).sort()).toEqual(techs.map((t) => t.id).sort());
  });

  it('gives a third simultaneous request to the technician whose turn is next, never the same one twice while another is free', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const [first, second] = await availableInTurn(account, 2);
    const results = await Promise.all([portalRequest(api, slug), portalRequest(api, slug), portalRequest(api, slug)]);
    expect(results.map((r) => r.body.ticket.status)).toEqual(['open', 'open', 'open']);
    // In commit order the turns go first, second, first: whatever the interleaving, the first gets two and the second one.
    const ids = results.map((r) => r.body.liveTechnician?.id);
    expect(ids.filter((id) => id === first!.id)).toHaveLength(2);
    expect(ids.filter((id) => id === second!.id)).toHaveLength(1);
  });
});

describe("The customer's chat token", () => {
  it('comes with a queued request and with a live one, naming that ticket and its customer', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const queued = await portalRequest(api, slug);
    await availableTechnician(api, account);
    const live = await portalRequest(api, slug);
    for (const res of [queued, live]) {
      expect(await resolveChatToken(res.body.chatToken)).toEqual({
        accountId: account.accountId,
        ticketId: res.body.ticket.id,
        endUserId: res.body.ticket.endUserId,
      });
    }
    expect(queued.body.liveTechnician).toBeNull();
    expect(live.body.liveTechnician).not.toBeNull();
  });

  it('is never an API token (401), and an API token is never a chat token', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const { body } = await portalRequest(api, slug);
    expect((await api.call('GET', '/v1/me', { token: body.chatToken })).status).toBe(401);
    expect((await api.call('GET', `/v1/tickets/${body.ticket.id}`, { token: body.chatToken })).status).toBe(401);
    await expect(verifyChatToken(account.token)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it('ends when the ticket is closed', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const { body } = await portalRequest(api, slug);
    const closed = await api.call('PATCH', `/v1/tickets/${body.ticket.id}`, { token: account.token, body: { status: 'closed' } });
    expect(closed.status).toBe(200);
    await expect(resolveChatToken(body.chatToken)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it('ends after a day', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const { body } = await portalRequest(api, slug);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 24 * 3600_000 + 1_000 });
    try {
      await expect(verifyChatToken(body.chatToken)).rejects.toBeInstanceOf(Unauthenticated);
    } finally {
      vi.useRealTimers();
    }
  });
});
