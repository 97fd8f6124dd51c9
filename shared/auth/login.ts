import { RateLimited, Unauthenticated } from '../errors.js';
import { commitChanges } from '../audit/audit.js';
import { accountIdForSlug } from '../accounts/accounts.js';
import { resolvePortal } from '../portals/portals.js';
import { getEmailClaim } from '../users/emails.js';
import { loadCredentials } from './principal.js';
import { verifyAgainstDecoy, verifyPassword } from './passwords.js';
import { issueToken } from './tokens.js';
import { consumeClientLimit, consumeSignInToAccount } from './client-limits.js';
import { reserveAttempt } from './sign-in-attempts.js';
import type { LoginInput, PortalLoginInput } from '../accounts/schema.js';

type Request = { requestId: string; sourceIp: string };

const invalidCredentials = () => new Unauthenticated('The account, email or password is not correct.');

/**
 * Checks one password of an account's user or end user (`end_users`: end users only). Every
 * address, known or not, counts against the client's limit into the account, spends one
 * reservation of the account + email throttle and one password hash, and gets the same 401 when
 * wrong, so the answer tells nothing about which addresses exist.
 */
async function signIn(accountId: string, email: string, password: string, request: Request, who: 'anyone' | 'end_users') {
  await consumeSignInToAccount(accountId, request.sourceIp);
  const claim = await getEmailClaim(accountId, email, { consistent: true });

  const actor = { accountId, actorId: claim?.ownerId ?? null, ...request };
  const audit = (action: 'sign_in' | 'sign_in_failed', reason?: string) =>
    commitChanges(
      actor,
      [],
      [
        {
          resourceType: claim?.ownerType ?? 'user',
          resourceId: claim?.ownerId ?? 'unknown',
          action,
          fields: { email: { from: null, to: email }, ...(reason ? { reason: { from: null, to: reason } } : {}) },
        },
      ],
    );

  const attempt = await reserveAttempt(accountId, email).catch(async (err: unknown) => {
    if (err instanceof RateLimited) await audit('sign_in_failed', 'rate_limited');
    throw err;
  });
  const eligible = claim && (who === 'anyone' || claim.ownerType === 'end_user');
  const holder = eligible ? await loadCredentials(accountId, claim) : undefined;
  const valid = holder?.passwordHash ? await verifyPassword(password, holder.passwordHash) : await verifyAgainstDecoy(password);
  if (!holder || !valid) {
    await audit('sign_in_failed', 'invalid_credentials');
    throw invalidCredentials();
  }
  await attempt.giveBack();
  await audit('sign_in');
  const { token, expiresAt } = await issueToken({ accountId, subjectId: holder.id, role: holder.role, credentialsVersion: holder.credentialsVersion });
  return { token, expiresAt, user: holder.profile };
}

/**
 * Sign-in for users and end users alike. Wrong account, unknown email and wrong password all get
 * the same answer after the same work; at most 10 passwords per account + email are checked in 15
 * minutes (429 beyond), and each client address has its limits (`clientLimits`) before any hash.
 */
export async function logIn(input: LoginInput, request: Request) {
  await consumeClientLimit('signIn', request.sourceIp);
  const accountId = await accountIdForSlug(input.account);
  if (!accountId) {
    await verifyAgainstDecoy(input.password);
    throw invalidCredentials();
  }
  return signIn(accountId, input.email, input.password, request, 'anyone');
}

/**
 * Sign-in on a customer portal, for the end users of the portal's account only: a staff address
 * gets the same 401 as an unknown one. Same throttles as `logIn`; unknown or disabled portal: 404.
 */
export async function logInToPortal(slug: string, input: PortalLoginInput, request: Request) {
  await consumeClientLimit('signIn', request.sourceIp);
  const { owner } = await resolvePortal(slug);
  return signIn(owner.accountId, input.email, input.password, request, 'end_users');
}
