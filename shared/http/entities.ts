import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { defineEntity } from '../db/entity.js';
import { accountCollection } from '../db/keys.js';

/** Who sent the request: a signed-in caller (user, end user, integration key) or, on public routes, an address. */
export type IdempotencyCaller = { accountId: string; kind: string; id: string } | { sourceIp: string };

export interface IdempotencyRecord {
  status: 'in_progress' | 'completed';
  bodyHash: string;
  /** Proves an invocation still holds the key: one that lost it to a takeover writes nothing. */
  holder: string;
  /** Seconds since the epoch; only while in progress. */
  leaseExpiresAt?: number;
  response?: APIGatewayProxyStructuredResultV2;
}

/**
 * One record per caller, concrete path (`/v1/tickets/t1/messages`, not its template) and key, kept
 * by TTL. The path and key are hashed so a long path or key cannot push the partition key past
 * DynamoDB's limit.
 */
export const idempotencyEntity = defineEntity<IdempotencyRecord>()({
  type: 'idempotency',
  partition: (r: { caller: IdempotencyCaller; path: string; idempotencyKey: string }) => {
    const request = createHash('sha256')
      .update(JSON.stringify([r.path, r.idempotencyKey]))
      .digest('hex');
    return 'accountId' in r.caller
      ? accountCollection(r.caller.accountId, 'IDEM', r.caller.kind, r.caller.id, request)
      : `PUBLIC#${r.caller.sourceIp}#IDEM#${request}`;
  },
  sort: () => 'IDEM',
  keyOnly: ['caller', 'path', 'idempotencyKey'],
  keyShape: { partition: 'A#<acc>#IDEM#<caller kind>#<caller id>#<sha256 of path and key>, or PUBLIC#<ip>#IDEM#<sha256 of path and key>' },
});

/**
 * A request counter of one scope and fixed window (`sk` is the window's number), cleared by TTL
 * after the window. Scopes inside an account (a portal, a sender) live under the account; scopes of
 * no account (a client address on a public route) under `RATE#`. Written only by a counting update,
 * so the item has no type tag.
 */
export const rateWindowEntity = defineEntity<{ hits: number }>()({
  type: 'rate_window',
  partition: (w: { accountId: string | null; scope: string }) => (w.accountId ? accountCollection(w.accountId, 'RATE', w.scope) : `RATE#${w.scope}`),
  sort: (w: { window: number }) => String(w.window),
  keyOnly: ['accountId', 'scope', 'window'],
});
