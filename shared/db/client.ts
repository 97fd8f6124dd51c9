import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DeleteCommand,
  DynamoDBDocumentClient,
  type PutCommand,
  TransactWriteCommand,
  type UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { awsClientOptions } from '../clients/aws.js';
import { recordRoundTrip } from './meter.js';
import { tableDefinition } from './table.js';

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
export type CancellationCode = string | undefined;

/** DynamoDB's limit on the items of one transaction. */
export const maxTransactionItems = 100;

/** A transaction DynamoDB would refuse is a programming error: it fails here, before anything is sent. */
export class TransactionTooLarge extends Error {
  override name = 'TransactionTooLarge';
  constructor(count: number) {
    super(`A transaction holds at most ${maxTransactionItems} items; this one has ${count}.`);
  }
}

export class DuplicateTransactionItem extends Error {
  override name = 'DuplicateTransactionItem';
  constructor(item: string) {
    super(`A transaction may touch an item only once; ${item} appears twice.`);
  }
}

function itemIdentity(item: TransactItem): string {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = item.Put ? item.Put.Item : (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key;
  return JSON.stringify([op?.TableName, key?.[tableDefinition.partitionKey], key?.[tableDefinition.sortKey]]);
}

/** Checks a transaction against DynamoDB's limits: at most 100 items, no item twice. */
export function checkTransaction(items: TransactItem[]): void {
  if (items.length > maxTransactionItems) throw new TransactionTooLarge(items.length);
  const seen = new Set<string>();
  for (const item of items) {
    const identity = itemIdentity(item);
    if (seen.has(identity)) throw new DuplicateTransactionItem(identity);
    seen.add(identity);
  }
}

/**
 * Writes all items or none. When a condition fails, `onConditionFailed` turns the per-item reasons
 * into a domain error (the data layer names the failure, not a handler's string match). Conflicts
 * with concurrent transactions are retried with jittered backoff, as DynamoDB advises.
 */
export async function transactWrite(items: TransactItem[], onConditionFailed: (codes: CancellationCode[]) => Error): Promise<void> {
  checkTransaction(items);
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (codes.includes('ConditionalCheckFailed')) throw onConditionFailed(codes);
      const retryable = codes.some((c) => c === 'TransactionConflict' || c === 'ThrottlingError');
      if (!retryable || attempt >= 12) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(400, 10 * 2 ** attempt)));
    }
  }
}

/**
 * Sends a conditional write (a claim, a lease): true when it was made, false when its condition did
 * not hold. Any other failure is thrown.
 */
export async function writeIfCondition(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    await db.send(command as UpdateCommand);
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}
