import { App } from 'aws-cdk-lib';
import { DeskAdminStack } from './stack.js';

const app = new App();

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
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
