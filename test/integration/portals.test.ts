import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, uniqueSlug } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { availableTechnician } from '../support/availability.js';
import { outboxFor } from '../support/mail.js';

const api = useApi();

/** Runs `work` with the clock held at the start of a minute, so every request lands in one rate window (the handlers run in this process). */
async function withinOneMinute<T>(work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 1_000 });
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

describe('Customer portals', () => {
  it('shows an enabled portal publicly with its company name and available technicians', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const res = await api.call('GET', `/v1/portals/${slug}`);
    expect(res).toMatchObject({ status: 200, body: { title: 'Help centre', companyName: 'Default', language: 'en', techniciansAvailable: 0 } });
  });

  it("speaks the company's effective language: the account's, or the company's own", async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await api.call('PATCH', '/v1/settings', { token: account.token, body: { language: 'fr' } });
    expect((await api.call('GET', `/v1/portals/${slug}`)).body.language).toBe('fr');
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });
    expect((await api.call('GET', `/v1/portals/${slug}`)).body.language).toBe('de');
  });

  it('hides a disabled or unknown portal (404)', async () => {
    const account = await signUpAccount(api);
    const { slug, supportEmail } = await addPortal(api, account);
    await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
      token: account.token,
      body: { slug, title: 'Off', enabled: false, supportEmail },
    });
    expect((await api.call('GET', `/v1/portals/${slug}`)).status).toBe(404);
    expect((await api.call('GET', '/v1/portals/no-such-portal')).status).toBe(404);
    expect((await portalRequest(api, slug)).status).toBe(404);
  });

  it('keeps slugs and support addresses unique across accounts, also when set at once', async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const slug = uniqueSlug('shared');
    const results = await Promise.all(
      [first, second].map((a, i) =>
        api.call('PUT', `/v1/companies/${a.defaultCompanyId}/portal`, {
          token: a.token,
          body: { slug, title: 'Race', enabled: true, supportEmail: `help${i}@${slug}.test` },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses a support address another portal already uses', async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, first);
    const res = await api.call('PUT', `/v1/companies/${second.defaultCompanyId}/portal`, {
      token: second.token,
      body: { slug: uniqueSlug(), title: 'Mine', enabled: true, supportEmail: supportEmail.toUpperCase() },
    });
    expect(res.status).toBe(409);
    expect(res.body.error?.details[0]?.path).toBe('supportEmail');
  });

  it('releases the old slug when a portal is renamed', async () => {
    const account = await signUpAccount(api);
    const { slug, supportEmail } = await addPortal(api, account);
    const renamed = uniqueSlug();
    await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
      token: account.token,
      body: { slug: renamed, title: 'T', enabled: true, supportEmail },
    });
    expect((await api.call('GET', `/v1/portals/${slug}`)).status).toBe(404);
    const other = await signUpAccount(api);
    const reuse = await api.call('PUT', `/v1/companies/${other.defaultCompanyId}/portal`, {
      token: other.token,
      body: { slug, title: 'T', enabled: true, supportEmail: `x@${slug}.test` },
    });
    expect(reuse.status).toBe(200);
  });
});

