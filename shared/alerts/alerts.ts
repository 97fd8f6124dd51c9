import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { writeGuarded } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { getCompany, visibleCompanyFilter } from '../companies/companies.js';
import { alertRecipients, type Recipient } from '../contacts/contacts.js';
import { sendEmail } from '../clients/ses.js';
import { sendSms } from '../clients/sns.js';
import { escapeHtml } from '../email/html.js';
import { withRetries } from '../notifications/retry.js';
import { recordActivity } from '../activity/activity.js';
import type { CreateAlertInput } from './schema.js';

export type Urgency = 'low' | 'high' | 'critical';

export interface AlertInput {
  companyId: string;
  urgency: Urgency;
  title: string;
  body: string;
  source: 'portal_request' | 'queue_wait' | 'monitoring' | 'manual';
  ticketId?: string;
  deviceId?: string;
}

export interface Alert extends AlertInput {
  id: string;
  status: 'pending' | 'delivered' | 'partially_delivered' | 'failed' | 'no_recipients';
  createdAt: string;
}

export interface Delivery {
  contactId: string;
  methodId: string;
  channel: 'email' | 'sms';
  address: string;
  status: 'sent' | 'failed';
  attempts: number;
  error?: string;
  at: string;
}

/** Each alert has its own partition (the alert, then its deliveries); gsi1 lists an account's alerts by time. */
export const alertKeys = {
  partition: (accountId: string, alertId: string) => accountCollection(accountId, 'ALERT', alertId),
  item: (accountId: string, alertId: string) => ({ pk: alertKeys.partition(accountId, alertId), sk: 'ALERT' }),
  delivery: (accountId: string, alertId: string, r: Pick<Recipient, 'contactId' | 'methodId'>) => ({
    pk: alertKeys.partition(accountId, alertId),
    sk: `DELIVERY#${r.contactId}#${r.methodId}`,
  }),
  byTime: (accountId: string) => accountCollection(accountId, 'ALERTS'),
};

/** A send that fails is tried again with backoff; after the last try its delivery is `failed`. */
const deliveryRetry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/** An alert recorded for delivery, as a write to land in the same transaction as its cause. */
export function recordAlert(accountId: string, input: AlertInput): { alert: Alert; write: TransactItem } {
  const alert: Alert = { ...input, id: newId('alr'), status: 'pending', createdAt: new Date().toISOString() };
  return {
    alert,
    write: {
      Put: {
        TableName: tableName,
        Item: { ...alertKeys.item(accountId, alert.id), gsi1pk: alertKeys.byTime(accountId), gsi1sk: `${alert.createdAt}#${alert.id}`, type: 'alert', ...alert },
      },
    },
  };
}

function send(alert: Alert, recipient: Recipient): Promise<string> {
  const subject = `[${alert.urgency.toUpperCase()}] ${alert.title}`;
  if (recipient.type === 'email') {
    return sendEmail({
      from: config.MAIL_FROM,
      to: [recipient.address],
      subject,
      text: `${alert.body}\n`,
      html: `<p><strong>${escapeHtml(subject)}</strong></p><p style="white-space: pre-wrap">${escapeHtml(alert.body)}</p>`,
      autoSubmitted: 'auto-generated',
    });
  }
  // Phone methods get text messages too (api.md): SMS is what SNS delivers to a number.
  return sendSms(recipient.address, `${subject}: ${alert.body}`.slice(0, 600));
}

/**
 * Sends an alert to every method whose rules match its company and urgency, each independently
 * with retries, and records each delivery's outcome beside the alert.
 */
export async function deliverAlert(accountId: string, alert: Alert): Promise<Delivery[]> {
  const recipients = await alertRecipients(accountId, alert.companyId, alert.urgency);
  const deliveries = await Promise.all(
    recipients.map(async (recipient): Promise<Delivery> => {
      const outcome = await withRetries(() => send(alert, recipient), deliveryRetry);
      return {
        contactId: recipient.contactId,
        methodId: recipient.methodId,
        channel: recipient.type === 'email' ? 'email' : 'sms',
        address: recipient.address,
        status: outcome.ok ? 'sent' : 'failed',
        attempts: outcome.attempts,
        ...(outcome.ok ? {} : { error: (outcome.error as Error).message ?? String(outcome.error) }),
        at: new Date().toISOString(),
      };
    }),
  );
  for (let i = 0; i < deliveries.length; i += 25) {
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: deliveries.slice(i, i + 25).map((d) => ({
            PutRequest: { Item: { ...alertKeys.delivery(accountId, alert.id, d), type: 'alert_delivery', alertId: alert.id, ...d } },
          })),
        },
      }),
    );
  }
  if (deliveries.some((d) => d.status === 'sent')) {
    await recordActivity(accountId, alert.companyId, { kind: 'alert_sent', alertId: alert.id });
  }
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: alertKeys.item(accountId, alert.id),
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': statusOf(deliveries) },
    }),
  );
  return deliveries;
}

/** `POST /v1/alerts`: records the alert, delivers it, and answers with each delivery's outcome. */
export async function raiseAlert(principal: Principal, input: CreateAlertInput): Promise<Alert & { deliveries: Delivery[] }> {
  await getCompany(principal, input.companyId);
  const { alert, write } = recordAlert(principal.accountId, { ...input, source: principal.role === 'integration' ? 'monitoring' : 'manual' });
  await writeGuarded([write]);
  const deliveries = await deliverAlert(principal.accountId, alert);
  return { ...alert, status: statusOf(deliveries), deliveries };
}

function statusOf(deliveries: Delivery[]): Alert['status'] {
  const sent = deliveries.filter((d) => d.status === 'sent').length;
  return deliveries.length === 0 ? 'no_recipients' : sent === deliveries.length ? 'delivered' : sent === 0 ? 'failed' : 'partially_delivered';
}

export async function getAlert(principal: Principal, alertId: string): Promise<Alert & { deliveries: Delivery[] }> {
  const items = await queryAll({ partition: { name: 'pk', value: alertKeys.partition(principal.accountId, alertId) } });
  const item = items.find((i) => i.sk === 'ALERT');
  if (!item) throw new NotFound('The alert');
  const alert = stripKeys<Alert>(item);
  await getCompany(principal, alert.companyId).catch(() => {
    throw new NotFound('The alert');
  });
  const deliveries = items.filter((i) => i.type === 'alert_delivery').map((i) => {
    const { alertId: _alert, ...d } = stripKeys<Delivery & { alertId: string }>(i);
    return d;
  });
  return { ...alert, deliveries };
}

/** Newest first; technicians see their companies' alerts only. */
export function listAlerts(principal: Principal, page: PageRequest): Promise<Page<Alert>> {
  const filter = visibleCompanyFilter(principal, 'companyId');
  return queryPage(
    { index: 'gsi1', partition: { name: 'gsi1pk', value: alertKeys.byTime(principal.accountId) }, newestFirst: true, filter },
    page,
    (i) => stripKeys<Alert>(i),
  );
}
