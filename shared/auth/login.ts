import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../db/batch.js';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { accountPartition, entityKey } from '../db/keys.js';
import { RateLimited, Unauthenticated } from '../errors.js';
import { commitChanges } from '../audit/audit.js';
import { accountIdForSlug } from '../accounts/accounts.js';
import { emailKeys, type EmailClaim } from '../users/emails.js';
import { loadCredentials } from './principal.js';
import { verifyAgainstDecoy, verifyPassword } from './passwords.js';
import { issueToken } from './tokens.js';
import type { LoginInput } from '../accounts/schema.js';

export const maxFailures = 10;
export const failureWindowSeconds = 15 * 60;

/** Failed sign-ins are counted per account + email, in a window that opens at the first failure. */
const throttleKeys = {
  item: (accountId: string, email: string) => ({
    pk: accountPartition(accountId),
    sk: entityKey('LOGINFAIL', email.toLowerCase()),
  }),
};

interface ThrottleState {
  windowStart: number;
  failures: number;
}

const now = () => Math.floor(Date.now() / 1000);

function isLocked(state: ThrottleState | undefined): boolean {
  return !!state && state.windowStart > now() - failureWindowSeconds && state.failures >= maxFailures;
}

/** Counts one failure atomically: bump the open window, or open a new one. */
async function recordFailure(accountId: string, email: string): Promise<void> {
  const key = throttleKeys.item(accountId, email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const cutoff = now() - failureWindowSeconds;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET failures = failures + :one',
          ConditionExpression: 'windowStart > :cutoff',
          ExpressionAttributeValues: { ':one': 1, ':cutoff': cutoff },
        }),
      );
      return;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, type: 'login_throttle', windowStart: now(), failures: 1, ttl: now() + failureWindowSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR windowStart <= :cutoff',
          ExpressionAttributeValues: { ':cutoff': cutoff },
        }),
      );
      return;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}

const invalidCredentials = () => new Unauthenticated('The account, email or password is not correct.');

/**
 * Sign-in for users and end users alike. Wrong account, unknown email and wrong password all get
 * the same answer after the same work; after 10 failures in 15 minutes the account + email pair
 * is refused with 429 until the window closes.
 */
export async function logIn(input: LoginInput, request: { requestId: string; sourceIp: string }) {
  const accountId = await accountIdForSlug(input.account);
  if (!accountId) {
    await verifyAgainstDecoy(input.password);
    throw invalidCredentials();
  }
  const throttleKey = throttleKeys.item(accountId, input.email);
  const claimKey = emailKeys.claim(accountId, input.email);
  const found = await batchGet([throttleKey, claimKey], { consistent: true });
  const throttle = found.find((i) => i.sk === throttleKey.sk) as ThrottleState | undefined;
  const claim = found.find((i) => i.sk === claimKey.sk) as EmailClaim | undefined;

  const actor = { accountId, actorId: claim?.ownerId ?? null, ...request };
  const audit = (action: 'sign_in' | 'sign_in_failed', reason?: string) =>
    commitChanges(actor, [], [
      {
        resourceType: claim?.ownerType ?? 'user',
        resourceId: claim?.ownerId ?? 'unknown',
        action,
        fields: { email: { from: null, to: input.email }, ...(reason ? { reason: { from: null, to: reason } } : {}) },
      },
    ]);

  if (isLocked(throttle)) {
    await audit('sign_in_failed', 'rate_limited');
    throw new RateLimited('Too many failed sign-ins for this email; try again later.');
  }
  const holder = claim ? await loadCredentials(accountId, claim) : undefined;
  const valid = holder?.passwordHash
    ? await verifyPassword(input.password, holder.passwordHash)
    : await verifyAgainstDecoy(input.password);
  if (!holder || !valid) {
    await recordFailure(accountId, input.email);
    await audit('sign_in_failed', 'invalid_credentials');
    throw invalidCredentials();
  }
  await audit('sign_in');
  const { token, expiresAt } = await issueToken({ accountId, subjectId: holder.id, role: holder.role, credentialsVersion: holder.credentialsVersion });
  return { token, expiresAt, user: holder.profile };
}
