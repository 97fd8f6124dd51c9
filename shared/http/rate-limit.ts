import { RateLimited } from '../errors.js';
import { rateWindowEntity } from './entities.js';

/**
 * Counts one request against `limit` per `windowSeconds` in the window's counter, cleared by TTL
 * after the window. The conditional increment is atomic, so concurrent requests cannot slip past
 * the limit. Scopes inside an account (a portal, a sender) are counted under the account.
 */
async function consume(accountId: string | null, scope: string, limit: number, windowSeconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const window = Math.floor(now / windowSeconds);
  await rateWindowEntity.update(
    { accountId, scope, window },
    { add: { hits: 1 } },
    {
      expiresAt: (window + 2) * windowSeconds,
      condition: {
        or: [
          { path: 'hits', exists: false },
          { path: 'hits', lt: limit },
        ],
      },
      onFail: () => new RateLimited(),
    },
  );
}

/** A limit inside one account, for a scope such as a portal or a sender. */
export function consumeRateLimit(accountId: string, scope: string, limit: number, windowSeconds: number): Promise<void> {
  return consume(accountId, scope, limit, windowSeconds);
}

/** A limit of no account, for a scope such as a client address on a public route. */
export function consumeGlobalRateLimit(scope: string, limit: number, windowSeconds: number): Promise<void> {
  return consume(null, scope, limit, windowSeconds);
}
