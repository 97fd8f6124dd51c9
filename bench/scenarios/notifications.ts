import { handler } from '../../functions/report-schedule.js';
import { composeMime } from '../../shared/email/compose.js';
import { receiveEmail } from '../../shared/tickets/email-intake.js';
import { measureInProcess, type BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';

/** Inbound email, alert fan-out and the report schedule. */
export async function notificationScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const token = context.adminToken;
  const support = 'help@bench.test';
  const mail = (from: string, messageId: string, extra: { inReplyTo?: string } = {}) =>
    composeMime({
      from,
      to: [support],
      subject: 'Printer',
      text: 'It is on fire.',
      messageId,
      ...extra,
      references: extra.inReplyTo ? [extra.inReplyTo] : undefined,
    });

  await receiveEmail(mail('warm@customer.test', '<warm@customer.test>'));
  record('inbound email → ticket (new sender)', await measureInProcess(() => receiveEmail(mail('first.mail@customer.test', '<m1@customer.test>'))));
  record(
    'inbound email → message (reply)',
    await measureInProcess(() => receiveEmail(mail('first.mail@customer.test', '<m2@customer.test>', { inReplyTo: '<m1@customer.test>' }))),
  );

  for (let i = 0; i < 20; i++) {
    const contact = await system.call('POST', '/v1/contacts', { token, body: { name: `Contact ${i}`, companies: 'all' } });
    const method = await system.call('POST', `/v1/contacts/${contact.body.id}/methods`, { token, body: { type: 'email', address: `c${i}@contacts.test` } });
    await system.call('POST', `/v1/contacts/${contact.body.id}/rules`, { token, body: { methodId: method.body.id, use: 'alert', urgencies: ['high'] } });
  }
  const alert = { companyId: context.companyId, urgency: 'high', title: 'Disk full', body: 'srv-1' };
  await system.call('POST', '/v1/alerts', { token, body: alert });
  record('POST /v1/alerts (fan-out to 20+ contacts)', await system.call('POST', '/v1/alerts', { token, body: alert }));

  const contact = await system.call('POST', '/v1/contacts', { token, body: { name: 'Reports', companies: 'all' } });
  const method = await system.call('POST', `/v1/contacts/${contact.body.id}/methods`, { token, body: { type: 'email', address: 'reports@contacts.test' } });
  await system.call('POST', `/v1/contacts/${contact.body.id}/rules`, { token, body: { methodId: method.body.id, use: 'report' } });
  const requester = 'load@customer.test';
  for (let n = 0; n < 1000; n += 10) {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        system.call('POST', '/v1/tickets', { token, body: { companyId: context.companyId, subject: 'Load', description: 'x', requesterEmail: requester } }),
      ),
    );
  }
  const hour = new Date().getUTCHours();
  await system.call('POST', '/v1/report-subscriptions', {
    token,
    body: { contactId: contact.body.id, companyId: context.companyId, frequency: 'daily', hour, timezone: 'UTC' },
  });
  const due = new Date();
  due.setUTCDate(due.getUTCDate() + 1);
  due.setUTCHours(hour, 1, 0, 0);
  record('reports schedule run (1 subscription, 1,000+ tickets)', await measureInProcess(() => handler({ time: due.toISOString() })));

  const outbox = await system.services.ses.messages();
  const report = outbox.find((m) => m.to.includes('reports@contacts.test'));
  if (report) console.log(`\nExample report email (outbox):\nSubject: ${report.subject}\n\n${report.body}`);
}
