import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { scheduleCron, type ScheduleName } from '../shared/workers.js';

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
