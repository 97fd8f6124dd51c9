import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TransactItem } from './client.js';
import { type Changes, type Condition, ExpressionBuilder, allOf } from './expressions.js';
import { type Page, type PageRequest, queryAllPages, queryPage, type QuerySpec, type SortRange } from './pagination.js';
import { type IndexName, tableDefinition } from './table.js';
import type { WriteAction } from './transaction.js';

/**
 * An entity declared once: its type tag, its key templates and its indexes, named by the access
 * pattern they serve and mapped onto the table's physical GSIs. Everything that reads or writes an
 * entity's items goes through its declaration, so key strings, index names and expressions exist
 * only here and in the declarations.
 */

export interface Key {
  pk: string;
  sk: string;
}

type KeyPart<P> = (params: P) => string;

export interface IndexDeclaration<P = never, S = never> {
  index: IndexName;
  partition: KeyPart<P>;
  sort: KeyPart<S>;
  /** A sparse index: an item is on it only when this holds. */
  when?: (item: never) => boolean;
}

export interface EntityDeclaration<P, S, I extends Record<string, IndexDeclaration<never, never>>> {
  /** The `type` attribute every item of the entity carries. */
  type: string;
  partition: KeyPart<P>;
  sort: KeyPart<S>;
  /**
   * Sort keys of this entity start with it, so a query of the partition reads only this entity's
   * items (`MSG#` in a ticket's partition).
   */
  sortPrefix?: string;
  indexes?: I;
  /** Inputs of the key templates that are not stored on the item (the account id, mostly). */
  keyOnly?: readonly string[];
  /** How a computed key looks, for docs/table-design.md, where the template cannot show it (hashes, alternatives). */
  keyShape?: { partition?: string; sort?: string };
  /**
   * Key-only inputs an item does not store but a reader needs, recovered from its key (a secret's
   * hash that is only in the sort key).
   */
  fromKey?: (key: Key) => Record<string, unknown>;
  /**
   * Mutable entities carry `version`, the one optimistic-concurrency attribute: every update through
   * the layer raises it; a read-modify-write passes the version it read (`ifVersion`).
   */
  versioned?: boolean;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type IndexInputs<I> = [keyof I] extends [never]
  ? unknown
  : UnionToIntersection<{ [K in keyof I]: I[K] extends IndexDeclaration<infer P, infer S> ? P & S : never }[keyof I]>;

/** A typed update: attributes of the entity, or a dotted path into one of its maps. */
export type EntityChanges<T> = Omit<Changes, 'set' | 'remove'> & {
  set?: { [K in keyof T]?: T[K] | undefined } & { [path: `${string}.${string}`]: unknown };
  remove?: (Extract<keyof T, string> | `${string}.${string}`)[];
};

interface WriteOptions<T> {
  condition?: Condition | undefined;
  /**
   * The domain error a failed condition means, in a transaction or alone. It is handed the item as
   * it was (DynamoDB returns it with the failure), so telling why costs no second read.
   */
  onFail?: ((current: T | undefined) => Error) | undefined;
}

interface UpdateOptions<T, I> extends WriteOptions<T> {
  /** The version read before the change; the update happens only if nobody changed the item since. */
  ifVersion?: number | undefined;
  /** Seconds since the epoch after which DynamoDB removes the item (a renewed lease, a window). */
  expiresAt?: number | undefined;
  /** Index keys to move (new inputs) or to take the item off (null, for sparse indexes). */
  indexes?: { [K in keyof I]?: (I[K] extends IndexDeclaration<infer P, infer S> ? P & S : never) | null };
}

interface PutOptions<T> extends WriteOptions<T> {
  /** Put only if no item has this key. */
  ifNew?: boolean;
  /** Replace an item only at this version (0: only if there is none). */
  ifVersion?: number | undefined;
  /** Seconds since the epoch after which DynamoDB removes the item. */
  expiresAt?: number | undefined;
}

export interface QueryOptions<T> {
  range?: SortRange;
  /** Applied after the key condition: it saves the response, not the read. */
  filter?: Condition;
  newestFirst?: boolean;
  consistent?: boolean;
  /** Only items of this entity come back as entities; the others (of shared partitions) are left out. */
  select?: (item: T) => boolean;
}

/**
 * A range over an entity that shares its partition with others (its sort keys all start with its
 * `sortPrefix`) stays among that entity's keys: `gt x` alone would also reach the partition's
 * other items sorting after them. No key holds U+0000 or U+FFFF, so `x + U+0000` is the first key
 * after `x` and `prefix + U+FFFF` lies past every key of the entity.
 */
function withinPrefix(range: SortRange | undefined, prefix: string): SortRange {
  const last = `${prefix}\uffff`;
  if (!range) return { beginsWith: prefix };
  if ('gt' in range) return { between: [`${range.gt}\u0000`, last] };
  if ('ge' in range) return { between: [range.ge, last] };
  if ('le' in range) return { between: [prefix, range.le] };
  if ('lt' in range) throw new Error(`An lt range on an entity with a sort prefix (${prefix}) is not supported: use le.`);
  return range;
}

const physicalIndex = (name: IndexName) => {
  const gsi = tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === name);
  if (!gsi) throw new Error(`No index ${name}`);
  return gsi;
};

