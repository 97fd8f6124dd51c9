import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ensureTable } from '../../local/dynamodb.js';

// Each test file runs in its own module registry with its own table on the shared DynamoDB Local.
// Configuration is read once, on first use (not at import): it only has to be set before a test runs.
const tableName = `test-${randomBytes(6).toString('hex')}`;
Object.assign(process.env, {
  TABLE_NAME: tableName,
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
  PASSWORD_HASH_LOG_N: '12',
  POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
await ensureTable(process.env.DYNAMODB_ENDPOINT!, tableName);
