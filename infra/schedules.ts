import { Rule, Schedule, type CronOptions } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * When each schedule runs (UTC), named as the local runtime names them. Reports run hourly because
 * subscriptions fall due on the hour in their own time zones; the handler sends only what is due.
 */
export const scheduleCron = {
  reports: { minute: '0' },
  'queue-alerts': { minute: '0/5' },
} as const satisfies Record<string, CronOptions>;

export type ScheduleName = keyof typeof scheduleCron;

/** The same cadence as five-field cron expressions, for the local runtime's timer (croner). */
export const localCronExpressions = Object.fromEntries(
  Object.entries(scheduleCron).map(([name, cron]) => [name, `${cron.minute} * * * *`]),
) as Record<ScheduleName, string>;

export interface ReportSchedulesProps {
  reports: IFunction;
  queueAlerts: IFunction;
}

export class ReportSchedules extends Construct {
  readonly rules: Record<ScheduleName, Rule>;

  constructor(scope: Construct, id: string, props: ReportSchedulesProps) {
    super(scope, id);
    // Both handlers send each item at most once however often they run, so a retried event is harmless.
    const rule = (ruleId: string, name: ScheduleName, fn: IFunction, description: string) =>
      new Rule(this, ruleId, {
        description,
        schedule: Schedule.cron(scheduleCron[name]),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
    this.rules = {
      reports: rule('Reports', 'reports', props.reports, 'Sends the report subscriptions that are due'),
      'queue-alerts': rule('QueueAlerts', 'queue-alerts', props.queueAlerts, 'Alerts about queue items waiting too long'),
    };
  }
}
