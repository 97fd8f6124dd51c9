import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { accountCollection } from '../db/keys.js';
import { RateLimited } from '../errors.js';

/** One counter per scope and fixed window, cleared by TTL after the window. */
const rateKeys = {
  window: (accountId: string, scope: string, window: number) => ({ pk: accountCollection(accountId, 'RATE', scope), sk: String(window) }),
};

/**
 * Counts one request against `limit` per `windowSeconds` for the scope (a portal, a sender). The
 * conditional increment is atomic, so concurrent requests cannot slip past the limit.
 */
export async function consumeRateLimit(accountId: string, scope: string, limit: number, windowSeconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const window = Math.floor(now / windowSeconds);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: rateKeys.window(accountId, scope, window),
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': (window + 2) * windowSeconds },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new RateLimited();
    throw err;
  }
}
