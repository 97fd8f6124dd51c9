import type { TestProject } from 'vitest/node';
import { startLocalDynamo } from '../../local/dynamodb.js';
import { freePort } from '../../local/net.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts one in-memory DynamoDB Local for the whole test run and stops it afterwards. */
export default async function setup(project: TestProject) {
  const dynamo = await startLocalDynamo({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
