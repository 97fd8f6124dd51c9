import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addPortal, portalRequest, setPasswordToken } from '../support/service-desk.js';
import { openNewerTickets } from '../support/busy-account.js';

const api = useApi();

const newTicket = (companyId: string, extra: Record<string, unknown>) => ({
  companyId,
  subject: 'VPN down',
  description: 'Cannot connect since 9am.',
  ...extra,
});

describe('Tickets opened by staff', () => {
  it('opens a ticket for an address, creating the weak end user, with the description as first message', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/tickets', {
      token: account.token,
      body: newTicket(account.defaultCompanyId, { requesterEmail: 'c.johnson@myorg.org' }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: 1, status: 'open', channel: 'staff', assigneeId: null, companyId: account.defaultCompanyId });
    const endUser = await api.call('GET', `/v1/end-users/${res.body.endUserId}`, { token: account.token });
    expect(endUser.body).toMatchObject({ firstName: 'C', lastName: 'Johnson', association: 'weak' });
    const messages = await api.call('GET', `/v1/tickets/${res.body.id}/messages`, { token: account.token });
    expect(messages.body.items).toMatchObject([{ author: { type: 'staff', id: account.adminId }, body: 'Cannot connect since 9am.' }]);
  });

  it('numbers 20 tickets opened at once 1 to 20, with no gaps or repeats', async () => {
    const account = await signUpAccount(api);
    const eu = await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'n@x.test', companyId: account.defaultCompanyId } });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(account.defaultCompanyId, { endUserId: eu.body.id }) }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.map((r) => r.body.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('assigns only staff with a service desk seat (403 seat_required otherwise)', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const ticket = await api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(account.defaultCompanyId, { requesterEmail: 'a@x.test' }) });
    const refused = await api.call('PATCH', `/v1/tickets/${ticket.body.id}`, { token: account.token, body: { assigneeId: tech.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('seat_required');
    await api.call('PUT', `/v1/users/${tech.id}/seats/service_desk`, { token: account.token });
    const assigned = await api.call('PATCH', `/v1/tickets/${ticket.body.id}`, { token: account.token, body: { assigneeId: tech.id, status: 'pending' } });
    expect(assigned.body).toMatchObject({ assigneeId: tech.id, status: 'pending' });
  });

  it('lists newest first and filters by status, company, end user and assignee', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const a = await api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(account.defaultCompanyId, { requesterEmail: 'a@x.test' }) });
    const b = await api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(other, { requesterEmail: 'b@x.test' }) });
    await api.call('PATCH', `/v1/tickets/${a.body.id}`, { token: account.token, body: { status: 'solved' } });

    const all = await api.call('GET', '/v1/tickets', { token: account.token });
    expect(all.body.items.map((t) => t.id)).toEqual([b.body.id, a.body.id]);
    const solved = await api.call('GET', '/v1/tickets?status=solved', { token: account.token });
    expect(solved.body.items.map((t) => t.id)).toEqual([a.body.id]);
    const byCompany = await api.call('GET', `/v1/tickets?companyId=${other}`, { token: account.token });
    expect(byCompany.body.items.map((t) => t.id)).toEqual([b.body.id]);
    const byEndUser = await api.call('GET', `/v1/tickets?endUserId=${a.body.endUserId}`, { token: account.token });
    expect(byEndUser.body.items.map((t) => t.id)).toEqual([a.body.id]);
    const byAssignee = await api.call('GET', `/v1/tickets?assigneeId=${account.adminId}`, { token: account.token });
    expect(byAssignee.body.items).toEqual([]);
  });

  it('leaves no end user behind when the ticket is refused (an assignee who cannot take it)', async () => {
    const account = await signUpAccount(api);
    const seatless = await addStaff(api, account);
    for (const assigneeId of [seatless.id, 'usr_unknown']) {
      const res = await api.call('POST', '/v1/tickets', {
        token: account.token,
        body: newTicket(account.defaultCompanyId, { requesterEmail: 'left.behind@x.test', assigneeId }),
      });
      expect(res.status, assigneeId).toBeGreaterThanOrEqual(400);
      expect(res.status, assigneeId).toBeLessThan(500);
    }
    expect((await api.call('GET', '/v1/end-users?email=left.behind@x.test', { token: account.token })).body.items).toEqual([]);
  });

  it("hides an end user outside a technician's companies, also when named by address (404)", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'elsewhere@x.test', companyId: other } });
    const res = await api.call('POST', '/v1/tickets', { token: tech.token, body: newTicket(account.defaultCompanyId, { requesterEmail: 'ELSEWHERE@x.test' }) });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('eu_');
    expect((await api.call('GET', '/v1/tickets', { token: account.token })).body.items).toEqual([]);
  });

  it("shows technicians only their companies' tickets", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const tech = await addStaff(api, account);
    const hidden = await api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(other, { requesterEmail: 'h@x.test' }) });
    expect((await api.call('GET', '/v1/tickets', { token: tech.token })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/tickets/${hidden.body.id}`, { token: tech.token })).status).toBe(404);
  });
});

describe("A staff member's tickets (assigneeId), however busy the account", () => {
  let account: SignedUpAccount;
  let tech: { id: string; token: string };
  let colleague: { id: string; token: string };
  const ids = { elsewhere: '', shared: '', created: '', patched: '', claimed: '' };
  const listed = async (assigneeId: string, token: string) => {
    const res = await api.call('GET', `/v1/tickets?assigneeId=${assigneeId}`, { token });
    expect(res.body.nextCursor).toBeNull();
    return res.body.items.map((t) => t.id);
  };

  // Old tickets, assigned every way a ticket gets an assignee, then more newer tickets than a page (or a live connection) reads.
  beforeAll(async () => {
    account = await signUpAccount(api);
    const other = await addCompany(api, account);
    tech = await addStaff(api, account, { seats: ['service_desk'] });
    colleague = await addStaff(api, account, { seats: ['service_desk'], companyIds: [account.defaultCompanyId, other] });
    const open = async (companyId: string, extra: Record<string, unknown>) =>
      (await api.call('POST', '/v1/tickets', { token: account.token, body: newTicket(companyId, { requesterEmail: 'old@x.test', ...extra }) })).body.id;
    ids.elsewhere = await open(other, { assigneeId: colleague.id });
    ids.shared = await open(account.defaultCompanyId, { assigneeId: colleague.id });
    ids.created = await open(account.defaultCompanyId, { assigneeId: tech.id });
    ids.patched = await open(account.defaultCompanyId, {});
    await api.call('PATCH', `/v1/tickets/${ids.patched}`, { token: account.token, body: { assigneeId: tech.id } });
    const { slug } = await addPortal(api, account);
    ids.claimed = (await portalRequest(api, slug, 'queued@x.test')).body.ticket.id;
    expect((await api.call('POST', '/v1/queue/claim', { token: tech.token })).body.ticket.id).toBe(ids.claimed);
    await openNewerTickets(api, account, 101);
  });

  it('lists the tickets assigned to them, newest first, on the first page', async () => {
    expect(await listed(tech.id, tech.token)).toEqual([ids.claimed, ids.patched, ids.created]);
  });

  it("shows a technician only their companies' tickets of someone else", async () => {
    expect(await listed(colleague.id, tech.token)).toEqual([ids.shared]);
    expect(await listed(colleague.id, colleague.token)).toEqual([ids.shared, ids.elsewhere]);
  });

  it('drops a ticket when it is unassigned or given to someone else, who then has it', async () => {
    await api.call('PATCH', `/v1/tickets/${ids.created}`, { token: account.token, body: { assigneeId: null } });
    await api.call('PATCH', `/v1/tickets/${ids.patched}`, { token: account.token, body: { assigneeId: colleague.id } });
    expect(await listed(tech.id, tech.token)).toEqual([ids.claimed]);
    expect(await listed(colleague.id, account.token)).toEqual([ids.patched, ids.shared, ids.elsewhere]);
  });
});

describe('End users and their tickets', () => {
  /** Upgrades the weak end user the portal created, who then sets a password and signs in. */
  async function signedInEndUser(account: SignedUpAccount, email: string) {
    const [endUser] = (await api.call('GET', `/v1/end-users?email=${email}`, { token: account.token })).body.items;
    if (!endUser) throw new Error(`no end user ${email}`);
    await api.call('PATCH', `/v1/end-users/${endUser.id}`, { token: account.token, body: { association: 'strong' } });
    await api.call('POST', '/v1/auth/set-password', { body: { token: await setPasswordToken(api, email), password } });
    return (await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } })).body.token;
  }

  it('see and add messages only to their own tickets; others are 404', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const mine = (await portalRequest(api, slug, 'me@x.test')).body.ticket;
    const theirs = (await portalRequest(api, slug, 'them@x.test')).body.ticket;
    const token = await signedInEndUser(account, 'me@x.test');

    const list = await api.call('GET', '/v1/tickets', { token });
    expect(list.body.items.map((t) => t.id)).toEqual([mine.id]);
    expect((await api.call('GET', `/v1/tickets/${theirs.id}`, { token })).status).toBe(404);
    expect((await api.call('POST', `/v1/tickets/${theirs.id}/messages`, { token, body: { body: 'Hi' } })).status).toBe(404);

    const added = await api.call('POST', `/v1/tickets/${mine.id}/messages`, { token, body: { body: 'Any news?' } });
    expect(added.status).toBe(201);
    const messages = await api.call('GET', `/v1/tickets/${mine.id}/messages`, { token });
    expect(messages.body.items.map((m) => m.body)).toEqual(['Smoke everywhere. Please help.', 'Any news?']);
    expect((await api.call('PATCH', `/v1/tickets/${mine.id}`, { token, body: { status: 'closed' } })).status).toBe(403);
  });

  it('filter their own tickets by their own company', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const mine = (await portalRequest(api, slug, 'filter.me@x.test')).body.ticket;
    const token = await signedInEndUser(account, 'filter.me@x.test');
    const list = await api.call('GET', `/v1/tickets?companyId=${account.defaultCompanyId}`, { token });
    expect(list.body.items.map((t) => t.id)).toEqual([mine.id]);
  });

  it('reopen a solved ticket by writing to it', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const ticket = (await portalRequest(api, slug, 'back@x.test')).body.ticket;
    await api.call('PATCH', `/v1/tickets/${ticket.id}`, { token: account.token, body: { status: 'solved' } });
    const token = await signedInEndUser(account, 'back@x.test');
    await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token, body: { body: 'Broken again' } });
    expect((await api.call('GET', `/v1/tickets/${ticket.id}`, { token })).body.status).toBe('open');
  });
});
