import { beforeEach, describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { clearOutbox, outboxFor } from '../support/mail.js';
import { signUpAccount } from '../support/fixtures.js';
import { addCompany } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { handler } from '../../functions/queue-alert-schedule.js';
import { recordAlert, type Delivery } from '../../shared/alerts/alerts.js';
import { alertDeliveryEntity } from '../../shared/alerts/entities.js';
import { transact } from '../../shared/db/transaction.js';
import { runQueueAlerts } from '../../shared/tickets/queue-alerts.js';

const api = useApi();

beforeEach(async () => {
  await clearOutbox(api);
});

describe('Alert delivery by use and urgency', () => {
  it('sends low and high alerts by email and critical alerts by SMS, on exactly the matched methods', async () => {
    const account = await signUpAccount(api);
    const contact = await addAlertContact(api, account, { email: 'fanout@x.test', phone: '+4915100000001' });

    const low = await api.call('POST', '/v1/alerts', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, urgency: 'low', title: 'Disk 80%', body: 'srv-1' },
    });
    expect(low.status).toBe(201);
    expect(low.body.deliveries).toEqual([
      {
        contactId: contact.contactId,
        methodId: contact.emailMethodId,
        channel: 'email',
        address: 'fanout@x.test',
        status: 'sent',
        attempts: 1,
        at: expect.any(String),
      },
    ]);
    const critical = await api.call('POST', '/v1/alerts', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, urgency: 'critical', title: 'Server down', body: 'srv-1 unreachable' },
    });
    expect(critical.body.deliveries).toMatchObject([{ methodId: contact.smsMethodId, channel: 'sms', status: 'sent' }]);

    const emails = await outboxFor(api, 'fanout@x.test');
    const texts = await outboxFor(api, '+4915100000001');
    expect(emails.map((m) => m.subject)).toEqual(['[LOW] Disk 80%']);
    expect(texts).toMatchObject([{ channel: 'sms', body: expect.stringContaining('Server down') }]);
  });

  it('reaches only contacts with access to the alert’s company', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    await addAlertContact(api, account, { companies: [other], email: 'elsewhere@x.test' });
    const res = await api.call('POST', '/v1/alerts', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, urgency: 'high', title: 'T', body: 'B' },
    });
    expect(res.body.deliveries).toEqual([]);
    expect(await outboxFor(api, 'elsewhere@x.test')).toEqual([]);
  });

  it('retries a failing send and records it failed after the last try, without holding up the others', async () => {
    const account = await signUpAccount(api);
    await addAlertContact(api, account, { email: 'ok@x.test', phone: '+4915100000002' });
    const second = await addAlertContact(api, account, { email: 'ok2@x.test', phone: '+4915100000003' });
    api.sns.failingNumbers.add('+4915100000002');
    try {
      const res = await api.call('POST', '/v1/alerts', {
        token: account.token,
        body: { companyId: account.defaultCompanyId, urgency: 'critical', title: 'Down', body: 'x' },
      });
      const byAddress = Object.fromEntries(res.body.deliveries.map((d: { address: string }) => [d.address, d]));
      expect(byAddress['+4915100000002']).toMatchObject({ status: 'failed', attempts: 3 });
      expect(byAddress['+4915100000003']).toMatchObject({ status: 'sent', contactId: second.contactId });
      const stored = await api.call('GET', `/v1/alerts/${res.body.id}`, { token: account.token });
      expect(stored.body).toMatchObject({ status: 'partially_delivered' });
      expect(stored.body.deliveries).toHaveLength(2);
    } finally {
      api.sns.failingNumbers.delete('+4915100000002');
    }
  });

  it('names only a device of the alert’s company in the caller’s account: any other is 404', async () => {
    const account = await signUpAccount(api);
    const stranger = await signUpAccount(api);
    const other = await addCompany(api, account);
    const device = async (owner: typeof account, companyIds: string[]) =>
      (await api.call('POST', '/v1/devices', { token: owner.token, body: { name: 'srv-1', kind: 'server', companyIds } })).body.id as string;
    const ours = await device(account, [account.defaultCompanyId]);
    const otherCompanys = await device(account, [other]);
    const foreign = await device(stranger, [stranger.defaultCompanyId]);
    const raise = (deviceId: string) =>
      api.call('POST', '/v1/alerts', {
        token: account.token,
        body: { companyId: account.defaultCompanyId, deviceId, urgency: 'high', title: 'Disk', body: 'full' },
      });

    expect((await raise(ours)).status).toBe(201);
    for (const deviceId of [otherCompanys, foreign, 'dev_missing']) {
      const refused = await raise(deviceId);
      expect(refused.status).toBe(404);
      expect(refused.body.error?.code).toBe('not_found');
    }
    expect((await api.call('GET', '/v1/alerts', { token: account.token })).body.items).toHaveLength(1);
  });

  it('takes alerts from a monitoring integration key until it is revoked', async () => {
    const account = await signUpAccount(api);
    await addAlertContact(api, account, { email: 'monitor@x.test' });
    const key = await api.call('POST', '/v1/integration-keys', { token: account.token, body: { name: 'Nagios' } });
    expect(key.status).toBe(201);
    const raised = await api.call('POST', '/v1/alerts', {
      token: key.body.key,
      body: { companyId: account.defaultCompanyId, urgency: 'high', title: 'CPU', body: 'hot' },
    });
    expect(raised.status).toBe(201);
    expect(raised.body.source).toBe('monitoring');
    expect((await api.call('GET', '/v1/companies', { token: key.body.key })).status).toBe(401);

    expect((await api.call('DELETE', `/v1/integration-keys/${key.body.id}`, { token: account.token })).status).toBe(204);
    expect(
      (await api.call('POST', '/v1/alerts', { token: key.body.key, body: { companyId: account.defaultCompanyId, urgency: 'high', title: 'CPU', body: 'hot' } }))
        .status,
    ).toBe(401);
  });

  it("alerts the company's contacts of every portal request, at low urgency", async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await addAlertContact(api, account, { email: 'portal-watch@x.test' });
    await portalRequest(api, slug);
    const mails = await outboxFor(api, 'portal-watch@x.test');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[LOW\] New portal request #1/)]);
    const alerts = await api.call('GET', '/v1/alerts', { token: account.token });
    expect(alerts.body.items).toMatchObject([{ source: 'portal_request', urgency: 'low', status: 'delivered' }]);
  });
});

