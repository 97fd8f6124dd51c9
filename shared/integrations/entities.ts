import { defineEntity } from '../db/entity.js';
import { accountPartition, entityKey, entityPrefix } from '../db/keys.js';
import type { IntegrationKey } from './integration-keys.js';

/** The secret's hash, as read back from the item's sort key: it is stored nowhere else. */
interface IntegrationKeyRecord extends IntegrationKey {
  secretHash: string;
}

const prefix = entityPrefix('INTKEY');

/**
 * A monitoring integration's key, in the account partition (`INTKEY#<hash of its secret>`): a
 * request finds its key in one read. The hash is stored nowhere else, so reads take it back from
 * the sort key (a revocation, which finds the key by id, needs it to name the item).
 */
export const integrationKeyEntity = defineEntity<IntegrationKeyRecord>()({
  type: 'integration_key',
  partition: (k: { accountId: string }) => accountPartition(k.accountId),
  sort: (k: { secretHash: string }) => entityKey('INTKEY', k.secretHash),
  sortPrefix: prefix,
  keyOnly: ['accountId', 'secretHash'],
  fromKey: (key) => ({ secretHash: key.sk.slice(prefix.length) }),
});
