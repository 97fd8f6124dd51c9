import { queryAll } from '../db/pagination.js';
import { tableName } from '../db/client.js';
import { logger } from '../logger.js';
import { guard, writeGuarded } from '../audit/audit.js';
import { deliverAlert, deliverDueAlerts, recordAlert } from '../alerts/alerts.js';
import { effectiveSettings } from '../settings/settings.js';
import { queueKeys } from './tickets.js';

export interface QueueAlertRun {
  examined: number;
  alerted: number;
  /** Earlier alerts whose delivery died with its Lambda, delivered by this run. */
  resumed: number;
}

class AlreadyAlerted extends Error {}

/** No company waits less than this before an alert (the setting's minimum). */
const minimumWaitMs = 60_000;

/**
 * One run of the queue-alert schedule: every queue item waiting longer than its company's
 * effective `queueAlertAfterMinutes` raises one `high` alert. The alert is recorded in the same
 * transaction that marks the entry alerted (and takes it off the waiting index), so however often
 * the schedule runs, an item is alerted once. The run first delivers any alert (of any source) whose
 * delivery died with its Lambda.
 */
export async function runQueueAlerts(now = new Date()): Promise<QueueAlertRun> {
  const resumed = await deliverDueAlerts(now);
  const waiting = await queryAll({
    index: 'gsi3',
    partition: { name: 'gsi3pk', value: queueKeys.waiting },
    range: {
      expression: '#sk <= :cutoff',
      names: { '#sk': 'gsi3sk' },
      values: { ':cutoff': `${new Date(now.getTime() - minimumWaitMs).toISOString()}#\uffff` },
    },
  });
  const run: QueueAlertRun = { examined: waiting.length, alerted: 0, resumed };
  const thresholds = new Map<string, Promise<number>>();
  for (const entry of waiting) {
    const accountId = entry.accountId as string;
    const companyId = entry.companyId as string;
    const key = `${accountId}#${companyId}`;
    if (!thresholds.has(key))
      thresholds.set(
        key,
        effectiveSettings(accountId, companyId).then((s) => s.queueAlertAfterMinutes * 60_000),
      );
    const waitedMs = now.getTime() - Date.parse(entry.waitingSince as string);
    if (waitedMs < (await thresholds.get(key)!)) continue;
    const { alert, write } = recordAlert(accountId, {
      companyId,
      urgency: 'high',
      title: `Ticket #${entry.number as number} has waited ${Math.floor(waitedMs / 60_000)} minutes in the queue`,
      body: `"${entry.subject as string}" is still waiting for a technician.`,
      source: 'queue_wait',
      ticketId: entry.ticketId as string,
    });
    try {
      await writeGuarded([
        guard(
          {
            Update: {
              TableName: tableName,
              Key: { pk: entry.pk as string, sk: entry.sk as string },
              UpdateExpression: 'SET alertedAt = :now REMOVE gsi3pk, gsi3sk',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(alertedAt)',
              ExpressionAttributeValues: { ':now': now.toISOString() },
            },
          },
          () => new AlreadyAlerted(),
        ),
        write,
      ]);
    } catch (err) {
      if (err instanceof AlreadyAlerted) continue;
      throw err;
    }
    run.alerted++;
    await deliverAlert(accountId, alert).catch((err: Error) => logger.error('queue alert delivery failed', { alertId: alert.id, error: err.message }));
  }
  return run;
}