describe('Queue items waiting too long', () => {
  it('raise one high alert each, however often the schedule runs', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await addAlertContact(api, account, { email: 'waiting@x.test' });
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { queueAlertAfterMinutes: 1 } });
    await portalRequest(api, slug);
    await clearOutbox(api);

    const later = new Date(Date.now() + 2 * 60_000).toISOString();
    const first = await handler({ time: later });
    const second = await handler({ time: later });
    expect(first.alerted).toBe(1);
    expect(second.alerted).toBe(0);
    const mails = await outboxFor(api, 'waiting@x.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[HIGH\] Ticket #1 has waited 2 minutes/);
  });

  it('leave items alone before the company’s threshold', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await addAlertContact(api, account, { email: 'patient@x.test' });
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { queueAlertAfterMinutes: 30 } });
    await portalRequest(api, slug);
    await clearOutbox(api);
    await handler({ time: new Date(Date.now() + 10 * 60_000).toISOString() });
    expect(await outboxFor(api, 'patient@x.test')).toEqual([]);
  });
});

describe('Alert deliveries cut short (the Lambda died after recording the alert)', () => {
  /** An alert recorded with its cause, as every caller does, whose delivery never ran. */
  async function recordUndelivered(account: Awaited<ReturnType<typeof signUpAccount>>, title: string) {
    const { alert, write } = recordAlert(account.accountId, { companyId: account.defaultCompanyId, urgency: 'high', title, body: 'x', source: 'manual' });
    await transact([write]);
    return alert;
  }
  const afterGrace = () => new Date(Date.now() + 3 * 60_000);

  it('are delivered by the queue-alert schedule once the grace period has passed, once', async () => {
    const account = await signUpAccount(api);
    const contact = await addAlertContact(api, account, { email: 'resumed@x.test' });
    const alert = await recordUndelivered(account, 'Orphaned');

    await runQueueAlerts(new Date());
    expect(await outboxFor(api, 'resumed@x.test')).toEqual([]);

    expect((await runQueueAlerts(afterGrace())).resumed).toBe(1);
    expect((await runQueueAlerts(afterGrace())).resumed).toBe(0);
    expect((await outboxFor(api, 'resumed@x.test')).map((m) => m.subject)).toEqual(['[HIGH] Orphaned']);
    const stored = await api.call('GET', `/v1/alerts/${alert.id}`, { token: account.token });
    expect(stored.body).toMatchObject({
      status: 'delivered',
      deliveries: [{ contactId: contact.contactId, methodId: contact.emailMethodId, status: 'sent', attempts: 1 }],
    });
  });

  it('resume with the recipients not reached yet: a delivery recorded as sent is not sent again', async () => {
    const account = await signUpAccount(api);
    const reached = await addAlertContact(api, account, { email: 'reached@x.test' });
    await addAlertContact(api, account, { email: 'pending@x.test' });
    const alert = await recordUndelivered(account, 'Half-way');
    // The run died right after recording its first delivery.
    const first: Delivery = {
      contactId: reached.contactId,
      methodId: reached.emailMethodId,
      channel: 'email',
      address: 'reached@x.test',
      status: 'sent',
      attempts: 1,
      at: new Date().toISOString(),
    };
    await alertDeliveryEntity.put({ accountId: account.accountId, alertId: alert.id, ...first });

    await runQueueAlerts(afterGrace());
    await runQueueAlerts(afterGrace());

    expect(await outboxFor(api, 'reached@x.test')).toEqual([]);
    expect(await outboxFor(api, 'pending@x.test')).toHaveLength(1);
    const stored = await api.call('GET', `/v1/alerts/${alert.id}`, { token: account.token });
    expect(stored.body.status).toBe('delivered');
    expect(stored.body.deliveries).toHaveLength(2);
  });

  it('are left alone when their delivery completed', async () => {
    const account = await signUpAccount(api);
    await addAlertContact(api, account, { email: 'done@x.test' });
    await api.call('POST', '/v1/alerts', { token: account.token, body: { companyId: account.defaultCompanyId, urgency: 'high', title: 'Once', body: 'x' } });
    await runQueueAlerts(afterGrace());
    expect(await outboxFor(api, 'done@x.test')).toHaveLength(1);
  });
});
