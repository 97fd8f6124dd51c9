import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';

type Key = Record<string, string>;

/** BatchGetItem takes at most 100 keys a call. */
const maxKeysPerCall = 100;

/**
 * The items for a set of keys (missing ones are simply absent), in as few round trips as
 * BatchGetItem allows: chunks of 100 keys, read in parallel. Keys DynamoDB leaves unprocessed
 * (throttling, 16 MB) are asked for again with backoff, so the answer is always complete.
 */
export async function batchGet(keys: Key[], options: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += maxKeysPerCall) chunks.push(keys.slice(i, i + maxKeysPerCall));
  const results = await Promise.all(chunks.map((chunk) => getChunk(chunk, options.consistent ?? false)));
  return results.flat();
}

async function getChunk(keys: Key[], consistent: boolean): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending: Key[] = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(400, 10 * 2 ** attempt)));
    const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }));
    items.push(...(out.Responses?.[tableName] ?? []));
    pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    if (attempt >= 12 && pending.length > 0) throw new Error('BatchGetItem left keys unprocessed after 12 retries');
  }
  return items;
}
