import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { awsClientOptions } from '../clients/aws.js';
import { recordRoundTrip } from './meter.js';

/**
 * The table as commands name it. The configured name is read on first use, not at import, so
 * commands carry this placeholder and the client swaps in the real name as it sends them. The
 * placeholder is not a valid table name: a command sent some other way fails loudly.
 */
export const tableName = '{TABLE_NAME}';

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'TransactWriteCommand',
  'BatchWriteCommand',
]);

type Input = Record<string, unknown>;

/** `record` with its `from` key renamed `to` (batch requests and responses are keyed by table name). */
function renameKey<T>(record: Record<string, T> | undefined, from: string, to: string): Record<string, T> | undefined {
  if (!record || !(from in record)) return record;
  const { [from]: value, ...rest } = record;
  return { ...rest, [to]: value as T };
}

function withTableName(input: Input, name: string): Input {
  const named = (op: unknown) => (op && (op as Input).TableName === tableName ? { ...(op as Input), TableName: name } : op);
  const items = input.TransactItems as Input[] | undefined;
  return {
    ...input,
    ...(input.TableName === tableName && { TableName: name }),
    ...(items && { TransactItems: items.map((item) => Object.fromEntries(Object.entries(item).map(([kind, op]) => [kind, named(op)]))) }),
    ...(input.RequestItems !== undefined && { RequestItems: renameKey(input.RequestItems as Input, tableName, name) }),
  };
}

function createDocumentClient(): DynamoDBDocumentClient {
  const created = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientOptions(config.DYNAMODB_ENDPOINT)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // Fill in the configured table, ask every call for its consumed capacity and count it against the
  // current request.
  created.middlewareStack.add(
    (next, context) => async (args) => {
      const input = withTableName(args.input as Input, config.TABLE_NAME);
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next({ ...args, input });
      const output = result.output as { ConsumedCapacity?: never; Responses?: Input; UnprocessedKeys?: Input; UnprocessedItems?: Input };
      recordRoundTrip(output.ConsumedCapacity, writeCommands.has(context.commandName ?? ''));
      for (const key of ['Responses', 'UnprocessedKeys', 'UnprocessedItems'] as const) {
        if (output[key] && !Array.isArray(output[key])) output[key] = renameKey(output[key], config.TABLE_NAME, tableName);
      }
      return result;
    },
    { step: 'initialize', name: 'meterConsumedCapacity' },
  );
  return created;
}

let client: DynamoDBDocumentClient | undefined;

function documentClient(): DynamoDBDocumentClient {
  client ??= createDocumentClient();
  return client;
}

/**
 * The document client, created on first use with the configuration of that moment and then reused.
 * Callers (and tests spying on it) use `db.send`.
 */
export const db: Pick<DynamoDBDocumentClient, 'send'> = {
  send: ((...args: Parameters<DynamoDBDocumentClient['send']>) => documentClient().send(...args)) as DynamoDBDocumentClient['send'],
};

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
