import { getUserRecord, toUser, type User } from '../users/users.js';
import { getEndUserRecord, toEndUser, type EndUser } from '../end-users/end-users.js';
import type { EmailClaim } from '../users/emails.js';
import { resolveIntegrationKey, type IntegrationKey } from '../integrations/integration-keys.js';
import type { PasswordHash } from './passwords.js';
import type { TokenClaims } from './tokens.js';

/** The authenticated caller, loaded fresh on every request (one GetItem), so changes take effect at once. */
export type Principal = StaffPrincipal | EndUserPrincipal | IntegrationPrincipal;

export interface StaffPrincipal {
  accountId: string;
  id: string;
  role: 'administrator' | 'technician';
  /** The profile `GET /v1/me` returns. */
  profile: User;
  /** The user item's version as loaded: `PATCH /v1/me` applies only if nothing changed it since. */
  version: number;
}

export interface EndUserPrincipal {
  accountId: string;
  id: string;
  role: 'end_user';
  profile: EndUser;
}

/** A monitoring integration, by its key: it may raise alerts for any company of its account. */
export interface IntegrationPrincipal {
  accountId: string;
  id: string;
  role: 'integration';
  profile: IntegrationKey;
}

export async function loadIntegrationPrincipal(token: string): Promise<IntegrationPrincipal | undefined> {
  const resolved = await resolveIntegrationKey(token);
  return resolved && { accountId: resolved.accountId, id: resolved.key.id, role: 'integration', profile: resolved.key };
}

export async function loadPrincipal(claims: TokenClaims): Promise<Principal | undefined> {
  if (claims.role === 'end_user') {
    const record = await getEndUserRecord(claims.accountId, claims.subjectId);
    if (!record || record.signInDisabled || (record.credentialsVersion ?? 0) !== claims.credentialsVersion) return undefined;
    return { accountId: claims.accountId, id: record.id, role: 'end_user', profile: toEndUser(record) };
  }
  const record = await getUserRecord(claims.accountId, claims.subjectId);
  if (!record || (record.credentialsVersion ?? 0) !== claims.credentialsVersion) return undefined;
  return { accountId: claims.accountId, id: record.id, role: record.role, profile: toUser(record), version: record.version ?? 0 };
}

export interface Credentials {
  id: string;
  credentialsVersion: number;
  role: StaffPrincipal['role'] | EndUserPrincipal['role'];
  passwordHash: PasswordHash | undefined;
  profile: User | EndUser;
}

/** Whoever holds an email claim, with what is needed to check their password. */
export async function loadCredentials(accountId: string, claim: EmailClaim): Promise<Credentials | undefined> {
  if (claim.ownerType === 'end_user') {
    const record = await getEndUserRecord(accountId, claim.ownerId);
    // Deactivated by directory sync: answered as an unknown address.
    return record && !record.signInDisabled
      ? { id: record.id, credentialsVersion: record.credentialsVersion ?? 0, role: 'end_user', passwordHash: record.passwordHash, profile: toEndUser(record) }
      : undefined;
  }
  const record = await getUserRecord(accountId, claim.ownerId);
  return record
    ? { id: record.id, credentialsVersion: record.credentialsVersion ?? 0, role: record.role, passwordHash: record.passwordHash, profile: toUser(record) }
    : undefined;
}
