import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { inboundKeyPrefix } from '../shared/email/inbound-store.js';

export interface InboundEmailProps {
  /** The mail domain whose every address is received (portals' support addresses live there). */
  domain: string;
  /** Reads each stored message; a function of this app, since it is given INBOUND_BUCKET. */
  handler: LambdaFunction;
}


/**
 * SES inbound mail: every message to the domain is virus-scanned, stored raw in S3, then handed to
 * the handler as an asynchronous event (Lambda's own retries apply). SES passes the Lambda only the
 * headers, so the handler reads the body from the bucket.
 *
 * CloudFormation cannot make a rule set the active one, and a region has only one active rule set
 * per account: activate it once after the first deploy (`aws ses set-active-receipt-rule-set`).
 */
export class InboundEmail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: InboundEmailProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'RawMessages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // Raw mail is only needed until its ticket is written (and for a few weeks of troubleshooting).
      lifecycleRules: [{ expiration: Duration.days(30) }],
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

    props.handler.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${inboundKeyPrefix}*`)] }),
    );
    props.handler.addEnvironment('INBOUND_BUCKET', this.bucket.bucketName);
  }
}
