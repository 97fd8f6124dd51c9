import { beforeAll, describe, expect, it } from 'vitest';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DeskAdminStack } from '../../infra/stack.js';
import { tableDefinition } from '../../shared/db/table.js';
import { resources, routes } from '../../shared/http/routes.js';
import { workers } from '../../shared/workers.js';

let template: Template;
let app: App;

beforeAll(() => {
  // Bundling every function is `npm run synth`'s job (CI runs it); the template's shape does not need it.
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new DeskAdminStack(app, 'Test', { mailFrom: 'support@example.com', inboundDomain: 'example.com', publicUrl: 'https://support.example.com' });
  template = Template.fromStack(stack);
}, 300_000);

function functionLogicalId(resource: string): string {
  const pascal = resource.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(`${pascal}Function`));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function policyStatementsOf(resource: string): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = template.findResources('AWS::Lambda::Function')[functionLogicalId(resource)]!.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleRef),
  );
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('The CDK stack serves the route table', () => {
  it('has an API Gateway route for every route of the route table, and no other', () => {
    // The WebSocket API's routes ($connect, $default, $disconnect) are the live channel's: see live.test.ts.
    const httpApis = Object.entries(template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } })).map(([id]) => id);
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .filter((r) => httpApis.includes(r.Properties.ApiId.Ref))
      .map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual([...Object.keys(routes), '$default'].sort());
  });

  it('sends each route to the Lambda of its resource', () => {
    const routeResources = template.findResources('AWS::ApiGatewayV2::Route');
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    for (const [key, route] of Object.entries(routes)) {
      const apiRoute = Object.values(routeResources).find((r) => r.Properties.RouteKey === key)!;
      const integrationId = (apiRoute.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      const integration = integrations[integrationId.Ref]!;
      expect(integration.Properties.IntegrationUri['Fn::GetAtt'][0]).toBe(functionLogicalId(route.resource));
      expect(permissions.some((p) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === functionLogicalId(route.resource))).toBe(true);
    }
  });

  it('has one Node.js 24 function per resource and per worker, bundled as ESM', () => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } });
    expect(Object.keys(fns)).toHaveLength(Object.keys(resources).length + Object.keys(workers).length);
    for (const name of [...Object.keys(resources), ...Object.keys(workers)]) {
      const fn = template.findResources('AWS::Lambda::Function')[functionLogicalId(name)]!;
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
    }
  });
});

describe('Security review', () => {
  it('passes the AWS Solutions checks (cdk-nag), every exception acknowledged with a reason', () => {
    expect(() => app.synth()).not.toThrow();
  });
});

describe('The API stage', () => {
  it('throttles and writes a JSON access log line per request', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
    });
  });
});

describe('The CDK stack holds one table as documented', () => {
  it('keys the table on pk/sk with the documented GSIs, on demand, with PITR and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });
});

describe('Each function gets only the permissions it needs', () => {
  it('grants no function dynamodb:Scan or a wildcard DynamoDB action', () => {
    for (const name of [...Object.keys(resources), ...Object.keys(workers)]) {
      const actions = policyStatementsOf(name).flatMap((s) => [s.Action].flat());
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.some((a) => a === 'dynamodb:*')).toBe(false);
    }
  });

  it('gives table access by the level each resource declares', () => {
    for (const [name, definition] of [...Object.entries(resources), ...Object.entries(workers)]) {
      const actions = policyStatementsOf(name).flatMap((s) => [s.Action].flat());
      expect(actions.includes('dynamodb:GetItem')).toBe(definition.table !== 'none');
      expect(actions.includes('dynamodb:PutItem')).toBe(definition.table === 'readWrite');
    }
  });

  it('lets only token-handling functions read the signing secret', () => {
    const [signingSecret] = Object.entries(template.findResources('AWS::SecretsManager::Secret')).find(([, s]) =>
      String(s.Properties.Description).includes('API tokens'),
    )!;
    for (const [name, definition] of Object.entries(resources)) {
      const reads = policyStatementsOf(name).some(
        (s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(signingSecret),
      );
      expect(reads, name).toBe(definition.tokens);
    }
  });

  it('lets only the functions that send mail or SMS send them', () => {
    for (const [name, definition] of [...Object.entries(resources), ...Object.entries(workers)] as [string, { sends?: readonly string[] }][]) {
      const actions = policyStatementsOf(name).flatMap((s) => [s.Action].flat());
      expect(actions.includes('ses:SendRawEmail'), name).toBe(definition.sends?.includes('email') ?? false);
      expect(actions.includes('sns:Publish'), name).toBe(definition.sends?.includes('sms') ?? false);
    }
  });

  it('keeps every function log group on a retention period', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });
});

describe('The CDK stack runs the workers', () => {
  it('hands inbound mail of the domain to the inbound-email-receiver function, which may read the stored messages', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['example.com'],
        Actions: Match.arrayWith([
          Match.objectLike({ LambdaAction: Match.objectLike({ FunctionArn: { 'Fn::GetAtt': [functionLogicalId('inbound-email-receiver'), 'Arn'] } }) }),
        ]),
      }),
    });
    const actions = policyStatementsOf('inbound-email-receiver').flatMap((s) => [s.Action].flat());
    expect(actions).toContain('s3:GetObject');
  });

  it('runs the reports hourly and the queue alerts every five minutes', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const targetOf = (fn: string) => rules.find((r) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === functionLogicalId(fn))!;
    expect(targetOf('report-schedule').Properties.ScheduleExpression).toBe('cron(0 * * * ? *)');
    expect(targetOf('queue-alert-schedule').Properties.ScheduleExpression).toBe('cron(0/5 * * * ? *)');
  });
});
