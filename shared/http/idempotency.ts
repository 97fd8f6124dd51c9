import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName, writeIfCondition } from '../db/client.js';
import { Conflict } from '../errors.js';
import { accountCollection } from '../db/keys.js';

const retentionSeconds = 24 * 3600;

/**
 * How long a request holds its key while it runs. API Functions time out after 15 s (infra/stack.ts)
 * and API Gateway gives up after 30 s, so no live request can still hold a key after 30 s: a retry
 * past the lease is retrying a request that died, and takes the key over.
 */
const leaseSeconds = 30;

/** Who sent the request: a signed-in caller (user, end user, integration key) or, on public routes, an address. */
export type IdempotencyCaller = { accountId: string; kind: string; id: string } | { sourceIp: string };

/**
 * One record per caller, concrete path (`/v1/tickets/t1/messages`, not its template) and key. The
 * path and key are hashed so a long path or key cannot push the partition key past DynamoDB's limit.
 */
export const idempotencyKeys = {
  record: (caller: IdempotencyCaller, path: string, key: string) => {
    const request = createHash('sha256')
      .update(JSON.stringify([path, key]))
      .digest('hex');
    return {
      pk: 'accountId' in caller ? accountCollection(caller.accountId, 'IDEM', caller.kind, caller.id, request) : `PUBLIC#${caller.sourceIp}#IDEM#${request}`,
      sk: 'IDEM',
    };
  },
};

export interface IdempotencyClaim {
  recordKey: Record<string, string>;
  /** Proves this invocation still holds the key: one that lost it to a takeover writes nothing. */
  holder: string;
}

type Outcome = ({ kind: 'first' } & IdempotencyClaim) | { kind: 'replay'; response: APIGatewayProxyStructuredResultV2 };

/**
 * Claims the key with one conditional Put: free, expired, or held by a request whose lease ran out.
 * When the key is taken, the stored record comes back with the failure (ALL_OLD), so a replay costs
 * no second read.
 */
export async function beginIdempotentRequest(input: { caller: IdempotencyCaller; path: string; key: string; bodyHash: string }): Promise<Outcome> {
  const recordKey = idempotencyKeys.record(input.caller, input.path, input.key);
  const holder = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...recordKey,
          status: 'in_progress',
          bodyHash: input.bodyHash,
          holder,
          leaseExpiresAt: now + leaseSeconds,
          ttl: now + retentionSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now OR (#status = :inProgress AND (attribute_not_exists(#lease) OR #lease < :now))',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#status': 'status', '#lease': 'leaseExpiresAt' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'in_progress' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'first', recordKey, holder };
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

/** Stores the response for replays, unless the key was taken over meanwhile (then the new holder answers). */
export async function completeIdempotentRequest(claim: IdempotencyClaim, response: APIGatewayProxyStructuredResultV2): Promise<void> {
  await writeIfCondition(
    new UpdateCommand({
      TableName: tableName,
      Key: claim.recordKey,
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE #lease',
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#lease': 'leaseExpiresAt', '#holder': 'holder' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': response, ':holder': claim.holder },
    }),
  );
}

/** A failed request frees its key, so the client may retry it; a key another request took over stays its. */
export async function abandonIdempotentRequest(claim: IdempotencyClaim): Promise<void> {
  await writeIfCondition(
    new DeleteCommand({
      TableName: tableName,
      Key: claim.recordKey,
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: { '#holder': 'holder' },
      ExpressionAttributeValues: { ':holder': claim.holder },
    }),
  );
}
