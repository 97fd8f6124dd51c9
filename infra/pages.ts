import { type CfnElement, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nagEnvironment } from './nag.js';

/** What `npm run build:web` writes (`presynth` runs it; the test setup too). */
export const pagesDistDir = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface PagesProps {
  /** The HTTP API: it answers `/p/{slug}` (404 for an unknown portal), and the pages call it. */
  api: HttpApi;
  /** The live channel's WebSocket URL (wss://…), from the live construct. */
  liveUrl: string;
}

/**
 * The web pages: built assets in a private S3 bucket behind CloudFront, and `config.json` beside
 * them with the API's and the live channel's URLs, written at deploy. `/p/*` goes through
 * CloudFront to the API's page route, so an unknown or disabled portal is a real 404; the pages
 * call the API on its own domain (CORS), so API Gateway still sees each customer's address for
 * the portal's throttle.
 */
export class Pages extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: PagesProps) {
    super(scope, id);
    if (!existsSync(`${pagesDistDir}assets`)) throw new Error('The web pages are not built: run `npm run build:web` before synth.');

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only rebuildable assets: nothing is lost with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    // The pages rendered per request (the portal's may be disabled at any moment): never cached.
    const pageRoute = {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Desk Admin web pages',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      additionalBehaviors: {
        '/p/*': pageRoute,
        '/console': pageRoute,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [Source.asset(pagesDistDir), Source.jsonData('config.json', { apiUrl: props.api.apiEndpoint, liveUrl: props.liveUrl })],
      // Fixed asset names: browsers revalidate (ETag), the edge keeps them until the next deploy invalidates them.
      cacheControl: [CacheControl.noCache(), CacheControl.sMaxAge(Duration.days(1))],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });

    new CfnOutput(Stack.of(this), 'PagesUrl', {
      value: this.url,
      description: 'The web pages: a customer portal is at <PagesUrl>/p/<slug>, the staff console at <PagesUrl>/console',
    });
    acknowledgeReviewedFindings(this, deployment.handlerRole.node.scope!);
  }
}

/** cdk-nag findings on the pages that were reviewed and are deliberate. */
function acknowledgeReviewedFindings(pages: Pages, deploymentProvider: IConstruct) {
  Validations.of(pages).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-S1', reason: 'The bucket holds only the public page assets, written by the deployment; CloudFront is its only reader.' },
    { id: 'AwsSolutions::AwsSolutions-CFR1', reason: 'Customer portals serve customers wherever they are: no geo restriction.' },
    { id: 'AwsSolutions::AwsSolutions-CFR2', reason: 'Static pages, and one API route that API Gateway throttles.' },
    { id: 'AwsSolutions::AwsSolutions-CFR3', reason: 'The API logs every request; the static assets carry no data worth an access log.' },
    {
      id: 'AwsSolutions::AwsSolutions-CFR4',
      reason: 'The default CloudFront domain and certificate; a custom domain with TLSv1.2_2021 is set per deployment.',
    },
  );
  // BucketDeployment's provider function (one per stack, made by aws-cdk-lib): it copies the built
  // assets from the CDK asset bucket into the pages bucket, prunes old ones and invalidates the cache.
  const provider = "BucketDeployment's provider (aws-cdk-lib's own function)";
  const bucketId = Stack.of(pages).getLogicalId(pages.bucket.node.defaultChild as CfnElement);
  const { region, account } = nagEnvironment(pages);
  Validations.of(deploymentProvider).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-L1', reason: `${provider}: its runtime is chosen by aws-cdk-lib.` },
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${provider} only writes its own logs with it.`,
    },
    ...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*', 'Resource::*']
      .concat([`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*`, `Resource::<${bucketId}.Arn>/*`])
      .map((what) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[${what}]`,
        reason: `${provider} copies and prunes objects of the asset and pages buckets, and invalidates the distribution.`,
      })),
  );
}
