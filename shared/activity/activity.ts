import { accountCollection } from '../db/keys.js';
import { tableName, type TransactItem } from '../db/client.js';
import { queryAll } from '../db/pagination.js';
import { newId } from '../ids.js';

/**
 * What happened in a company, in time order: tickets opened and solved, queue items taken (with how
 * long they waited), alerts sent. Each event is written with its cause (in the same transaction
 * where there is one) and kept 400 days. A report for any period is then one range Query per
 * company, however many tickets the account has.
 */
export type ActivityKind = 'ticket_opened' | 'ticket_solved' | 'queue_left' | 'alert_sent';

export interface ActivityEvent {
  kind: ActivityKind;
  at: string;
  ticketId?: string;
  alertId?: string;
  /** For `queue_left`: how long the item waited in the queue. */
  waitedMs?: number;
}

const retentionSeconds = 400 * 24 * 3600;

const activityKeys = {
  company: (accountId: string, companyId: string) => accountCollection(accountId, 'ACTIVITY', companyId),
};

export function activityItem(accountId: string, companyId: string, event: Omit<ActivityEvent, 'at'> & { at?: string }): TransactItem {
  const at = event.at ?? new Date().toISOString();
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: activityKeys.company(accountId, companyId),
        sk: `${at}#${newId('evt')}`,
        type: 'activity',
        ...event,
        at,
        ttl: Math.floor(Date.parse(at) / 1000) + retentionSeconds,
      },
    },
  };
}

/** The company's events in [start, end). */
export async function activityBetween(accountId: string, companyId: string, start: string, end: string): Promise<ActivityEvent[]> {
  const items = await queryAll({
    partition: { name: 'pk', value: activityKeys.company(accountId, companyId) },
    range: { expression: '#sk BETWEEN :start AND :end', names: { '#sk': 'sk' }, values: { ':start': start, ':end': `${end}` } },
  });
  return items
    .filter((i) => (i.at as string) < end)
    .map((i) => ({ kind: i.kind, at: i.at, ticketId: i.ticketId, alertId: i.alertId, waitedMs: i.waitedMs }) as ActivityEvent);
}
