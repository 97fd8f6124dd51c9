import { tableName } from '../db/client.js';
import { NotFound } from '../errors.js';
import { commitChanges, guard, type Actor } from '../audit/audit.js';
import { seatFreed, seatTaken } from '../accounts/accounts.js';
import { seatKeys } from './seat-keys.js';
import { getUserRecord, toUser, userKeys, type SeatModule, type User } from './users.js';

/** Raised inside the transaction when the seat is already held (or already free): nothing to do. */
class AlreadyDone extends Error {}

/**
 * Gives a user a seat. The seat item, the account's counter and the user's seat set change in one
 * transaction; the counter's condition (`used < limit`) is what keeps the limit under any number of
 * simultaneous requests. Giving a seat the user already holds changes nothing.
 */
export async function provisionSeat(actor: Actor, userId: string, module: SeatModule): Promise<User> {
  const user = await getUserRecord(actor.accountId, userId, true);
  if (!user) throw new NotFound('The user');
  if (user.seats.includes(module)) return toUser(user);
  const now = new Date().toISOString();
  try {
    await commitChanges(
      actor,
      [
        guard(
          {
            Put: {
              TableName: tableName,
              Item: { ...seatKeys.item(actor.accountId, module, userId), type: 'seat', module, userId, since: now },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          () => new AlreadyDone(),
        ),
        seatTaken(actor.accountId, module),
        guard(
          {
            Update: {
              TableName: tableName,
              Key: userKeys.item(actor.accountId, userId),
              UpdateExpression: 'ADD seats :seat SET updatedAt = :now',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':seat': new Set([module]), ':now': now },
            },
          },
          () => new NotFound('The user'),
        ),
      ],
      [
        {
          resourceType: 'seat',
          resourceId: `${module}:${userId}`,
          action: 'create',
          fields: { seats: { from: user.seats, to: [...user.seats, module].sort() } },
        },
      ],
    );
  } catch (err) {
    if (!(err instanceof AlreadyDone)) throw err;
    return toUser((await getUserRecord(actor.accountId, userId, true)) ?? user);
  }
  return toUser({ ...user, seats: [...user.seats, module].sort(), updatedAt: now });
}

/** Takes a seat back; taking one the user does not hold changes nothing. */
export async function releaseSeat(actor: Actor, userId: string, module: SeatModule): Promise<void> {
  const user = await getUserRecord(actor.accountId, userId, true);
  if (!user) throw new NotFound('The user');
  if (!user.seats.includes(module)) return;
  try {
    await commitChanges(
      actor,
      [
        guard(
          { Delete: { TableName: tableName, Key: seatKeys.item(actor.accountId, module, userId), ConditionExpression: 'attribute_exists(pk)' } },
          () => new AlreadyDone(),
        ),
        seatFreed(actor.accountId, module),
        {
          Update: {
            TableName: tableName,
            Key: userKeys.item(actor.accountId, userId),
            UpdateExpression: 'DELETE seats :seat SET updatedAt = :now',
            ExpressionAttributeValues: { ':seat': new Set([module]), ':now': new Date().toISOString() },
          },
        },
      ],
      [
        {
          resourceType: 'seat',
          resourceId: `${module}:${userId}`,
          action: 'delete',
          fields: { seats: { from: user.seats, to: user.seats.filter((s) => s !== module) } },
        },
      ],
    );
  } catch (err) {
    if (!(err instanceof AlreadyDone)) throw err;
  }
}
