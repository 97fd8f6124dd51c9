import { defineEntity } from '../db/entity.js';
import { accountPartition, entityKey } from '../db/keys.js';

export interface SignInAttempts {
  /** Seconds since the epoch: the window opens at its first password check. */
  windowStart: number;
  attempts: number;
}

/**
 * The password checks of one account + email (`SIGNIN#<email>`, lower-cased) in the open window;
 * removed by TTL when the window closes.
 */
export const signInAttemptsEntity = defineEntity<SignInAttempts>()({
  type: 'sign_in_attempts',
  partition: (a: { accountId: string }) => accountPartition(a.accountId),
  sort: (a: { email: string }) => entityKey('SIGNIN', a.email.toLowerCase()),
  keyOnly: ['accountId', 'email'],
});
