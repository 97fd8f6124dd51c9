import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { runQueueAlerts } from '../shared/tickets/queue-alerts.js';

/** The five-minute EventBridge schedule: alerts about queue items waiting too long, and alert deliveries that died. */
export const handler = async (event?: Pick<ScheduledEvent, 'time'>) => {
  const { result, usage } = await measureDbUsage(() => runQueueAlerts(event?.time ? new Date(event.time) : new Date()));
  logger.info('queue alerts run', { ...result, dynamodb: usage });
  return result;
};
