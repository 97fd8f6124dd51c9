import { createHash } from 'node:crypto';
import type { Page, PageRequest } from '../db/pagination.js';
import { NotFound } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { commitChanges, type Actor } from '../audit/audit.js';
import { integrationKeyEntity } from './entities.js';

/**
 * Keys a monitoring integration raises alerts with (`Authorization: Bearer dak.<accountId>.<secret>`).
 * Only the secret's hash is stored, as the key's sort key, so a request finds its key in one read;
 * the key itself is shown once, when created.
 */
export interface IntegrationKey {
  id: string;
  name: string;
  createdAt: string;
}

const keyPrefix = 'dak.';
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export const isIntegrationKey = (token: string) => token.startsWith(keyPrefix);

export async function createIntegrationKey(actor: Actor, name: string): Promise<IntegrationKey & { key: string }> {
  const secret = newSecret();
  const key: IntegrationKey = { id: newId('key'), name, createdAt: new Date().toISOString() };
  await commitChanges(
    actor,
    [integrationKeyEntity.putAction({ accountId: actor.accountId, secretHash: hashOf(secret), ...key })],
    [{ resourceType: 'integration_key', resourceId: key.id, action: 'create', fields: { name: { from: null, to: name } } }],
  );
  return { ...key, key: `${keyPrefix}${actor.accountId}.${secret}` };
}

const toIntegrationKey = ({ id, name, createdAt }: IntegrationKey): IntegrationKey => ({ id, name, createdAt });

export async function listIntegrationKeys(accountId: string, page: PageRequest): Promise<Page<IntegrationKey>> {
  const found = await integrationKeyEntity.queryPage({ accountId }, page);
  return { items: found.items.map(toIntegrationKey), nextCursor: found.nextCursor };
}

export async function revokeIntegrationKey(actor: Actor, keyId: string): Promise<void> {
  const keys = await integrationKeyEntity.queryAll({ accountId: actor.accountId });
  const found = keys.find((k) => k.id === keyId);
  if (!found) throw new NotFound('The integration key');
  await commitChanges(
    actor,
    [integrationKeyEntity.deleteAction({ accountId: actor.accountId, secretHash: found.secretHash })],
    [{ resourceType: 'integration_key', resourceId: keyId, action: 'delete', fields: { name: { from: found.name, to: null } } }],
  );
}

/** The key a bearer token names, if it exists and has not been revoked. */
export async function resolveIntegrationKey(token: string): Promise<{ accountId: string; key: IntegrationKey } | undefined> {
  const [, accountId, secret] = token.split('.');
  if (!accountId || !secret) return undefined;
  const found = await integrationKeyEntity.get({ accountId, secretHash: hashOf(secret) });
  return found && { accountId, key: toIntegrationKey(found) };
}
