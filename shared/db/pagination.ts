import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '../errors.js';
import { db, tableName } from './client.js';
import { type Condition, ExpressionBuilder } from './expressions.js';
import { tableDefinition } from './table.js';

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

const invalidCursor = () => new ValidationFailed('The cursor is not valid.', [{ path: 'cursor', message: 'Invalid cursor' }]);

/**
 * The attributes a query's LastEvaluatedKey has, with DynamoDB's size limit for each: the table's
 * key, plus the index's key for an index query. Every key attribute of the table is a string.
 */
function keyShape(index: string | undefined): Map<string, number> {
  const shape = new Map<string, number>([
    [tableDefinition.partitionKey, 2048],
    [tableDefinition.sortKey, 1024],
  ]);
  const gsi = tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === index);
  if (gsi) shape.set(gsi.partitionKey, 2048).set(gsi.sortKey, 1024);
  return shape;
}

/**
 * A cursor only resumes the query it came from: it must decode to exactly that query's key shape
 * (no missing, extra or non-string attributes) in the same partition. Anything else is the
 * caller's 400, never a DynamoDB error.
 */
function decodeCursor(cursor: string, spec: QuerySpec): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalidCursor();
  const shape = keyShape(spec.index);
  const entries = Object.entries(key);
  const fits =
    entries.length === shape.size &&
    entries.every(([name, value]) => {
      const limit = shape.get(name);
      return limit !== undefined && typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= limit;
    }) &&
    (key as Key)[spec.partition.name] === spec.partition.value;
  if (!fits) throw invalidCursor();
  return key as Key;
}

const isValidationException = (err: unknown) => err instanceof Error && err.name === 'ValidationException';

/** A range of sort-key values: full sort keys (an entity's `sortKey`/`indexSort` builds them). */
export type SortRange = { beginsWith: string } | { between: [string, string] } | { gt: string } | { ge: string } | { lt: string } | { le: string };

export interface QuerySpec {
  index?: string;
  partition: { name: string; value: string };
  sortName: string;
  range?: SortRange | undefined;
  filter?: Condition | undefined;
  newestFirst?: boolean | undefined;
  /** A strongly consistent read (base table only): sees every write acknowledged before it. */
  consistent?: boolean | undefined;
}

const rangeOperators = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function keyCondition(spec: QuerySpec, builder: ExpressionBuilder): string {
  const partition = `${builder.name(spec.partition.name)} = ${builder.value(spec.partition.value)}`;
  const range = spec.range;
  if (!range) return partition;
  const sort = builder.name(spec.sortName);
  if ('beginsWith' in range) return `${partition} AND begins_with(${sort}, ${builder.value(range.beginsWith)})`;
  if ('between' in range) return `${partition} AND ${sort} BETWEEN ${builder.value(range.between[0])} AND ${builder.value(range.between[1])}`;
  const [op, value] = Object.entries(range)[0] as [keyof typeof rangeOperators, string];
  return `${partition} AND ${sort} ${rangeOperators[op]} ${builder.value(value)}`;
}

/** One Query round trip for one page of a key or index range. */
export async function queryPage<T>(spec: QuerySpec, page: PageRequest, map: (item: Record<string, unknown>) => T): Promise<Page<T>> {
  const builder = new ExpressionBuilder(tableDefinition.partitionKey);
  const input: QueryCommandInput = {
    TableName: tableName,
    IndexName: spec.index,
    KeyConditionExpression: keyCondition(spec, builder),
    FilterExpression: spec.filter ? builder.condition(spec.filter) : undefined,
    ...builder.attributes(),
    ScanIndexForward: !spec.newestFirst,
    ConsistentRead: spec.consistent,
    Limit: page.limit,
    ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, spec) : undefined,
  };
  let out: QueryCommandOutput;
  try {
    out = await db.send(new QueryCommand(input));
  } catch (err) {
    // A well-shaped key the query still refuses (e.g. outside its sort-key range) is a bad cursor too.
    if (page.cursor && isValidationException(err)) throw invalidCursor();
    throw err;
  }
  return { items: (out.Items ?? []).map(map), nextCursor: encodeCursor(out.LastEvaluatedKey as Key | undefined) };
}

/** Every item of a key range, page by page: for bounded sets (a user's seats, a contact's rules). */
export async function queryAllPages(spec: QuerySpec): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(spec, { limit: 1000, cursor }, (i) => i);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
