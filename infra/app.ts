import { App } from 'aws-cdk-lib';
import { DeskAdminStack } from './stack.js';

const app = new App();
new DeskAdminStack(app, 'DeskAdmin', {
  mailFrom: app.node.tryGetContext('mailFrom') ?? 'support@desk-admin.example.com',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
