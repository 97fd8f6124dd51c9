import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { InboundEmail } from '../../infra/inbound-email.js';
import { ReportSchedules } from '../../infra/schedules.js';
import { localCronExpressions } from '../../shared/workers.js';

let template: Template;
const ids: Record<'inbound' | 'reports' | 'queueAlerts', string> = { inbound: '', reports: '', queueAlerts: '' };

beforeAll(() => {
  const stack = new Stack(new App(), 'Test');
  const fn = (id: string) =>
    new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('export const handler = async () => {};') });
  const inbound = fn('InboundFn');
  const reports = fn('ReportsFn');
  const queueAlerts = fn('QueueAlertsFn');
  new InboundEmail(stack, 'InboundEmail', { domain: 'support.acme.test', handler: inbound });
  new ReportSchedules(stack, 'Schedules', { reports, queueAlerts });
  ids.inbound = stack.getLogicalId(inbound.node.defaultChild as CfnElement);
  ids.reports = stack.getLogicalId(reports.node.defaultChild as CfnElement);
  ids.queueAlerts = stack.getLogicalId(queueAlerts.node.defaultChild as CfnElement);
  template = Template.fromStack(stack);
});

const thisAccount = { Ref: 'AWS::AccountId' };
const bucketId = () => Object.keys(template.findResources('AWS::S3::Bucket'))[0]!;

describe('Inbound email is received by SES, stored in S3, then handed to the Lambda', () => {
  it('receives every address of the domain, virus-scanned, storing before invoking', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: {
        Enabled: true,
        Recipients: ['support.acme.test'],
        ScanEnabled: true,
        Actions: [
          { S3Action: { BucketName: { Ref: bucketId() }, ObjectKeyPrefix: 'inbound/' } },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [ids.inbound, 'Arn'] }, InvocationType: 'Event' } },
        ],
      },
    });
  });

  it('keeps raw mail private, encrypted, TLS-only, under inbound/ for 30 days, and retains the bucket on stack deletion', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId()]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Prefix: 'inbound/', Status: 'Enabled' }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('lets only SES, on behalf of this account, write messages under inbound/', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': thisAccount } },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/inbound/*']] },
          }),
        ]),
      },
    });
  });

  it('lets SES invoke the handler for this account only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.inbound, 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: thisAccount,
    });
  });

  it('lets the handler read stored messages and keep whole mail under kept/, and tells it the bucket', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/inbound/*']] },
          },
          {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/kept/*']] },
          },
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^InboundFnServiceRole') }],
    });
    const handler = template.findResources('AWS::Lambda::Function')[ids.inbound]!;
    expect(handler.Properties.Environment.Variables.INBOUND_BUCKET).toEqual({ Ref: bucketId() });
  });
});

describe('Mail the handler could not process is kept in a dead-letter queue', () => {
  const queueId = () => Object.keys(template.findResources('AWS::SQS::Queue'))[0]!;

  it('sends an event that failed after two retries to an encrypted queue that keeps it 14 days', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.inbound },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('accepts the queue over TLS only, and lets the handler send to it', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] } })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^InboundFnServiceRole') }],
    });
  });
});

describe('Schedules run the report and queue-alert handlers as EventBridge rules', () => {
  it.each([
    ['reports', 'every hour on the hour', 'cron(0 * * * ? *)', () => ids.reports],
    ['queue alerts', 'every five minutes', 'cron(0/5 * * * ? *)', () => ids.queueAlerts],
  ])('runs %s %s, retrying a failed invocation twice', (_, __, expression, target) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: expression,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [target(), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [target(), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('gives the local runtime the same cadence as cron expressions', () => {
    expect(localCronExpressions).toEqual({ reports: '0 * * * *', 'queue-alerts': '0/5 * * * *' });
  });
});