const bookkeeping = new Set<string>([
  tableDefinition.partitionKey,
  tableDefinition.sortKey,
  'type',
  ...tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
]);

/** A conditional write's failure, when the caller named no domain error for it. */
export class ConditionFailed extends Error {
  override name = 'ConditionFailed';
  constructor(readonly entityType: string) {
    super(`A ${entityType} write's condition did not hold`);
  }
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionFailed || (err instanceof Error && err.name === 'ConditionalCheckFailedException');
}

/** Whether a conditional write happened: false when its condition did not hold; other errors are thrown. */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** What a conditional write that may be refused answers. */
export type Attempt<T, W> = { written: W } | { blocked: T | undefined };

/** The refusal of an attempted write, carrying the item that blocked it. */
class Blocked extends Error {
  current: Record<string, unknown> | undefined;
  with(current: Record<string, unknown> | undefined): this {
    this.current = current;
    return this;
  }
}

export class Entity<T extends object, P, S, I extends Record<string, IndexDeclaration<never, never>>> {
  constructor(readonly declaration: EntityDeclaration<P, S, I>) {}

  get type(): string {
    return this.declaration.type;
  }

  key(params: P & S): Key {
    return { pk: this.declaration.partition(params), sk: this.declaration.sort(params) };
  }

  /** The item as stored: key, index keys, type tag and attributes. */
  record(item: T & P & S & IndexInputs<I>, expiresAt?: number): Record<string, unknown> {
    const attributes = Object.fromEntries(Object.entries(item).filter(([name]) => !this.declaration.keyOnly?.includes(name)));
    return {
      ...this.key(item),
      ...this.indexKeys(item),
      type: this.declaration.type,
      ...attributes,
      ...(expiresAt !== undefined && { [tableDefinition.timeToLiveAttribute]: expiresAt }),
    };
  }

  private indexKeys(item: object): Record<string, string> {
    const keys: Record<string, string> = {};
    for (const name of Object.keys(this.declaration.indexes ?? {})) {
      const declaration = this.index(name);
      if (declaration.when && !(declaration.when as (i: object) => boolean)(item)) continue;
      const gsi = physicalIndex(declaration.index);
      keys[gsi.partitionKey] = declaration.partition(item);
      keys[gsi.sortKey] = declaration.sort(item);
    }
    return keys;
  }

  /** The stored attributes of an item read from the table, as the entity. */
  parse(record: Record<string, unknown>): T {
    const attributes = Object.fromEntries(Object.entries(record).filter(([name]) => !bookkeeping.has(name)));
    const { fromKey } = this.declaration;
    if (!fromKey) return attributes as T;
    const key = { pk: String(record[tableDefinition.partitionKey]), sk: String(record[tableDefinition.sortKey]) };
    return { ...attributes, ...fromKey(key) } as T;
  }

