import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Pages } from '../../infra/pages.js';

let template: Template;

beforeAll(() => {
  // The construct alone, beside a bare HTTP API: the whole stack is covered by stack.test.ts.
  const stack = new Stack(new App(), 'Test');
  const api = new HttpApi(stack, 'Api');
  new Pages(stack, 'Pages', { api, liveUrl: 'wss://live.example.com/v1/live' });
  template = Template.fromStack(stack);
});

function distribution() {
  return Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
}

describe('The web pages in AWS', () => {
  it('keeps the assets in a private, encrypted bucket that only CloudFront reads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: Match.anyValue(),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('sends /p/* to the API uncached, so an unknown or disabled portal is a real 404', () => {
    const config = distribution();
    const pages = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/p/*');
    expect(pages).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    const origin = config.Origins.find((o: { Id: string }) => o.Id === pages.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    expect(JSON.stringify(origin.DomainName)).toContain('ApiF70053CD');
    // AWS's managed CachingDisabled policy.
    expect(pages.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
  });

  it('deploys config.json beside the assets with the API and live channel URLs, and invalidates the cache', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    const deployment = deployments[0]!.Properties;
    // The API's URL is known only at deploy: the deployment fills it into config.json then.
    expect(JSON.stringify(deployment.SourceMarkers)).toContain('ApiF70053CD');
    expect(deployment.DistributionPaths).toEqual(['/*']);
  });

  it('names the pages URL as a stack output', () => {
    expect(Object.keys(template.findOutputs('*'))).toContain('PagesUrl');
  });
});
