import { defineEntity } from '../db/entity.js';
import { accountCollection } from '../db/keys.js';
import { queryAllPages } from '../db/pagination.js';
import { tableDefinition } from '../db/table.js';
import type { Alert, Delivery } from './alerts.js';

/** An alert as stored: with its account (the due index spans accounts) and its delivery run's lease. */
export interface AlertItem extends Alert {
  accountId: string;
  deliveryLeaseUntil?: string;
}

export interface DeliveryItem extends Delivery {
  alertId: string;
}

/** Each alert has its own partition (`A#<acc>#ALERT#<id>`): the alert (`ALERT`), then its deliveries. */
const alertPartition = (accountId: string, alertId: string) => accountCollection(accountId, 'ALERT', alertId);

/** Time order on the due index: oldest first, across accounts. */
const dueOrder = (a: { createdAt: string; accountId: string; id: string }) => `${a.createdAt}#${a.accountId}#${a.id}`;

/**
 * `byTime` lists an account's alerts by time. Until all its deliveries are recorded (status
 * `pending`), an alert is also on `due` (`ALERTS#DUE`, across accounts, oldest first), from which the
 * queue-alert schedule resumes deliveries whose Lambda died.
 */
export const alertEntity = defineEntity<AlertItem>()({
  type: 'alert',
  partition: (a: { accountId: string; id: string }) => alertPartition(a.accountId, a.id),
  sort: () => 'ALERT',
  indexes: {
    byTime: {
      index: 'gsi1',
      partition: (a: { accountId: string }) => accountCollection(a.accountId, 'ALERTS'),
      sort: (a: { createdAt: string; id: string }) => `${a.createdAt}#${a.id}`,
    },
    due: {
      index: 'gsi3',
      partition: () => 'ALERTS#DUE',
      sort: dueOrder,
      when: (a: { status: Alert['status'] }) => a.status === 'pending',
    },
  },
});

/** The last `due` sort key of alerts recorded at or before `instant`. */
export const dueUntil = (instant: string) => `${instant}#\uffff`;

/** One item per method reached: `DELIVERY#<contactId>#<methodId>` in the alert's partition. */
export const alertDeliveryEntity = defineEntity<DeliveryItem>()({
  type: 'alert_delivery',
  partition: (d: { accountId: string; alertId: string }) => alertPartition(d.accountId, d.alertId),
  sort: (d: { contactId: string; methodId: string }) => `DELIVERY#${d.contactId}#${d.methodId}`,
  sortPrefix: 'DELIVERY#',
  keyOnly: ['accountId'],
});

/**
 * An alert and its deliveries in one Query of the alert's partition (the layer's queries answer one
 * entity; this collection holds two).
 */
export async function alertWithDeliveries(accountId: string, alertId: string): Promise<{ alert: AlertItem | undefined; deliveries: DeliveryItem[] }> {
  const records = await queryAllPages({
    partition: { name: tableDefinition.partitionKey, value: alertPartition(accountId, alertId) },
    sortName: tableDefinition.sortKey,
  });
  const alert = records.find((r) => alertEntity.owns(r));
  return {
    alert: alert && alertEntity.parse(alert),
    deliveries: records.filter((r) => alertDeliveryEntity.owns(r)).map((r) => alertDeliveryEntity.parse(r)),
  };
}