  /** Whether a record read from a shared partition or index is one of this entity's items. */
  owns(record: Record<string, unknown>): boolean {
    return record.type === this.declaration.type;
  }

  async get(params: P & S, options: { consistent?: boolean } = {}): Promise<T | undefined> {
    const out = await db.send(new GetCommand({ TableName: tableName, Key: this.key(params), ConsistentRead: options.consistent }));
    return out.Item ? this.parse(out.Item) : undefined;
  }

  /** Several items by key in as few round trips as BatchGetItem allows; missing ones are absent. */
  async getMany(params: (P & S)[], options: { consistent?: boolean } = {}): Promise<T[]> {
    if (params.length === 0) return [];
    const records = await batchGetRecords(
      params.map((p) => this.key(p)),
      options.consistent ?? false,
    );
    return records.map((r) => this.parse(r));
  }

  // --- writes -------------------------------------------------------------------------------

  putAction(item: T & P & S & IndexInputs<I>, options: PutOptions<T> = {}): WriteAction {
    const builder = new ExpressionBuilder(tableDefinition.partitionKey);
    const versioned = this.declaration.versioned ? { version: (options.ifVersion ?? 0) + 1 } : {};
    const condition = allOf(options.ifNew ? { itemExists: false } : undefined, this.versionCondition(options.ifVersion), options.condition);
    return this.action(
      {
        Put: {
          TableName: tableName,
          Item: { ...this.record(item, options.expiresAt), ...versioned },
          ...(condition && { ConditionExpression: builder.condition(condition), ...builder.attributes() }),
        },
      },
      options.onFail,
    );
  }

  updateAction(params: P & S, changes: EntityChanges<T>, options: UpdateOptions<T, I> = {}): WriteAction {
    const builder = new ExpressionBuilder(tableDefinition.partitionKey);
    const moved: Record<string, string> = {};
    const removed: string[] = [];
    for (const [name, inputs] of Object.entries(options.indexes ?? {}) as [string, object | null][]) {
      const declaration = this.index(name);
      const gsi = physicalIndex(declaration.index);
      if (inputs === null) removed.push(gsi.partitionKey, gsi.sortKey);
      else Object.assign(moved, { [gsi.partitionKey]: declaration.partition(inputs), [gsi.sortKey]: declaration.sort(inputs) });
    }
    const all: Changes = {
      ...changes,
      set: { ...changes.set, ...moved, ...(options.expiresAt !== undefined && { [tableDefinition.timeToLiveAttribute]: options.expiresAt }) },
      remove: [...(changes.remove ?? []), ...removed],
      add: { ...changes.add, ...(this.declaration.versioned && { version: 1 }) },
    };
    // An update at a version is an update of an existing item, never a creation of one.
    const condition = allOf(options.ifVersion === undefined ? undefined : { itemExists: true }, this.versionCondition(options.ifVersion), options.condition);
    const update = builder.update(all);
    return this.action(
      {
        Update: {
          TableName: tableName,
          Key: this.key(params),
          UpdateExpression: update,
          ...(condition && { ConditionExpression: builder.condition(condition) }),
          ...builder.attributes(),
        },
      },
      options.onFail,
    );
  }

  deleteAction(params: P & S, options: WriteOptions<T> & { ifVersion?: number | undefined } = {}): WriteAction {
    const builder = new ExpressionBuilder(tableDefinition.partitionKey);
    const condition = allOf(this.versionCondition(options.ifVersion), options.condition);
    return this.action(
      {
        Delete: {
          TableName: tableName,
          Key: this.key(params),
          ...(condition && { ConditionExpression: builder.condition(condition), ...builder.attributes() }),
        },
      },
      options.onFail,
    );
  }

  /** A transaction part that writes nothing and only requires `condition` of this item. */
  checkAction(params: P & S, condition: Condition, onFail?: (current: T | undefined) => Error): WriteAction {
    const builder = new ExpressionBuilder(tableDefinition.partitionKey);
    return this.action(
      { ConditionCheck: { TableName: tableName, Key: this.key(params), ConditionExpression: builder.condition(condition), ...builder.attributes() } },
      onFail,
    );
  }

