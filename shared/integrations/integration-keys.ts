import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import { db, tableName } from '../db/client.js';
import { queryAll, queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { NotFound } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { commitChanges, type Actor } from '../audit/audit.js';

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

const integrationKeyKeys = {
  item: (accountId: string, secretHash: string) => ({ pk: accountPartition(accountId), sk: entityKey('INTKEY', secretHash) }),
  prefix: () => entityPrefix('INTKEY'),
};

export const isIntegrationKey = (token: string) => token.startsWith(keyPrefix);

export async function createIntegrationKey(actor: Actor, name: string): Promise<IntegrationKey & { key: string }> {
  const secret = newSecret();
  const key: IntegrationKey = { id: newId('key'), name, createdAt: new Date().toISOString() };
  await commitChanges(
    actor,
    [{ Put: { TableName: tableName, Item: { ...integrationKeyKeys.item(actor.accountId, hashOf(secret)), type: 'integration_key', ...key } } }],
    [{ resourceType: 'integration_key', resourceId: key.id, action: 'create', fields: { name: { from: null, to: name } } }],
  );
  return { ...key, key: `${keyPrefix}${actor.accountId}.${secret}` };
}

export function listIntegrationKeys(accountId: string, page: PageRequest): Promise<Page<IntegrationKey>> {
  return queryPage(
    {
      partition: { name: 'pk', value: accountPartition(accountId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': integrationKeyKeys.prefix() } },
    },
    page,
    (i) => ({ id: i.id as string, name: i.name as string, createdAt: i.createdAt as string }),
  );
}

export async function revokeIntegrationKey(actor: Actor, keyId: string): Promise<void> {
  const keys = await queryAll({
    partition: { name: 'pk', value: accountPartition(actor.accountId) },
    range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': integrationKeyKeys.prefix() } },
  });
  const found = keys.find((k) => k.id === keyId);
  if (!found) throw new NotFound('The integration key');
  await commitChanges(
    actor,
    [{ Delete: { TableName: tableName, Key: { pk: found.pk as string, sk: found.sk as string } } }],
    [{ resourceType: 'integration_key', resourceId: keyId, action: 'delete', fields: { name: { from: found.name, to: null } } }],
  );
}

/** The key a bearer token names, if it exists and has not been revoked. */
export async function resolveIntegrationKey(token: string): Promise<{ accountId: string; key: IntegrationKey } | undefined> {
  const [, accountId, secret] = token.split('.');
  if (!accountId || !secret) return undefined;
  const out = await db.send(new GetCommand({ TableName: tableName, Key: integrationKeyKeys.item(accountId, hashOf(secret)) }));
  if (!out.Item) return undefined;
  return { accountId, key: { id: out.Item.id as string, name: out.Item.name as string, createdAt: out.Item.createdAt as string } };
}
