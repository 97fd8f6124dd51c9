import { transact } from '../db/transaction.js';
import { logger } from '../logger.js';
import { deliverAlert, deliverDueAlerts, recordAlert } from '../alerts/alerts.js';
import { effectiveSettings } from '../settings/settings.js';
import { queueEntryEntity, waitingSinceAtMost } from './entities.js';

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
  const waiting = await queueEntryEntity.queryIndexAll('waiting', {}, { range: waitingSinceAtMost(new Date(now.getTime() - minimumWaitMs).toISOString()) });
  const run: QueueAlertRun = { examined: waiting.length, alerted: 0, resumed };
  const thresholds = new Map<string, Promise<number>>();
  for (const entry of waiting) {
    const { accountId, companyId } = entry;
    const key = `${accountId}#${companyId}`;
    if (!thresholds.has(key))
      thresholds.set(
        key,
        effectiveSettings(accountId, companyId).then((s) => s.queueAlertAfterMinutes * 60_000),
      );
    const waitedMs = now.getTime() - Date.parse(entry.waitingSince);
    if (waitedMs < (await thresholds.get(key)!)) continue;
    const { alert, write } = recordAlert(accountId, {
      companyId,
      urgency: 'high',
      title: `Ticket #${entry.number} has waited ${Math.floor(waitedMs / 60_000)} minutes in the queue`,
      body: `"${entry.subject}" is still waiting for a technician.`,
      source: 'queue_wait',
      ticketId: entry.ticketId,
    });
    try {
      await transact([
        queueEntryEntity.updateAction(
          entry,
          { set: { alertedAt: now.toISOString() } },
          {
            condition: { and: [{ itemExists: true }, { path: 'alertedAt', exists: false }] },
            indexes: { waiting: null },
            onFail: () => new AlreadyAlerted(),
          },
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