describe('Technician availability', () => {
  it('counts only available technicians with access to the company and a remote support seat', async () => {
    const account = await signUpAccount(api);
    const elsewhere = await addCompany(api, account);
    const { slug } = await addPortal(api, account);
    await availableTechnician(api, account);
    const withdrawn = await availableTechnician(api, account);
    await api.call('DELETE', `/v1/users/${withdrawn.id}/seats/remote_support`, { token: account.token });
    const outsider = await addStaff(api, account, { companyIds: [elsewhere] });
    await api.call('PUT', `/v1/users/${outsider.id}/seats/remote_support`, { token: account.token });
    await api.call('PUT', '/v1/me/availability', { token: outsider.token, body: { status: 'available' } });

    expect((await api.call('GET', `/v1/portals/${slug}`)).body.techniciansAvailable).toBe(1);
  });

  it('refuses available without a remote support seat (403 seat_required), and always allows away', async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account);
    const refused = await api.call('PUT', '/v1/me/availability', { token: tech.token, body: { status: 'available' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('seat_required');
    expect((await api.call('PUT', '/v1/me/availability', { token: tech.token, body: { status: 'away' } })).status).toBe(200);
  });

  it('stops counting a technician who goes away', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const tech = await availableTechnician(api, account);
    const away = await api.call('PUT', '/v1/me/availability', { token: tech.token, body: { status: 'away' } });
    expect(away.body).toMatchObject({ status: 'away' });
    expect((await api.call('GET', `/v1/portals/${slug}`)).body.techniciansAvailable).toBe(0);
  });

  it('lets availability lapse after 10 minutes without renewal, and a renewal keeps it', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const tech = await availableTechnician(api, account);
    const available = async () => (await api.call('GET', `/v1/portals/${slug}`)).body.techniciansAvailable;
    // The handlers run in this process: moving its clock is moving theirs.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      vi.setSystemTime(Date.now() + 9 * 60_000);
      expect(await available()).toBe(1);
      await api.call('PUT', '/v1/me/availability', { token: tech.token, body: { status: 'available' } });
      vi.setSystemTime(Date.now() + 9 * 60_000);
      expect(await available()).toBe(1);
      vi.setSystemTime(Date.now() + 2 * 60_000);
      expect(await available()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Portal requests', () => {
  it('queues the question when nobody is available, and counts its place in the company queue', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const first = await portalRequest(api, slug, 'claire.johnson@myorg.org');
    const second = await portalRequest(api, slug);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ticket: { status: 'queued', channel: 'portal', number: 1 }, queue: { position: 1 }, liveTechnician: null });
    expect(second.body.queue).toEqual({ position: 2 });

    const endUser = await api.call('GET', '/v1/end-users?email=claire.johnson@myorg.org', { token: account.token });
    expect(endUser.body.items[0]).toMatchObject({ firstName: 'Claire', lastName: 'Johnson', association: 'weak' });
  });

  it('connects the customer with an available technician at once', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const tech = await availableTechnician(api, account);
    const res = await portalRequest(api, slug, undefined, { name: 'Bob Builder' });
    expect(res.body).toMatchObject({ ticket: { status: 'open', assigneeId: tech.id }, queue: null, liveTechnician: { id: tech.id, firstName: 'Sam' } });
  });

  it('keeps the name staff gave an end user who writes in later', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await api.call('POST', '/v1/end-users', {
      token: account.token,
      body: { email: 'cj@x.test', firstName: 'Claire', lastName: 'Johnson', companyId: account.defaultCompanyId },
    });
    const res = await portalRequest(api, slug, 'cj@x.test');
    const endUser = await api.call('GET', `/v1/end-users/${res.body.ticket.endUserId}`, { token: account.token });
    expect(endUser.body).toMatchObject({ firstName: 'Claire', lastName: 'Johnson' });
  });

  it('throttles one sender (429) without blocking others', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const statuses: number[] = [];
    // 11 requests span at most two one-minute windows, so one window sees a sixth request.
    for (let i = 0; i < 11; i++) statuses.push((await portalRequest(api, slug, 'chatty@x.test')).status);
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(10);
    expect((await portalRequest(api, slug, 'quiet@x.test')).status).toBe(201);
  });

  it('throttles one client address to 20 requests a minute, whatever senders it names', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const statuses = await withinOneMinute(async () => {
      const out: number[] = [];
      for (let i = 0; i < 21; i++) out.push((await portalRequest(api, slug, `rotating${i}@x.test`)).status);
      return out;
    });
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('counts a sender without case and without +tag (5 a minute)', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const statuses = await withinOneMinute(async () => {
      const out: number[] = [];
      for (const email of ['tagged@x.test', 'tagged+1@x.test', 'TAGGED+2@x.test', 'Tagged+a.b@X.TEST', 'tagged+@x.test', 'tagged+6@x.test']) {
        out.push((await portalRequest(api, slug, email)).status);
      }
      return out;
    });
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('answers a staff address like any other (201, same shape) and gives that address no second identity', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const customer = await portalRequest(api, slug, 'plain.customer@x.test');
    const staff = await portalRequest(api, slug, account.adminEmail.toUpperCase());
    const again = await portalRequest(api, slug, account.adminEmail);
    expect(staff.status).toBe(201);
    const shape = (body: Record<string, unknown>) => [Object.keys(body).sort(), Object.keys(body.ticket as object).sort()];
    expect(shape(staff.body)).toEqual(shape(customer.body));
    expect(staff.body.ticket.endUserId.split('_')[0]).toBe(customer.body.ticket.endUserId.split('_')[0]);
    expect(again.body.ticket.endUserId).toBe(staff.body.ticket.endUserId);

    expect((await api.call('GET', `/v1/end-users?email=${account.adminEmail}`, { token: account.token })).body.items).toEqual([]);
    const messages = await api.call('GET', `/v1/tickets/${staff.body.ticket.id}/messages`, { token: account.token });
    expect(messages.body.items[0]?.author).toEqual({ type: 'staff', id: account.adminId });
    const me = await api.call('GET', '/v1/me', { token: account.token });
    expect(me.body.email).toBe(account.adminEmail);
  });

  it('pages the company once for a burst of requests, counting the rest on that alert', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const watcher = `${uniqueSlug('burst')}@x.test`;
    await addAlertContact(api, account, { email: watcher });
    const pages = async () => (await outboxFor(api, watcher)).length;
    await withinOneMinute(async () => {
      for (let i = 0; i < 4; i++) expect((await portalRequest(api, slug)).status).toBe(201);
      expect(await pages()).toBe(1);
      expect((await api.call('GET', '/v1/alerts', { token: account.token })).body.items).toHaveLength(1);
      // A request after the window raises (and delivers) a new alert.
      vi.setSystemTime(Date.now() + 6 * 60_000);
      await portalRequest(api, slug);
      expect(await pages()).toBe(2);
    });
  });

  it('caps field lengths', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const res = await portalRequest(api, slug, undefined, { subject: 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.body.error?.details[0]?.path).toBe('subject');
  });
});

describe('A deleted company’s portal', () => {
  it('goes with the company, freeing its slug and support address', async () => {
    const account = await signUpAccount(api);
    const company = await addCompany(api, account);
    const { slug, supportEmail } = await addPortal(api, account, company);
    expect((await api.call('DELETE', `/v1/companies/${company}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', `/v1/portals/${slug}`)).status).toBe(404);
    const other = await signUpAccount(api);
    const reuse = await api.call('PUT', `/v1/companies/${other.defaultCompanyId}/portal`, {
      token: other.token,
      body: { slug, title: 'Reused', enabled: true, supportEmail },
    });
    expect(reuse.status).toBe(200);
  });
});
