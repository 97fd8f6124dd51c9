import { conditionHeld } from '../db/entity.js';
import type { Page, PageRequest } from '../db/pagination.js';
import { transact, type WriteAction } from '../db/transaction.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { config } from '../config.js';
import { logger } from '../logger.js';
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
import { type AlertItem, alertDeliveryEntity, alertEntity, alertWithDeliveries, type DeliveryItem, dueUntil } from './entities.js';

export type Urgency = 'low' | 'high' | 'critical';

export interface AlertInput {
  companyId: string;
  urgency: Urgency;
  title: string;
  body: string;
  source: 'portal_request' | 'teams_request' | 'queue_wait' | 'monitoring' | 'manual';
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

const toAlert = ({ accountId: _account, deliveryLeaseUntil: _lease, ...alert }: AlertItem): Alert => alert;

const toDelivery = ({ alertId: _alert, ...delivery }: DeliveryItem): Delivery => delivery;

/**
 * An alert recorded for delivery, as a write to land in the same transaction as its cause. The
 * caller then calls `deliverAlert`; should it die first, the queue-alert schedule delivers it.
 */
export function recordAlert(accountId: string, input: AlertInput): { alert: Alert; write: WriteAction } {
  const alert: Alert = { ...input, id: newId('alr'), status: 'pending', createdAt: new Date().toISOString() };
  return { alert, write: alertEntity.putAction({ ...alert, accountId }) };
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
  return (await alertDeliveryEntity.queryAll({ accountId, alertId }, { consistent: true })).map(toDelivery);
}

/** Takes the alert for one delivery run: false when it is delivered already or another run holds it. */
async function takeDeliveryLease(accountId: string, alertId: string): Promise<boolean> {
  const now = Date.now();
  return conditionHeld(
    alertEntity.update(
      { accountId, id: alertId },
      { set: { deliveryLeaseUntil: new Date(now + deliveryLeaseMs).toISOString() } },
      {
        // Pending is exactly "on the due index": the run that finishes an alert takes it off in the same write.
        condition: {
          and: [
            { path: 'status', eq: 'pending' },
            {
              or: [
                { path: 'deliveryLeaseUntil', exists: false },
                { path: 'deliveryLeaseUntil', lt: new Date(now).toISOString() },
              ],
            },
          ],
        },
      },
    ),
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
  await alertDeliveryEntity.put({ accountId, alertId: alert.id, ...delivery });
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
  const done = new Set(recorded.map((d) => alertDeliveryEntity.sortKey(d)));
  const recipients = (await alertRecipients(accountId, alert.companyId, alert.urgency)).filter((r) => !done.has(alertDeliveryEntity.sortKey(r)));
  const deliveries = [...recorded, ...(await Promise.all(recipients.map((r) => deliverTo(accountId, alert, r))))];
  try {
    await transact([
      alertEntity.updateAction(
        { accountId, id: alert.id },
        { set: { status: statusOf(deliveries), deliveryLeaseUntil: undefined } },
        { indexes: { due: null }, condition: { path: 'status', eq: 'pending' }, onFail: () => new DeliveredMeanwhile() },
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
  const due = await alertEntity.queryIndexAll('due', {}, { range: { le: dueUntil(new Date(now.getTime() - resumeDeliveryAfterMs).toISOString()) } });
  let delivered = 0;
  for (const item of due) {
    const alert = toAlert(item);
    try {
      if (await runDelivery(item.accountId, alert)) delivered++;
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
  await transact([write]);
  const deliveries = await deliverAlert(principal.accountId, alert);
  return { ...alert, status: statusOf(deliveries), deliveries };
}

function statusOf(deliveries: Delivery[]): Alert['status'] {
  const sent = deliveries.filter((d) => d.status === 'sent').length;
  return deliveries.length === 0 ? 'no_recipients' : sent === deliveries.length ? 'delivered' : sent === 0 ? 'failed' : 'partially_delivered';
}

export async function getAlert(principal: Principal, alertId: string): Promise<Alert & { deliveries: Delivery[] }> {
  const { alert: item, deliveries } = await alertWithDeliveries(principal.accountId, alertId);
  if (!item) throw new NotFound('The alert');
  const alert = toAlert(item);
  await getCompany(principal, alert.companyId).catch(() => {
    throw new NotFound('The alert');
  });
  return { ...alert, deliveries: deliveries.map(toDelivery) };
}

/** Newest first; technicians see their companies' alerts only. */
export async function listAlerts(principal: Principal, page: PageRequest): Promise<Page<Alert>> {
  const filter = visibleCompanyFilter(principal, 'companyId');
  const result = await alertEntity.queryIndexPage('byTime', { accountId: principal.accountId }, page, { newestFirst: true, filter });
  return { ...result, items: result.items.map(toAlert) };
}
