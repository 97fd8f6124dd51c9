import type { ResourceDefinition } from './http/route-types.js';

/**
 * The Lambdas no route of the HTTP API calls: the SES inbound-mail action, the EventBridge schedules
 * and the live channel's WebSocket API. Read by the CDK stack (one function each,
 * `functions/<name>.ts`) and by the local runtime.
 */
export const workers = {
  'inbound-email-receiver': { table: 'readWrite', tokens: false },
  'report-schedule': { table: 'readWrite', tokens: false, sends: ['email'] },
  'queue-alert-schedule': { table: 'readWrite', tokens: false, sends: ['email', 'sms'] },
  /** The live channel's WebSocket API (infra/live.ts): connections, frames, pushes. */
  live: { table: 'readWrite', tokens: true, sends: ['teams'] },
} as const satisfies Record<string, ResourceDefinition>;

export type WorkerName = keyof typeof workers;

/**
 * When each schedule runs (UTC minutes, every hour). Reports run hourly because subscriptions fall
 * due on the hour in their own time zones; each run sends only what is due.
 */
export const scheduleCron = {
  reports: { minute: '0' },
  'queue-alerts': { minute: '0/5' },
} as const;

export type ScheduleName = keyof typeof scheduleCron;

/** The same cadence as five-field cron expressions, for the local runtime's timer (croner). */
export const localCronExpressions = Object.fromEntries(Object.entries(scheduleCron).map(([name, cron]) => [name, `${cron.minute} * * * *`])) as Record<
  ScheduleName,
  string
>;
