import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '../errors.js';
import { db, tableName } from './client.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

type Key = Record<string, string | number>;

function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/** A cursor only resumes the query it came from: one naming another partition is refused. */
function decodeCursor(cursor: string, partitionAttribute: string, partitionValue: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      (key as Key)[partitionAttribute] === partitionValue &&
      Object.values(key).every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return key as Key;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed('The cursor is not valid.', [{ path: 'cursor', message: 'Invalid cursor' }]);
}

export interface QuerySpec {
  index?: string;
  partition: { name: string; value: string };
  /** e.g. `begins_with(#sk, :prefix)` with its names and values. */
  range?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  filter?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
  newestFirst?: boolean;
}

/** One Query round trip for one page of a key or index range. */
export async function queryPage<T>(spec: QuerySpec, page: PageRequest, map: (item: Record<string, unknown>) => T): Promise<Page<T>> {
  const input: QueryCommandInput = {
    TableName: tableName,
    IndexName: spec.index,
    KeyConditionExpression: `#pk = :pk${spec.range ? ` AND ${spec.range.expression}` : ''}`,
    ExpressionAttributeNames: { '#pk': spec.partition.name, ...spec.range?.names, ...spec.filter?.names },
    ExpressionAttributeValues: { ':pk': spec.partition.value, ...spec.range?.values, ...spec.filter?.values },
    FilterExpression: spec.filter?.expression,
    ScanIndexForward: !spec.newestFirst,
    Limit: page.limit,
    ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, spec.partition.name, spec.partition.value) : undefined,
  };
  const out = await db.send(new QueryCommand(input));
  return { items: (out.Items ?? []).map(map), nextCursor: encodeCursor(out.LastEvaluatedKey as Key | undefined) };
}

/** Every item of a key range, page by page: for bounded sets (a user's seats, a contact's rules). */
export async function queryAll(spec: QuerySpec): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(spec, { limit: 1000, cursor }, (i) => i);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
