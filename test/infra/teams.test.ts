import { beforeAll, describe, expect, it } from 'vitest';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';
import { DeskAdminStack } from '../../infra/stack.js';

let template: Template;
const teamsAppId = '8f5d3a1e-6b4c-4d2a-9e7f-0a1b2c3d4e5f';

beforeAll(() => {
  // Bundling every function is `npm run synth`'s job (CI runs it); the template's shape does not need it.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new DeskAdminStack(app, 'Test', {
    mailFrom: 'support@example.com',
    inboundDomain: 'example.com',
    publicUrl: 'https://support.example.com',
    teamsAppId,
  });
  template = Template.fromStack(stack);
}, 300_000);

const functionId = (pascal: string) => {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(`${pascal}Function`));
  expect(ids, pascal).toHaveLength(1);
  return ids[0]!;
};
const functionOf = (pascal: string) => template.findResources('AWS::Lambda::Function')[functionId(pascal)]!;

const teamsSecretId = () => {
  const ids = Object.entries(template.findResources('AWS::SecretsManager::Secret'))
    .filter(([, s]) => String(s.Properties.Description).includes('Teams'))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

/** The role policy statements of a function. */
function statementsOf(pascal: string): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = functionOf(pascal).Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const readsTeamsSecret = (pascal: string) =>
  statementsOf(pascal).some((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(teamsSecretId()));

describe('Microsoft Teams in the CDK stack', () => {
  it('routes the Bot Framework messaging endpoint to its own Lambda', () => {
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === 'POST /api/messages');
    expect(route).toBeDefined();
    const integrationId = JSON.stringify(route!.Properties.Target).match(/"(\w*Integration\w*)"/)?.[1];
    const integration = template.findResources('AWS::ApiGatewayV2::Integration')[integrationId!]!;
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(functionId('TeamsMessages'));
  });

  it("gives the messaging endpoint the app id, the Bot Framework's JWKS and the app password's secret", () => {
    const variables = functionOf('TeamsMessages').Properties.Environment.Variables;
    expect(variables.TEAMS_APP_ID).toBe(teamsAppId);
    expect(variables.TEAMS_JWKS_URL).toBe('https://login.botframework.com/v1/.well-known/keys');
    expect(variables.TEAMS_APP_PASSWORD_ARN).toEqual({ Ref: teamsSecretId() });
    expect(variables).not.toHaveProperty('TEAMS_APP_PASSWORD');
  });

  it('keeps the app password in a secret the stack creates, readable by exactly the functions that post to Teams', () => {
    for (const pascal of ['TeamsMessages', 'Tickets', 'Live']) {
      expect(readsTeamsSecret(pascal), pascal).toBe(true);
      expect(functionOf(pascal).Properties.Environment.Variables.TEAMS_APP_PASSWORD_ARN, pascal).toEqual({ Ref: teamsSecretId() });
    }
    for (const pascal of ['Portals', 'Companies', 'Teams', 'Queue']) expect(readsTeamsSecret(pascal), pascal).toBe(false);
  });

  it("lets the messaging endpoint push to the live channel (a customer's messages reach the console at once)", () => {
    expect(statementsOf('TeamsMessages').some((s) => [s.Action].flat().includes('execute-api:ManageConnections'))).toBe(true);
  });
});