  async put(item: T & P & S & IndexInputs<I>, options: PutOptions<T> = {}): Promise<void> {
    await this.send(this.putAction(item, options));
  }

  /** Updates an item; answers the item as it is after the change. */
  async update(params: P & S, changes: EntityChanges<T>, options: UpdateOptions<T, I> = {}): Promise<T> {
    const out = await this.send(this.updateAction(params, changes, options), 'ALL_NEW');
    return this.parse(out ?? {});
  }

  /** Deletes an item; answers it as it was, or undefined when there was none. */
  async delete(params: P & S, options: WriteOptions<T> & { ifVersion?: number } = {}): Promise<T | undefined> {
    const out = await this.send(this.deleteAction(params, options), 'ALL_OLD');
    return out ? this.parse(out) : undefined;
  }

  /**
   * A conditional put whose failure is an answer, not an error: either it was written, or the item
   * in its way comes back (with the failure, no second read).
   */
  async attemptPut(item: T & P & S & IndexInputs<I>, options: Omit<PutOptions<T>, 'onFail'> = {}): Promise<Attempt<T, true>> {
    return this.attempt(this.putAction(item, options)).then((r) => ('blocked' in r ? r : { written: true }));
  }

  /** A conditional update whose failure is an answer: the item after the change, or the one that blocked it. */
  async attemptUpdate(params: P & S, changes: EntityChanges<T>, options: Omit<UpdateOptions<T, I>, 'onFail'> = {}): Promise<Attempt<T, T>> {
    return this.attempt(this.updateAction(params, changes, options), 'ALL_NEW').then((r) => ('blocked' in r ? r : { written: this.parse(r.written ?? {}) }));
  }

  private async attempt(action: WriteAction, returnValues?: 'ALL_NEW'): Promise<Attempt<T, Record<string, unknown> | undefined>> {
    const blocked = new Blocked();
    try {
      return { written: await this.send({ ...action, failure: (current) => blocked.with(current) }, returnValues) };
    } catch (err) {
      if (err !== blocked) throw err;
      return { blocked: blocked.current && this.parse(blocked.current) };
    }
  }

  // --- queries ------------------------------------------------------------------------------

  /** One page of this entity's items in a partition, in sort-key order. */
  queryPage(params: P, page: PageRequest, options: QueryOptions<T> = {}): Promise<Page<T>> {
    return queryPage(this.primarySpec(params, options), page, (r) => this.parse(r));
  }

  /** Every item of this entity in a partition: for bounded sets (a user's seats, a company's members). */
  async queryAll(params: P, options: QueryOptions<T> = {}): Promise<T[]> {
    return this.fromRecords(await queryAllPages(this.primarySpec(params, options)), options);
  }

  /** One page of an index, by its access-pattern name. */
  async queryIndexPage<K extends keyof I & string>(
    name: K,
    params: I[K] extends IndexDeclaration<infer P2, never> ? P2 : never,
    page: PageRequest,
    options: QueryOptions<T> = {},
  ): Promise<Page<T>> {
    return queryPage(this.indexSpec(name, params, options), page, (r) => this.parse(r));
  }

  async queryIndexAll<K extends keyof I & string>(
    name: K,
    params: I[K] extends IndexDeclaration<infer P2, never> ? P2 : never,
    options: QueryOptions<T> = {},
  ): Promise<T[]> {
    return this.fromRecords(await queryAllPages(this.indexSpec(name, params, options)), options);
  }

  /** The sort key an index gives an item (to start a range at it). */
  indexSort<K extends keyof I & string>(name: K, inputs: I[K] extends IndexDeclaration<never, infer S2> ? S2 : never): string {
    return this.index(name).sort(inputs);
  }

  /** The sort key of an item (to start a range at it). */
  sortKey(params: S): string {
    return this.declaration.sort(params);
  }

