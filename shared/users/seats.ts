import { NotFound } from '../errors.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { seatFreed, seatTaken } from '../accounts/accounts.js';
import { seatEntity } from './entities.js';
import { getUserRecord, toUser, userSeatChanged, type SeatModule, type User } from './users.js';

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
        seatEntity.putAction({ accountId: actor.accountId, module, userId, since: now }, { ifNew: true, onFail: () => new AlreadyDone() }),
        seatTaken(actor.accountId, module),
        userSeatChanged(actor.accountId, userId, { add: module }, now),
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
        seatEntity.deleteAction({ accountId: actor.accountId, module, userId }, { condition: { itemExists: true }, onFail: () => new AlreadyDone() }),
        seatFreed(actor.accountId, module),
        userSeatChanged(actor.accountId, userId, { remove: module }, new Date().toISOString()),
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
