import { conditionHeld } from '../db/entity.js';
import { RateLimited } from '../errors.js';
import { signInAttemptsEntity } from './entities.js';

export const maxAttempts = 10;
export const attemptWindowSeconds = 15 * 60;

/** Password checks are counted per account + email, in a window that opens at the first check. */
type Counter = { accountId: string; email: string };

const now = () => Math.floor(Date.now() / 1000);

export interface Reservation {
  /** Hands the reservation back after a right password, so users are not locked out by their own sign-ins. */
  giveBack(): Promise<void>;
}

const tooMany = () => new RateLimited('Too many failed sign-ins for this email; try again later.');

function reservation(counter: Counter, windowStart: number): Reservation {
  return {
    async giveBack() {
      await conditionHeld(
        signInAttemptsEntity.update(
          counter,
          { add: { attempts: -1 } },
          // A window that closed meanwhile was replaced: nothing of this reservation is left in it.
          {
            condition: {
              and: [
                { path: 'windowStart', eq: windowStart },
                { path: 'attempts', gt: 0 },
              ],
            },
          },
        ),
      );
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
  const counter: Counter = { accountId, email };
  // Each round either counts in the open window, finds it full, or opens a new one; a lost race to
  // open one means another request just opened it, so the next round counts in it.
  for (let round = 0; round < 3; round++) {
    const cutoff = now() - attemptWindowSeconds;
    const counted = await signInAttemptsEntity.attemptUpdate(
      counter,
      { add: { attempts: 1 } },
      {
        condition: {
          and: [
            { path: 'windowStart', gt: cutoff },
            { path: 'attempts', lt: maxAttempts },
          ],
        },
      },
    );
    if ('written' in counted) return reservation(counter, counted.written.windowStart);
    if (counted.blocked && counted.blocked.windowStart > cutoff) throw tooMany();
    const windowStart = now();
    const opened = signInAttemptsEntity.put(
      { ...counter, windowStart, attempts: 1 },
      { expiresAt: windowStart + attemptWindowSeconds, condition: { or: [{ itemExists: false }, { path: 'windowStart', le: cutoff }] } },
    );
    if (await conditionHeld(opened)) return reservation(counter, windowStart);
  }
  throw tooMany();
}