  private fromRecords(records: Record<string, unknown>[], options: QueryOptions<T>): T[] {
    const items = records.filter((r) => this.owns(r)).map((r) => this.parse(r));
    return options.select ? items.filter(options.select) : items;
  }

  private primarySpec(params: P, options: QueryOptions<T>): QuerySpec {
    const prefix = this.declaration.sortPrefix;
    return {
      partition: { name: tableDefinition.partitionKey, value: this.declaration.partition(params) },
      sortName: tableDefinition.sortKey,
      range: prefix ? withinPrefix(options.range, prefix) : options.range,
      filter: options.filter,
      newestFirst: options.newestFirst,
      consistent: options.consistent,
    };
  }

  private indexSpec(name: string, params: unknown, options: QueryOptions<T>): QuerySpec {
    const declaration = this.index(name);
    const gsi = physicalIndex(declaration.index);
    return {
      index: gsi.indexName,
      partition: { name: gsi.partitionKey, value: declaration.partition(params) },
      sortName: gsi.sortKey,
      range: options.range,
      filter: options.filter,
      newestFirst: options.newestFirst,
    };
  }

  private index(name: string): IndexDeclaration<unknown, unknown> {
    const declaration = (this.declaration.indexes as Record<string, IndexDeclaration<unknown, unknown>> | undefined)?.[name];
    if (!declaration) throw new Error(`${this.type} has no index ${name}`);
    return declaration;
  }

  private versionCondition(version: number | undefined): Condition | undefined {
    if (version === undefined) return undefined;
    if (!this.declaration.versioned) throw new Error(`${this.type} is not versioned`);
    // Items written before versions existed count as version 0.
    return version === 0 ? { path: 'version', exists: false } : { path: 'version', eq: version };
  }

  private action(item: TransactItem, onFail: ((current: T | undefined) => Error) | undefined): WriteAction {
    const type = this.type;
    if (onFail) {
      // Inside a transaction too, the failed item comes back with the cancellation.
      for (const op of [item.Put, item.Update, item.Delete, item.ConditionCheck]) if (op) op.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    }
    return { item, failure: onFail ? (current) => onFail(current && this.parse(current)) : () => new ConditionFailed(type) };
  }

  private async send(action: WriteAction, returnValues?: 'ALL_NEW' | 'ALL_OLD'): Promise<Record<string, unknown> | undefined> {
    const onFailure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;
    try {
      const { Put, Update, Delete } = action.item;
      if (Put) {
        await db.send(new PutCommand({ ...Put, ...onFailure }));
        return undefined;
      }
      if (Update) return (await db.send(new UpdateCommand({ ...Update, ReturnValues: returnValues, ...onFailure }))).Attributes;
      if (Delete) return (await db.send(new DeleteCommand({ ...Delete, ReturnValues: returnValues, ...onFailure }))).Attributes;
      throw new Error('A condition check is only part of a transaction');
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw action.failure(err.Item && unmarshall(err.Item));
      throw err;
    }
  }
}

/**
 * Declares an entity: `defineEntity<Ticket>()({ ... })`. The item type is given explicitly; key
 * and index inputs are read from the templates.
 */
export function defineEntity<T extends object>() {
  return <P, S, I extends Record<string, IndexDeclaration<never, never>> = Record<never, never>>(declaration: EntityDeclaration<P, S, I>): Entity<T, P, S, I> =>
    new Entity<T, P, S, I>(declaration);
}

/** BatchGetItem takes at most 100 keys a call. */
const maxKeysPerCall = 100;

/**
 * The items for a set of keys, in chunks of 100 read in parallel. Keys DynamoDB leaves unprocessed
 * (throttling, 16 MB) are asked for again with backoff, so the answer is always complete.
 */
export async function batchGetRecords(keys: Key[], consistent: boolean): Promise<Record<string, unknown>[]> {
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += maxKeysPerCall) chunks.push(keys.slice(i, i + maxKeysPerCall));
  const results = await Promise.all(chunks.map((chunk) => getChunk(chunk, consistent)));
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
