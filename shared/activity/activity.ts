import type { WriteAction } from '../db/transaction.js';
import { newId } from '../ids.js';
import { activityEntity, happenedBetween } from './entities.js';

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

export function activityItem(accountId: string, companyId: string, event: Omit<ActivityEvent, 'at'> & { at?: string }): WriteAction {
  const at = event.at ?? new Date().toISOString();
  return activityEntity.putAction(
    { ...event, at, accountId, companyId, eventId: newId('evt') },
    { expiresAt: Math.floor(Date.parse(at) / 1000) + retentionSeconds },
  );
}

/** The company's events in [start, end). */
export async function activityBetween(accountId: string, companyId: string, start: string, end: string): Promise<ActivityEvent[]> {
  const events = await activityEntity.queryAll({ accountId, companyId }, { range: happenedBetween(start, end) });
  return events.filter((e) => e.at < end).map(({ kind, at, ticketId, alertId, waitedMs }) => ({ kind, at, ticketId, alertId, waitedMs }));
}
