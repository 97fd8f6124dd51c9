import { getUserRecord, toUser, type User } from '../users/users.js';
import type { EmailClaim } from '../users/emails.js';
import type { PasswordHash } from './passwords.js';
import type { Role, TokenClaims } from './tokens.js';

/** The authenticated caller, loaded fresh on every request (one GetItem). */
export interface Principal {
  accountId: string;
  id: string;
  role: Role;
  /** The staff user behind the principal; the profile `GET /v1/me` returns. */
  profile: User;
}

export async function loadPrincipal(claims: TokenClaims): Promise<Principal | undefined> {
  if (claims.role === 'end_user') return undefined;
  const record = await getUserRecord(claims.accountId, claims.subjectId);
  if (!record) return undefined;
  return { accountId: claims.accountId, id: record.id, role: record.role, profile: toUser(record) };
}

/** Administrators work in every company; technicians in those they were given. */
export function canAccessCompany(principal: Principal, companyId: string): boolean {
  return principal.role === 'administrator' || principal.profile.companyIds.includes(companyId);
}

export interface Credentials {
  id: string;
  role: Role;
  passwordHash: PasswordHash | undefined;
  profile: User;
}

/** Whoever holds an email claim, with what is needed to check their password. */
export async function loadCredentials(accountId: string, claim: EmailClaim): Promise<Credentials | undefined> {
  if (claim.ownerType !== 'user') return undefined;
  const record = await getUserRecord(accountId, claim.ownerId);
  return record ? { id: record.id, role: record.role, passwordHash: record.passwordHash, profile: toUser(record) } : undefined;
}
