import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addStaff } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { addPortal, portalRequest } from '../support/service-desk.js';

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
    const base = { contactId, companyId: null, frequency: 'weekly', hour: 8, timezone: 'Europe/Berlin' };
    expect((await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: base })).status).toBe(400);
    expect((await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { ...base, weekday: 1, timezone: 'Mars/Olympus' } })).status).toBe(400);
    const ok = await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { ...base, weekday: 1 } });
    expect(ok.status).toBe(201);
    expect(new Date(ok.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items).toHaveLength(1);
    expect((await api.call('DELETE', `/v1/report-subscriptions/${ok.body.id}`, { token: account.token })).status).toBe(204);
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
    await api.call('DELETE', '/_local/outbox');

    const { handler } = await import('../../functions/reports.js');
    const due = tomorrowAt(hour).toISOString();
    const [a, b] = await Promise.all([handler({ time: due }), handler({ time: due })]);
    const again = await handler({ time: due });

    expect(a.sent + b.sent + again.sent).toBe(1);
    const outbox = (await api.call('GET', '/_local/outbox')).body.items.filter((m: { to: string[] }) => m.to.includes('reports@x.test'));
    expect(outbox).toHaveLength(1);
    const [report] = outbox;
    const today = new Date().toISOString().slice(0, 10);
    expect(report.subject).toBe(`Daily report for Default: ${today}`);
    expect(report.body).toContain('Tickets opened: 2');
    expect(report.body).toContain('Tickets solved: 1');
    expect(report.body).toContain('Still waiting: 1');
    expect(report.body).toMatch(/Time in queue \(median\): \d+ s/);
    expect(report.body).toContain('Alerts sent: 2');
    expect(report.html).toContain('<table');
  });

  it('sends nothing before the subscription is due', async () => {
    const account = await signUpAccount(api);
    const { contactId } = await addAlertContact(api, account, { email: 'early@x.test' });
    const hour = (new Date().getUTCHours() + 2) % 24;
    await api.call('POST', '/v1/report-subscriptions', { token: account.token, body: { contactId, companyId: null, frequency: 'daily', hour, timezone: 'UTC' } });
    const { handler } = await import('../../functions/reports.js');
    await handler({ time: new Date().toISOString() });
    expect((await api.call('GET', '/_local/outbox')).body.items.filter((m: { to: string[] }) => m.to.includes('early@x.test'))).toEqual([]);
  });
});
