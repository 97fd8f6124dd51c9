import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, tableName } from '../db/client.js';
import { accountPartition, entityKey } from '../db/keys.js';
import { RateLimited } from '../errors.js';

export const maxAttempts = 10;
export const attemptWindowSeconds = 15 * 60;

/** Password checks are counted per account + email, in a window that opens at the first check. */
const attemptKeys = {
  item: (accountId: string, email: string) => ({ pk: accountPartition(accountId), sk: entityKey('SIGNIN', email.toLowerCase()) }),
};

const now = () => Math.floor(Date.now() / 1000);

export interface Reservation {
  /** Hands the reservation back after a right password, so users are not locked out by their own sign-ins. */
  giveBack(): Promise<void>;
}

const tooMany = () => new RateLimited('Too many failed sign-ins for this email; try again later.');

function reservation(key: { pk: string; sk: string }, windowStart: number): Reservation {
  return {
    async giveBack() {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'ADD attempts :minusOne',
            // A window that closed meanwhile was replaced: nothing of this reservation is left in it.
            ConditionExpression: 'windowStart = :start AND attempts > :zero',
            ExpressionAttributeValues: { ':minusOne': -1, ':start': windowStart, ':zero': 0 },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    },
  };
}

/**
 * Reserves one password check for the account + email BEFORE the password is looked at, with a
 * conditional counter (`attempts < 10` in the open 15-minute window): however many guesses arrive
 * at once, at most 10 are ever checked. Beyond that: 429 `rate_limited` until the window closes.
 * Wrong passwords keep their reservation; a right one gives it back.
 */
export async function reserveAttempt(accountId: string, email: string): Promise<Reservation> {
  const key = attemptKeys.item(accountId, email);
  // Each round either counts in the open window, finds it full, or opens a new one; a lost race to
  // open one means another request just opened it, so the next round counts in it.
  for (let round = 0; round < 3; round++) {
    const cutoff = now() - attemptWindowSeconds;
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'windowStart > :cutoff AND attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':cutoff': cutoff, ':max': maxAttempts },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return reservation(key, Attributes!.windowStart as number);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const old = (err as { Item?: { windowStart?: { N?: string } } }).Item;
      if (old?.windowStart?.N && Number(old.windowStart.N) > cutoff) throw tooMany();
    }
    const windowStart = now();
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, type: 'sign_in_attempts', windowStart, attempts: 1, ttl: windowStart + attemptWindowSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR windowStart <= :cutoff',
          ExpressionAttributeValues: { ':cutoff': cutoff },
        }),
      );
      return reservation(key, windowStart);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
  throw tooMany();
}
