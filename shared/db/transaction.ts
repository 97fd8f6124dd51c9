import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db, type TransactItem } from './client.js';
import { tableDefinition } from './table.js';

/**
 * One part of a transaction, with the domain error its failed condition means (given the item as it
 * was, when DynamoDB returned it).
 */
export interface WriteAction {
  item: TransactItem;
  failure: (current?: Record<string, unknown>) => Error;
}

/** DynamoDB's limit on the items of one transaction. */
export const maxTransactionItems = 100;

/** A transaction DynamoDB would refuse is a programming error: it fails here, before anything is sent. */
export class TransactionTooLarge extends Error {
  override name = 'TransactionTooLarge';
  constructor(count: number) {
    super(`A transaction holds at most ${maxTransactionItems} items; this one has ${count}.`);
  }
}

export class DuplicateTransactionItem extends Error {
  override name = 'DuplicateTransactionItem';
  constructor(item: string) {
    super(`A transaction may touch an item only once; ${item} appears twice.`);
  }
}

function itemIdentity(item: TransactItem): string {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = item.Put ? item.Put.Item : (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key;
  return JSON.stringify([op?.TableName, key?.[tableDefinition.partitionKey], key?.[tableDefinition.sortKey]]);
}

/** Checks a transaction against DynamoDB's limits: at most 100 items, no item twice. */
export function checkTransaction(items: TransactItem[]): void {
  if (items.length > maxTransactionItems) throw new TransactionTooLarge(items.length);
  const seen = new Set<string>();
  for (const item of items) {
    const identity = itemIdentity(item);
    if (seen.has(identity)) throw new DuplicateTransactionItem(identity);
    seen.add(identity);
  }
}

const retryableCodes = new Set(['TransactionConflict', 'ThrottlingError']);

/**
 * Writes all parts or none. A failed condition becomes the domain error of the part that failed;
 * conflicts with concurrent transactions are retried with jittered backoff, as DynamoDB advises.
 */
export async function transact(actions: WriteAction[]): Promise<void> {
  const items = actions.map((a) => a.item);
  checkTransaction(items);
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      const codes = reasons.map((r) => r.Code);
      const failed = codes.indexOf('ConditionalCheckFailed');
      if (failed >= 0) {
        const current = reasons[failed]?.Item;
        throw (actions[failed] as WriteAction).failure(current && unmarshall(current));
      }
      if (!codes.some((c) => c !== undefined && retryableCodes.has(c)) || attempt >= 12) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(400, 10 * 2 ** attempt)));
    }
  }
}
