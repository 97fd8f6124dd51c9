import type { TestProject } from 'vitest/node';
import { startLocalDynamo } from '../../local/dynamodb.js';
import { freePort } from '../../local/net.js';
import { startPages } from './pages-setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts one in-memory DynamoDB Local (and the web pages' build and browser) for the whole test run and stops them afterwards. */
export default async function setup(project: TestProject) {
  const dynamo = await startLocalDynamo({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  const stopPages = await startPages((endpoint) => project.provide('browserEndpoint', endpoint));
  return async () => {
    await stopPages();
    await dynamo.stop();
  };
}
