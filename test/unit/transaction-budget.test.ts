import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkTransaction,
  db,
  DuplicateTransactionItem,
  maxTransactionItems,
  tableName,
  TransactionTooLarge,
  transactWrite,
  type TransactItem,
} from '../../shared/db/client.js';
import { commitChanges, writeGuarded, type Actor } from '../../shared/audit/audit.js';

const put = (i: number): TransactItem => ({ Put: { TableName: tableName, Item: { pk: 'A#acc', sk: `ITEM#${i}`, type: 'test' } } });
const puts = (count: number) => Array.from({ length: count }, (_, i) => put(i));
const actor: Actor = { accountId: 'acc', actorId: null, requestId: 'req', sourceIp: '127.0.0.1' };

afterEach(() => vi.restoreAllMocks());

describe('A transaction stays within DynamoDB’s item limit', () => {
  it('allows as many items as DynamoDB does', () => {
    expect(maxTransactionItems).toBe(100);
    expect(() => checkTransaction(puts(100))).not.toThrow();
  });

  it('refuses one item more before anything is sent, naming the count', async () => {
    const send = vi.spyOn(db, 'send');
    await expect(transactWrite(puts(101), () => new Error('unused'))).rejects.toThrow(TransactionTooLarge);
    await expect(writeGuarded(puts(101))).rejects.toThrow('this one has 101');
    expect(send).not.toHaveBeenCalled();
  });

  it('counts the audit records a change adds to its own transaction', async () => {
    const send = vi.spyOn(db, 'send');
    await expect(commitChanges(actor, puts(100), [{ resourceType: 'test', resourceId: 'x', action: 'create' }])).rejects.toThrow(TransactionTooLarge);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('A transaction touches each item once', () => {
  it('refuses two writes to the same item before anything is sent', async () => {
    const send = vi.spyOn(db, 'send');
    const twice: TransactItem[] = [
      put(1),
      { Update: { TableName: tableName, Key: { pk: 'A#acc', sk: 'ITEM#1' }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': 1 } } },
    ];
    await expect(writeGuarded(twice)).rejects.toThrow(DuplicateTransactionItem);
    expect(send).not.toHaveBeenCalled();
  });

  it('counts a condition check on an item as touching it', () => {
    const twice: TransactItem[] = [
      { ConditionCheck: { TableName: tableName, Key: { pk: 'A#acc', sk: 'ACCOUNT' }, ConditionExpression: 'attribute_exists(pk)' } },
      { Delete: { TableName: tableName, Key: { sk: 'ACCOUNT', pk: 'A#acc' } } },
    ];
    expect(() => checkTransaction(twice)).toThrow(/appears twice/);
  });

  it('allows items that share a partition or a sort key', () => {
    const items: TransactItem[] = [
      put(1),
      { Delete: { TableName: tableName, Key: { pk: 'A#acc', sk: 'ITEM#2' } } },
      { Delete: { TableName: tableName, Key: { pk: 'A#other', sk: 'ITEM#1' } } },
      { Delete: { TableName: 'another-table', Key: { pk: 'A#acc', sk: 'ITEM#1' } } },
    ];
    expect(() => checkTransaction(items)).not.toThrow();
  });
});
