import { createHash } from 'node:crypto';
import type { Page, PageRequest } from '../db/pagination.js';
import { NotFound } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { companyEntity } from '../companies/entities.js';
import { scimTokenEntity, type ScimToken } from './entities.js';

export type { ScimToken } from './entities.js';

/**
 * Tokens a directory (Entra ID, Okta) provisions one company with (`Authorization: Bearer
 * dst.<accountId>.<secret>`). Only the secret's hash is stored, as the token's sort key, so a SCIM
 * request finds its token, and so its company, in one read; the token is shown once, when created.
 */
const tokenPrefix = 'dst.';
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export async function createScimToken(actor: Actor, input: { companyId: string; description: string }): Promise<ScimToken & { token: string }> {
  const secret = newSecret();
  const token: ScimToken = { id: newId('scim'), companyId: input.companyId, description: input.description, createdAt: new Date().toISOString() };
  await commitChanges(
    actor,
    [
      scimTokenEntity.putAction({ accountId: actor.accountId, secretHash: hashOf(secret), ...token }),
      companyEntity.checkAction({ accountId: actor.accountId, id: input.companyId }, { itemExists: true }, () => new NotFound('The company')),
    ],
    [{ resourceType: 'scim_token', resourceId: token.id, action: 'create', fields: { companyId: { from: null, to: input.companyId } } }],
  );
  return { ...token, token: `${tokenPrefix}${actor.accountId}.${secret}` };
}

const toScimToken = ({ id, companyId, description, createdAt }: ScimToken): ScimToken => ({ id, companyId, description, createdAt });

export async function listScimTokens(accountId: string, page: PageRequest): Promise<Page<ScimToken>> {
  const found = await scimTokenEntity.queryPage({ accountId }, page);
  return { items: found.items.map(toScimToken), nextCursor: found.nextCursor };
}

export async function revokeScimToken(actor: Actor, tokenId: string): Promise<void> {
  const tokens = await scimTokenEntity.queryAll({ accountId: actor.accountId }, { consistent: true });
  const found = tokens.find((t) => t.id === tokenId);
  if (!found) throw new NotFound('The SCIM token');
  await commitChanges(
    actor,
    [
      scimTokenEntity.deleteAction(
        { accountId: actor.accountId, secretHash: found.secretHash },
        { condition: { itemExists: true }, onFail: () => new NotFound('The SCIM token') },
      ),
    ],
    [{ resourceType: 'scim_token', resourceId: tokenId, action: 'delete', fields: { companyId: { from: found.companyId, to: null } } }],
  );
}

/** The live token a bearer names, with its account; undefined for a malformed, unknown or revoked one. */
export async function resolveScimToken(bearer: string): Promise<{ accountId: string; token: ScimToken } | undefined> {
  if (!bearer.startsWith(tokenPrefix)) return undefined;
  const [, accountId, secret] = bearer.split('.');
  if (!accountId || !secret) return undefined;
  // Consistent: a revocation takes effect at once.
  const found = await scimTokenEntity.get({ accountId, secretHash: hashOf(secret) }, { consistent: true });
  return found && { accountId, token: toScimToken(found) };
}
