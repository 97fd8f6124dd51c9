import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { inboundKeyPrefix, keptKeyPrefix } from '../shared/email/inbound-store.js';

export interface InboundEmailProps {
  /** The mail domain whose every address is received (portals' support addresses live there). */
  domain: string;
  /** Reads each stored message; a function of this app, since it is given INBOUND_BUCKET. */
  handler: LambdaFunction;
}

/**
 * SES inbound mail: every message to the domain is virus-scanned, stored raw in S3, then handed to
 * the handler as an asynchronous event (Lambda's own retries apply). SES passes the Lambda only the
 * headers, so the handler reads the body from the bucket. An event the handler still fails on after
 * its retries lands in a dead-letter queue for 14 days: accepted mail is never lost.
 *
 * CloudFormation cannot make a rule set the active one, and a region has only one active rule set
 * per account: activate it once after the first deploy (`aws ses set-active-receipt-rule-set`).
 */
export class InboundEmail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: InboundEmailProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'RawMessages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // Raw mail is only needed until its ticket is written (and for a few weeks of troubleshooting);
      // mail too large for its ticket message is kept whole under kept/, which does not expire.
      lifecycleRules: [{ prefix: inboundKeyPrefix, expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet');
    // The S3 action also adds the bucket policy that lets SES write, for this account only
    // (aws:SourceAccount), and the Lambda action the permission for SES to invoke the handler.
    this.ruleSet.addRule('Receive', {
      recipients: [props.domain],
      scanEnabled: true,
      actions: [
        new S3({ bucket: this.bucket, objectKeyPrefix: inboundKeyPrefix }),
        new Lambda({ function: props.handler, invocationType: LambdaInvocationType.EVENT }),
      ],
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.handler.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.deadLetters) });

    props.handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${inboundKeyPrefix}*`)] }));
    props.handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${keptKeyPrefix}*`)] }));
    const bucketArn = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(props.handler).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/${keptKeyPrefix}*]`,
      reason: 'The intake writes only whole raw mail it keeps under kept/, named by its content hash.',
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: "This queue is the dead-letter queue itself: the handler's on-failure destination, which cdk-nag does not recognise.",
    });
    props.handler.addEnvironment('INBOUND_BUCKET', this.bucket.bucketName);
  }
}
