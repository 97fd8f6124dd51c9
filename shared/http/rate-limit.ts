import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { accountCollection } from '../db/keys.js';
import { RateLimited } from '../errors.js';

/**
 * One counter per scope and fixed window, cleared by TTL after the window. Scopes inside an account
 * (a portal, a sender) live under the account; scopes of no account (a client address on a public
 * route, before any account is known) live under `RATE#`.
 */
const rateKeys = {
  window: (accountId: string, scope: string, window: number) => ({ pk: accountCollection(accountId, 'RATE', scope), sk: String(window) }),
  globalWindow: (scope: string, window: number) => ({ pk: `RATE#${scope}`, sk: String(window) }),
};

/**
 * Counts one request against `limit` per `windowSeconds` in the window's counter. The conditional
 * increment is atomic, so concurrent requests cannot slip past the limit.
 */
async function consume(key: (window: number) => { pk: string; sk: string }, limit: number, windowSeconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const window = Math.floor(now / windowSeconds);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(window),
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

/** A limit inside one account, for a scope such as a portal or a sender. */
export function consumeRateLimit(accountId: string, scope: string, limit: number, windowSeconds: number): Promise<void> {
  return consume((window) => rateKeys.window(accountId, scope, window), limit, windowSeconds);
}

/** A limit of no account, for a scope such as a client address on a public route. */
export function consumeGlobalRateLimit(scope: string, limit: number, windowSeconds: number): Promise<void> {
  return consume((window) => rateKeys.globalWindow(scope, window), limit, windowSeconds);
}
