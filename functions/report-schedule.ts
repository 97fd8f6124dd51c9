import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { runReports } from '../shared/reports/subscriptions.js';

/** The hourly EventBridge schedule: sends the report subscriptions that are due. */
export const handler = async (event?: Pick<ScheduledEvent, 'time'>) => {
  const { result, usage } = await measureDbUsage(() => runReports(event?.time ? new Date(event.time) : new Date()));
  logger.info('reports run', { ...result, dynamodb: usage });
  return result;
};
