import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { conditionHeld } from '../db/entity.js';
import { Conflict } from '../errors.js';
import { type IdempotencyCaller, idempotencyEntity } from './entities.js';

export type { IdempotencyCaller } from './entities.js';

const retentionSeconds = 24 * 3600;

/**
 * How long a request holds its key while it runs. API Functions time out after 15 s (infra/stack.ts)
 * and API Gateway gives up after 30 s, so no live request can still hold a key after 30 s: a retry
 * past the lease is retrying a request that died, and takes the key over.
 */
const leaseSeconds = 30;

export interface IdempotencyClaim {
  recordKey: { caller: IdempotencyCaller; path: string; idempotencyKey: string };
  /** Proves this invocation still holds the key: one that lost it to a takeover writes nothing. */
  holder: string;
}

type Outcome = ({ kind: 'first' } & IdempotencyClaim) | { kind: 'replay'; response: APIGatewayProxyStructuredResultV2 };

/**
 * Claims the key with one conditional Put: free, expired, or held by a request whose lease ran out.
 * When the key is taken, the stored record comes back with the failure, so a replay costs no second
 * read.
 */
export async function beginIdempotentRequest(input: { caller: IdempotencyCaller; path: string; key: string; bodyHash: string }): Promise<Outcome> {
  const recordKey = { caller: input.caller, path: input.path, idempotencyKey: input.key };
  const holder = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const attempt = await idempotencyEntity.attemptPut(
    { ...recordKey, status: 'in_progress', bodyHash: input.bodyHash, holder, leaseExpiresAt: now + leaseSeconds },
    {
      expiresAt: now + retentionSeconds,
      condition: {
        or: [
          { itemExists: false },
          { path: 'ttl', lt: now },
          {
            and: [
              { path: 'status', eq: 'in_progress' },
              {
                or: [
                  { path: 'leaseExpiresAt', exists: false },
                  { path: 'leaseExpiresAt', lt: now },
                ],
              },
            ],
          },
        ],
      },
    },
  );
  if ('written' in attempt) return { kind: 'first', recordKey, holder };
  const stored = attempt.blocked;
  if (stored && stored.bodyHash !== input.bodyHash) {
    throw new Conflict('This Idempotency-Key was used with a different body.');
  }
  if (stored?.status !== 'completed' || !stored.response) {
    throw new Conflict('A request with this Idempotency-Key is still in progress.');
  }
  return { kind: 'replay', response: stored.response };
}

/** Stores the response for replays, unless the key was taken over meanwhile (then the new holder answers). */
export async function completeIdempotentRequest(claim: IdempotencyClaim, response: APIGatewayProxyStructuredResultV2): Promise<void> {
  await conditionHeld(
    idempotencyEntity.update(
      claim.recordKey,
      { set: { status: 'completed', response, leaseExpiresAt: undefined } },
      { condition: { path: 'holder', eq: claim.holder } },
    ),
  );
}

/** A failed request frees its key, so the client may retry it; a key another request took over stays its. */
export async function abandonIdempotentRequest(claim: IdempotencyClaim): Promise<void> {
  await conditionHeld(idempotencyEntity.delete(claim.recordKey, { condition: { path: 'holder', eq: claim.holder } }));
}
