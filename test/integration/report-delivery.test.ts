import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { clearOutbox, outboxFor } from '../support/mail.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { handler } from '../../functions/report-schedule.js';
import { reportSendEntity } from '../../shared/reports/entities.js';

// The SES stand-in accepts every message: these addresses make the send fail, as SES can.
const failingAddresses = vi.hoisted(() => new Set<string>());
vi.mock('../../shared/clients/ses.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../shared/clients/ses.js')>();
  return {
    ...real,
    sendEmail: async (message: Parameters<typeof real.sendEmail>[0]) => {
      if (message.to.some((address) => failingAddresses.has(address))) throw new Error('Simulated SES rejection');
      return real.sendEmail(message);
    },
  };
});

const api = useApi();

beforeEach(async () => {
  failingAddresses.clear();
  await clearOutbox(api);
});

const hour = new Date().getUTCHours();
/** Tomorrow, a minute past `hour` (UTC): when a daily subscription for `hour` in UTC is due. */
const due = (() => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hour, 1, 0, 0);
  return d;
})();
const period = due.toISOString().slice(0, 10);

async function runSchedule() {
  return handler({ time: due.toISOString() });
}

const subjectsTo = async (address: string) => (await outboxFor(api, address)).map((m) => m.subject).sort();

/** A contact whose reports go to two email addresses, subscribed daily at `hour`. */
async function subscribeTwoAddresses(account: SignedUpAccount, companyId: string | null, first: string, second: string) {
  const contact = await addAlertContact(api, account, { email: first });
  const method = (await api.call('POST', `/v1/contacts/${contact.contactId}/methods`, { token: account.token, body: { type: 'email', address: second } })).body;
  await api.call('POST', `/v1/contacts/${contact.contactId}/rules`, { token: account.token, body: { methodId: method.id, use: 'report' } });
  const sub = await api.call('POST', '/v1/report-subscriptions', {
    token: account.token,
    body: { contactId: contact.contactId, companyId, frequency: 'daily', hour, timezone: 'UTC' },
  });
  expect(sub.status).toBe(201);
  return { subscriptionId: sub.body.id as string, firstMethodId: contact.emailMethodId, secondMethodId: method.id as string };
}

const subscription = async (account: SignedUpAccount, id: string) =>
  ((await api.call('GET', '/v1/report-subscriptions', { token: account.token })).body.items as { id: string; lastPeriod?: string; nextRunAt: string }[]).find(
    (s) => s.id === id,
  )!;

describe('Report emails, each sent once per period and recipient', () => {
  it('a report that failed for one recipient is sent again to that recipient only, by the next run', async () => {
    const account = await signUpAccount(api);
    const { subscriptionId } = await subscribeTwoAddresses(account, account.defaultCompanyId, 'works@x.test', 'rejects@x.test');
    failingAddresses.add('rejects@x.test');

    expect(await runSchedule()).toMatchObject({ sent: 1, failed: 1, completed: 0 });
    expect(await subjectsTo('works@x.test')).toHaveLength(1);
    expect(await subjectsTo('rejects@x.test')).toEqual([]);
    expect((await subscription(account, subscriptionId)).lastPeriod).toBeUndefined();

    failingAddresses.clear();
    expect(await runSchedule()).toMatchObject({ sent: 1, failed: 0, completed: 1 });
    expect(await runSchedule()).toMatchObject({ sent: 0, completed: 0 });
    expect(await subjectsTo('works@x.test')).toHaveLength(1);
    expect(await subjectsTo('rejects@x.test')).toHaveLength(1);
    const done = await subscription(account, subscriptionId);
    expect(done.lastPeriod).toBe(period);
    expect(Date.parse(done.nextRunAt)).toBeGreaterThan(due.getTime());
  });

  it('a whole-account report goes to each method once per company, however the runs overlap', async () => {
    const account = await signUpAccount(api);
    await addCompany(api, account, 'Branch');
    await subscribeTwoAddresses(account, null, 'one@x.test', 'two@x.test');

    const runs = [...(await Promise.all([runSchedule(), runSchedule()])), await runSchedule()];

    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(4);
    const today = new Date().toISOString().slice(0, 10);
    const expected = [`Daily report for Branch: ${today}`, `Daily report for Default: ${today}`].sort();
    expect(await subjectsTo('one@x.test')).toEqual(expected);
    expect(await subjectsTo('two@x.test')).toEqual(expected);
  });

  it('an email another run is sending is left to it; once that run’s lease has lapsed (it died), the next run sends it', async () => {
    const account = await signUpAccount(api);
    const { subscriptionId, secondMethodId } = await subscribeTwoAddresses(account, account.defaultCompanyId, 'free@x.test', 'held@x.test');
    const leaseUntil = (until: number) =>
      reportSendEntity.update(
        { accountId: account.accountId, subscriptionId, period, companyId: account.defaultCompanyId, methodId: secondMethodId },
        { set: { leaseId: 'another-run', leaseUntil: new Date(until).toISOString() } },
      );

    await leaseUntil(Date.now() + 60_000);
    expect(await runSchedule()).toMatchObject({ sent: 1, skipped: 1, completed: 0 });
    expect(await subjectsTo('held@x.test')).toEqual([]);

    await leaseUntil(Date.now() - 1);
    expect(await runSchedule()).toMatchObject({ sent: 1, completed: 1 });
    expect(await subjectsTo('free@x.test')).toHaveLength(1);
    expect(await subjectsTo('held@x.test')).toHaveLength(1);
  });
});
