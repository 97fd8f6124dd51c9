import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection } from '../db/keys.js';
import { db, tableName, writeIfCondition, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { guard, writeGuarded } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.js';
import { visibleCompanyFilter } from '../companies/access.js';
import { getDevice } from '../devices/devices.js';
import { alertRecipients, type Recipient } from '../contacts/contacts.js';
import { sendEmail } from '../clients/ses.js';
import { sendSms } from '../clients/sns.js';
import { escapeHtml } from '../email/html.js';
import { withRetries } from '../notifications/retry.js';
import { activityItem } from '../activity/activity.js';
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

/**
 * Each alert has its own partition (the alert, then its deliveries); gsi1 lists an account's alerts
 * by time. Until all its deliveries are recorded, an alert is also on a schedule index (gsi3, across
 * accounts, oldest first), from which the queue-alert schedule resumes deliveries whose Lambda died.
 */
export const alertKeys = {
  partition: (accountId: string, alertId: string) => accountCollection(accountId, 'ALERT', alertId),
  item: (accountId: string, alertId: string) => ({ pk: alertKeys.partition(accountId, alertId), sk: 'ALERT' }),
  delivery: (accountId: string, alertId: string, r: Pick<Recipient, 'contactId' | 'methodId'>) => ({
    pk: alertKeys.partition(accountId, alertId),
    sk: `DELIVERY#${r.contactId}#${r.methodId}`,
  }),
  deliveryPrefix: () => 'DELIVERY#',
  byTime: (accountId: string) => accountCollection(accountId, 'ALERTS'),
  due: 'ALERTS#DUE',
  dueOrder: (accountId: string, alert: Pick<Alert, 'id' | 'createdAt'>) => `${alert.createdAt}#${accountId}#${alert.id}`,
};

/** A send that fails is tried again with backoff; after the last try its delivery is `failed`. */
const deliveryRetry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/**
 * One delivery run holds an alert this long, so that two runs never send it at once; a run that
 * died lets the next one take over when it lapses. Far longer than a run (seconds), and than the
 * API's 15-second Lambda timeout.
 */
const deliveryLeaseMs = 2 * 60_000;

/** The schedule leaves younger alerts to the request that is delivering them right now. */
const resumeDeliveryAfterMs = 2 * 60_000;

const toAlert = (item: Record<string, unknown>): Alert => {
  const { accountId: _account, deliveryLeaseUntil: _lease, ...alert } = stripKeys<Alert & { accountId: string; deliveryLeaseUntil?: string }>(item);
  return alert;
};

const toDelivery = (item: Record<string, unknown>): Delivery => {
  const { alertId: _alert, ...delivery } = stripKeys<Delivery & { alertId: string }>(item);
  return delivery;
};

/**
 * An alert recorded for delivery, as a write to land in the same transaction as its cause. The
 * caller then calls `deliverAlert`; should it die first, the queue-alert schedule delivers it.
 */
export function recordAlert(accountId: string, input: AlertInput): { alert: Alert; write: TransactItem } {
  const alert: Alert = { ...input, id: newId('alr'), status: 'pending', createdAt: new Date().toISOString() };
  return {
    alert,
    write: {
      Put: {
        TableName: tableName,
        Item: {
          ...alertKeys.item(accountId, alert.id),
          gsi1pk: alertKeys.byTime(accountId),
          gsi1sk: `${alert.createdAt}#${alert.id}`,
          gsi3pk: alertKeys.due,
          gsi3sk: alertKeys.dueOrder(accountId, alert),
          type: 'alert',
          accountId,
          ...alert,
        },
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

async function recordedDeliveries(accountId: string, alertId: string): Promise<Delivery[]> {
  const items = await queryAll({
    partition: { name: 'pk', value: alertKeys.partition(accountId, alertId) },
    range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': alertKeys.deliveryPrefix() } },
    consistent: true,
  });
  return items.map(toDelivery);
}

/** Takes the alert for one delivery run: false when it is delivered already or another run holds it. */
async function takeDeliveryLease(accountId: string, alertId: string): Promise<boolean> {
  const now = Date.now();
  return writeIfCondition(
    new UpdateCommand({
      TableName: tableName,
      Key: alertKeys.item(accountId, alertId),
      UpdateExpression: 'SET deliveryLeaseUntil = :until',
      ConditionExpression: 'attribute_exists(gsi3pk) AND (attribute_not_exists(deliveryLeaseUntil) OR deliveryLeaseUntil < :now)',
      ExpressionAttributeValues: { ':until': new Date(now + deliveryLeaseMs).toISOString(), ':now': new Date(now).toISOString() },
    }),
  );
}

async function deliverTo(accountId: string, alert: Alert, recipient: Recipient): Promise<Delivery> {
  const outcome = await withRetries(() => send(alert, recipient), deliveryRetry);
  const delivery: Delivery = {
    contactId: recipient.contactId,
    methodId: recipient.methodId,
    channel: recipient.type === 'email' ? 'email' : 'sms',
    address: recipient.address,
    status: outcome.ok ? 'sent' : 'failed',
    attempts: outcome.attempts,
    ...(outcome.ok ? {} : { error: (outcome.error as Error).message ?? String(outcome.error) }),
    at: new Date().toISOString(),
  };
  // Recorded as soon as it is known: a run that dies later does not send it again.
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...alertKeys.delivery(accountId, alert.id, delivery), type: 'alert_delivery', alertId: alert.id, ...delivery },
    }),
  );
  return delivery;
}

class DeliveredMeanwhile extends Error {}

/**
 * One delivery run, under the alert's lease (undefined when it could not be taken): sends to each
 * matching method that has no recorded outcome yet, then sets the alert's status and takes it off
 * the due index, with its `alert_sent` activity in the same transaction (so counted once).
 */
async function runDelivery(accountId: string, alert: Alert): Promise<Delivery[] | undefined> {
  if (!(await takeDeliveryLease(accountId, alert.id))) return undefined;
  const recorded = await recordedDeliveries(accountId, alert.id);
  const done = new Set(recorded.map((d) => alertKeys.delivery(accountId, alert.id, d).sk));
  const recipients = (await alertRecipients(accountId, alert.companyId, alert.urgency)).filter((r) => !done.has(alertKeys.delivery(accountId, alert.id, r).sk));
  const deliveries = [...recorded, ...(await Promise.all(recipients.map((r) => deliverTo(accountId, alert, r))))];
  try {
    await writeGuarded([
      guard(
        {
          Update: {
            TableName: tableName,
            Key: alertKeys.item(accountId, alert.id),
            UpdateExpression: 'SET #status = :status REMOVE gsi3pk, gsi3sk, deliveryLeaseUntil',
            ConditionExpression: 'attribute_exists(gsi3pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': statusOf(deliveries) },
          },
        },
        () => new DeliveredMeanwhile(),
      ),
      ...(deliveries.some((d) => d.status === 'sent') ? [activityItem(accountId, alert.companyId, { kind: 'alert_sent', alertId: alert.id })] : []),
    ]);
  } catch (err) {
    // Our lease lapsed and a later run finished the alert: its outcome stands.
    if (!(err instanceof DeliveredMeanwhile)) throw err;
  }
  return deliveries;
}

