import type { WriteAction } from '../db/transaction.js';
import { Conflict } from '../errors.js';
import { emailClaimEntity, emailClaimsOf } from './entities.js';

/**
 * Emails are unique per account across users and end users, case-insensitively: each address is
 * claimed by one item keyed by the lower-cased address, written in the same transaction as its
 * owner, so concurrent creations race on the claim's condition and one wins.
 */
export interface EmailClaim {
  ownerType: 'user' | 'end_user';
  ownerId: string;
}

export class EmailTaken extends Conflict {
  constructor() {
    super('This email address is already in use in the account.', 'conflict', [{ path: 'email', message: 'Already in use' }]);
  }
}

export function claimEmail(accountId: string, email: string, owner: EmailClaim): WriteAction {
  return emailClaimEntity.putAction({ accountId, email, ...owner }, { ifNew: true, onFail: () => new EmailTaken() });
}

export function releaseEmail(accountId: string, email: string): WriteAction {
  return emailClaimEntity.deleteAction({ accountId, email });
}

export function getEmailClaim(accountId: string, email: string, options: { consistent?: boolean } = {}): Promise<EmailClaim | undefined> {
  return emailClaimEntity.get({ accountId, email }, options);
}

/** The claims of several addresses in one batch read, by lower-cased address; unclaimed ones are absent. */
export function getEmailClaims(accountId: string, emails: string[], options: { consistent?: boolean } = {}): Promise<Map<string, EmailClaim>> {
  return emailClaimsOf(accountId, emails, options.consistent ?? false);
}
