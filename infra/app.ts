import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeskAdminStack } from './stack.js';

const app = new App();
// AWS Solutions checks run at every synth: a new finding fails it until fixed or acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** Deployment settings come from cdk.json or `-c key=value`; a missing one stops synth with its name. */
function requiredContext(key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || !value) throw new Error(`Set the CDK context value "${key}" (cdk.json or -c ${key}=...)`);
  return value;
}
new DeskAdminStack(app, 'DeskAdmin', {
  mailFrom: requiredContext('mailFrom'),
  inboundDomain: requiredContext('inboundDomain'),
  publicUrl: requiredContext('publicUrl'),
  // Optional: Teams is connected by setting it (README "Microsoft Teams").
  teamsAppId: app.node.tryGetContext('teamsAppId') as string | undefined,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