/**
 * Sends an alert to every method whose rules match its company and urgency, each independently
 * with retries, and records each delivery's outcome beside the alert. Idempotent: a delivery with a
 * recorded outcome is not sent again, and an alert another run is delivering right now is left to
 * it. Answers with the deliveries recorded so far.
 */
export async function deliverAlert(accountId: string, alert: Alert): Promise<Delivery[]> {
  return (await runDelivery(accountId, alert)) ?? recordedDeliveries(accountId, alert.id);
}

/**
 * Delivers the alerts still due `resumeDeliveryAfterMs` after they were recorded: their delivery
 * died with its Lambda (or was never started). Answers how many it delivered.
 */
export async function deliverDueAlerts(now = new Date()): Promise<number> {
  const due = await queryAll({
    index: 'gsi3',
    partition: { name: 'gsi3pk', value: alertKeys.due },
    range: {
      expression: '#sk <= :cutoff',
      names: { '#sk': 'gsi3sk' },
      values: { ':cutoff': `${new Date(now.getTime() - resumeDeliveryAfterMs).toISOString()}#\uffff` },
    },
  });
  let delivered = 0;
  for (const item of due) {
    const alert = toAlert(item);
    try {
      if (await runDelivery(item.accountId as string, alert)) delivered++;
    } catch (err) {
      logger.error('resumed alert delivery failed', { alertId: alert.id, error: (err as Error).message });
    }
  }
  return delivered;
}

/** `POST /v1/alerts`: records the alert, delivers it, and answers with each delivery's outcome. */
export async function raiseAlert(principal: Principal, input: CreateAlertInput): Promise<Alert & { deliveries: Delivery[] }> {
  await getCompany(principal, input.companyId);
  if (input.deviceId) {
    const device = await getDevice(principal, input.deviceId);
    if (!device.companyIds.includes(input.companyId)) throw new NotFound('The device');
  }
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
  const alert = toAlert(item);
  await getCompany(principal, alert.companyId).catch(() => {
    throw new NotFound('The alert');
  });
  const deliveries = items.filter((i) => i.type === 'alert_delivery').map(toDelivery);
  return { ...alert, deliveries };
}

/** Newest first; technicians see their companies' alerts only. */
export function listAlerts(principal: Principal, page: PageRequest): Promise<Page<Alert>> {
  const filter = visibleCompanyFilter(principal, 'companyId');
  return queryPage({ index: 'gsi1', partition: { name: 'gsi1pk', value: alertKeys.byTime(principal.accountId) }, newestFirst: true, filter }, page, toAlert);
}
