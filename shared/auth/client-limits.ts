import { consumeGlobalRateLimit, consumeRateLimit } from '../http/rate-limit.js';

/**
 * Per client address limits of the public routes that hash a password, checked before any hash:
 * each hash costs real CPU (scrypt, N=2^17), so one client must not keep the functions busy for
 * everyone else. Generous enough for an office behind one address.
 */
export const clientLimits = {
  /** `POST /v1/auth/login` and `POST /v1/portals/{slug}/login` together, whatever the account. */
  signIn: { limit: 120, windowSeconds: 60 },
  /** The same, into one account: spraying one password over many addresses of an account is slow. */
  signInToAccount: { limit: 30, windowSeconds: 60 },
  /** `POST /v1/accounts`: new accounts are rare. */
  signUp: { limit: 100, windowSeconds: 60 * 60 },
  /** `POST /v1/auth/set-password`. */
  setPassword: { limit: 30, windowSeconds: 60 },
} as const;

/** Counts one request of the client address against the route's limit: 429 `rate_limited` beyond it. */
export function consumeClientLimit(name: 'signIn' | 'signUp' | 'setPassword', sourceIp: string): Promise<void> {
  const { limit, windowSeconds } = clientLimits[name];
  return consumeGlobalRateLimit(`${name}#${sourceIp}`, limit, windowSeconds);
}

/** Counts one sign-in of the client address into the account. */
export function consumeSignInToAccount(accountId: string, sourceIp: string): Promise<void> {
  const { limit, windowSeconds } = clientLimits.signInToAccount;
  return consumeRateLimit(accountId, `signin#${sourceIp}`, limit, windowSeconds);
}
