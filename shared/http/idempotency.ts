import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName } from '../db/client.js';
import { Conflict } from '../errors.js';
import { accountCollection } from '../db/keys.js';

const retentionSeconds = 24 * 3600;

export type IdempotencyScope = { accountId: string } | { sourceIp: string };

/** Keys are scoped to the account (or, on public routes, the caller's address) and the route. */
const idempotencyKeys = {
  record: (scope: IdempotencyScope, routeKey: string, key: string) => ({
    pk:
      'accountId' in scope
        ? accountCollection(scope.accountId, 'IDEM', routeKey, key)
        : `PUBLIC#${scope.sourceIp}#IDEM#${routeKey}#${key}`,
    sk: 'IDEM',
  }),
};

type Outcome =
  | { kind: 'first'; recordKey: Record<string, string> }
  | { kind: 'replay'; response: APIGatewayProxyStructuredResultV2 };

/**
 * Claims the key with one conditional Put. When the key is taken, the stored record comes back
 * with the failure (ALL_OLD), so a replay costs no second read.
 */
export async function beginIdempotentRequest(input: {
  scope: IdempotencyScope;
  routeKey: string;
  key: string;
  bodyHash: string;
}): Promise<Outcome> {
  const recordKey = idempotencyKeys.record(input.scope, input.routeKey, input.key);
  const now = Math.floor(Date.now() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...recordKey, status: 'in_progress', bodyHash: input.bodyHash, ttl: now + retentionSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'first', recordKey };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException) || !err.Item) throw err;
    const stored = unmarshall(err.Item) as { status: string; bodyHash: string; response?: APIGatewayProxyStructuredResultV2 };
    if (stored.bodyHash !== input.bodyHash) {
      throw new Conflict('This Idempotency-Key was used with a different body.');
    }
    if (stored.status !== 'completed' || !stored.response) {
      throw new Conflict('A request with this Idempotency-Key is still in progress.');
    }
    return { kind: 'replay', response: stored.response };
  }
}

export async function completeIdempotentRequest(
  recordKey: Record<string, string>,
  response: APIGatewayProxyStructuredResultV2,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: recordKey,
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
    }),
  );
}

/** A failed request frees its key, so the client may retry it. */
export async function abandonIdempotentRequest(recordKey: Record<string, string>): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: recordKey }));
}
