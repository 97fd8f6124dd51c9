import { beforeAll, describe, expect, it } from 'vitest';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DeskAdminStack } from '../../infra/stack.js';

let template: Template;

beforeAll(() => {
  // Bundling every function is `npm run synth`'s job (CI runs it); the template's shape does not need it.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new DeskAdminStack(app, 'Test', { mailFrom: 'support@example.com', inboundDomain: 'example.com', publicUrl: 'https://support.example.com' });
  template = Template.fromStack(stack);
}, 300_000);

const logicalIdOf = (type: string, match: (properties: Record<string, unknown>) => boolean) => {
  const ids = Object.entries(template.findResources(type)).filter(([, r]) => match(r.Properties ?? {}));
  expect(ids).toHaveLength(1);
  return ids[0]![0];
};

const webSocketApi = () => logicalIdOf('AWS::ApiGatewayV2::Api', (p) => p.ProtocolType === 'WEBSOCKET');
const liveFunction = () => {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('LiveFunction'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
const functionOf = (pascal: string) => Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(`${pascal}Function`))!;

describe('The live channel in the CDK stack', () => {
  it('is a WebSocket API that picks routes by route key, with $connect, $default and $disconnect', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    const api = webSocketApi();
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .filter((r) => r.Properties.ApiId.Ref === api)
      .map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(['$connect', '$default', '$disconnect']);
  });

  it('sends every route to the live Lambda, and answers $default frames through a route response', () => {
    const api = webSocketApi();
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).filter((i) => i.Properties.ApiId.Ref === api);
    expect(integrations.length).toBeGreaterThan(0);
    for (const integration of integrations) {
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(liveFunction());
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { ApiId: { Ref: api }, RouteResponseKey: '$default' });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [liveFunction(), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('deploys a throttled, logged stage and publishes its wss:// URL', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: webSocketApi() },
      StageName: 'live',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const output = template.findOutputs('LiveUrl');
    expect(JSON.stringify(output)).toContain('wss://');
  });

  it('lets the live Lambda and every function that pushes manage connections, through the callback URL in their environment', () => {
    for (const pascal of ['Live', 'Tickets', 'Queue', 'Portals', 'TeamsMessages', 'InboundEmailReceiver']) {
      const id = pascal === 'Live' ? liveFunction() : functionOf(pascal);
      const fn = template.findResources('AWS::Lambda::Function')[id]!;
      const endpoint = JSON.stringify(fn.Properties.Environment.Variables.LIVE_CONNECTIONS_ENDPOINT);
      expect(endpoint, pascal).toContain('https://');
      expect(endpoint, pascal).toContain(webSocketApi());
      const roleRef = fn.Properties.Role['Fn::GetAtt'][0];
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleRef))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const manage = statements.find((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
      expect(manage, pascal).toBeDefined();
      expect(JSON.stringify(manage!.Resource)).toContain('@connections');
    }
  });

  it('lets no other function post to connections', () => {
    const managers = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('execute-api:ManageConnections'))
      .flatMap(([, p]) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(managers).toHaveLength(6);
  });
});
