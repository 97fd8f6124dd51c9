import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { clearOutbox, outboxFor } from '../support/mail.js';
import { handler } from '../../functions/report-schedule.js';

const api = useApi();

/** Tomorrow at the given UTC hour, plus a minute: when a daily subscription at that hour is due. */
function tomorrowAt(hour: number): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hour, 1, 0, 0);
  return d;
}

describe('Report subscriptions', () => {
  it('validates the cadence: weekly needs a weekday, the time zone must exist', async () => {
    const account = await signUpAccount(api);
    const { contactId } = await addAlertContact(api, account);
    // A weekday other than today's, so the first report is not due at once.
    const weekday = (new Date().getUTCDay() + 3) % 7;
    const base = { contactId, companyId: null, frequency: 'weekly', hour: 8, timezone: 'UTC' };
    expect((await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: base })).status).toBe(400);
    expect((await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { ...base, weekday, timezone: 'Mars/Olympus' } })).status).toBe(
      400,
    );
    const ok = await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { ...base, weekday } });
    expect(ok.status).toBe(201);
    expect(new Date(ok.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items).toHaveLength(1);
    expect((await api.call('DELETE', `/v1/report-subscriptions/${ok.body.id}`, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items).toEqual([]);
  });
});

describe('A new subscription whose hour has come today', () => {
  it('is due at once and its report goes out on the next run of the schedule', async () => {
    const account = await signUpAccount(api);
    const { contactId, email } = await addAlertContact(api, account, { email: `reports@${account.slug}.test` });
    const hour = new Date().getUTCHours();
    const created = await api.call('POST', '/v1/report-subscriptions', {
      token: account.token,
      body: { contactId, companyId: null, frequency: 'daily', hour, timezone: 'UTC' },
    });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.nextRunAt)).toBeLessThanOrEqual(Date.now());
    await api.runSchedule('reports');
    const reports = (await api.ses.messages()).filter((m) => m.to.includes(email) && m.subject?.startsWith('Daily report'));
    expect(reports.length).toBeGreaterThan(0);
    // Leaves no subscription behind for the schedule runs of the tests below.
    await api.call('DELETE', `/v1/report-subscriptions/${created.body.id}`, { token: account.token });
  });
});

describe('Who may subscribe to which reports', () => {
  const subscribe = (account: Awaited<ReturnType<typeof signUpAccount>>, contactId: string, companyId: string | null) =>
    api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { contactId, companyId, frequency: 'daily', hour: 8, timezone: 'UTC' } });

  it("a contact of one company may subscribe to that company's reports only", async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const { contactId } = await addAlertContact(api, account, { companies: [other] });

    expect((await subscribe(account, contactId, other)).status).toBe(201);
    const refused = await subscribe(account, contactId, account.defaultCompanyId);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'contactId' }] });
  });

  it('only a contact of all companies may subscribe to the whole account', async () => {
    const account = await signUpAccount(api);
    const narrow = await addAlertContact(api, account, { companies: [account.defaultCompanyId] });
    const everywhere = await addAlertContact(api, account, { companies: 'all' });

    const refused = await subscribe(account, narrow.contactId, null);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.details).toMatchObject([{ path: 'contactId' }]);
    expect((await subscribe(account, everywhere.contactId, null)).status).toBe(201);
    expect((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items).toHaveLength(1);
  });

  it("another account's contact or company is not found", async () => {
    const account = await signUpAccount(api);
    const stranger = await signUpAccount(api);
    const ours = await addAlertContact(api, account);
    const theirs = await addAlertContact(api, stranger);

    for (const res of [
      await subscribe(account, theirs.contactId, account.defaultCompanyId),
      await subscribe(account, ours.contactId, stranger.defaultCompanyId),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe('not_found');
    }
    expect((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items).toEqual([]);
  });
});

describe('The report schedule', () => {
  it("emails each company's figures for the period once, however often it runs", async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const { contactId } = await addAlertContact(api, account, { email: 'reports@x.test' });
    const tech = await addStaff(api, account);
    await api.call('PUT', `/v1/users/${tech.id}/seats/service_desk`, { token: account.token });
    const first = (await portalRequest(api, slug)).body.ticket;
    await portalRequest(api, slug);
    await api.call('POST', '/v1/queue/claim', { token: tech.token });
    await api.call('PATCH', `/v1/tickets/${first.id}`, { token: tech.token, body: { status: 'solved' } });
    const hour = new Date().getUTCHours();
    await api.call('POST', '/v1/report-subscriptions', {
      token: account.token,
      body: { contactId, companyId: account.defaultCompanyId, frequency: 'daily', hour, timezone: 'UTC' },
    });
    await clearOutbox(api);

    const due = tomorrowAt(hour).toISOString();
    await Promise.all([handler({ time: due }), handler({ time: due })]);
    await handler({ time: due });

    const outbox = await outboxFor(api, 'reports@x.test');
    expect(outbox).toHaveLength(1);
    const report = outbox[0]!;
    const today = new Date().toISOString().slice(0, 10);
    expect(report.subject).toBe(`Daily report for Default: ${today}`);
    expect(report.body).toContain('Tickets opened: 2');
    expect(report.body).toContain('Tickets solved: 1');
    expect(report.body).toContain('Still waiting: 1');
    expect(report.body).toMatch(/Time in queue \(median\): \d+ s/);
    // The two requests came in one burst: one portal alert went out for both.
    expect(report.body).toContain('Alerts sent: 1');
    expect(report.html).toContain('<table');
  });

  it('sends nothing before the subscription is due', async () => {
    const account = await signUpAccount(api);
    const { contactId } = await addAlertContact(api, account, { email: 'early@x.test' });
    const hour = (new Date().getUTCHours() + 2) % 24;
    await api.call('POST', '/v1/report-subscriptions', {
      token: account.token,
      body: { contactId, companyId: null, frequency: 'daily', hour, timezone: 'UTC' },
    });
    await handler({ time: new Date().toISOString() });
    expect(await outboxFor(api, 'early@x.test')).toEqual([]);
  });
});
