import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commitChanges, type Actor } from '../../shared/audit/audit.js';
import { db } from '../../shared/db/client.js';
import { defineEntity } from '../../shared/db/entity.js';
import { attribute, ExpressionBuilder } from '../../shared/db/expressions.js';
import { DuplicateTransactionItem, maxTransactionItems, TransactionTooLarge, transact } from '../../shared/db/transaction.js';

interface Widget {
  id: string;
  name: string;
  ownerId?: string;
  version?: number;
}

const widgets = defineEntity<Widget>()({
  type: 'widget',
  partition: (w: { accountId: string }) => `TEST#${w.accountId}`,
  sort: (w: { id: string }) => `WIDGET#${w.id}`,
  keyOnly: ['accountId'],
  versioned: true,
  indexes: {
    byName: {
      index: 'gsi1',
      partition: (w: { accountId: string }) => `TEST#${w.accountId}#NAMES`,
      sort: (w: { name: string; id: string }) => `${w.name.toLowerCase()}#${w.id}`,
    },
    byOwner: {
      index: 'gsi2',
      partition: (w: { ownerId?: string }) => `OWNER#${w.ownerId}`,
      sort: (w: { id: string }) => w.id,
      when: (w: { ownerId?: string }) => w.ownerId !== undefined,
    },
  },
});

const widgetPuts = (count: number) => Array.from({ length: count }, (_, i) => widgets.putAction({ accountId: 'acc', id: `w${i}`, name: `W${i}` }));
const actor: Actor = { accountId: 'acc', actorId: null, requestId: 'req', sourceIp: '127.0.0.1' };
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

afterEach(() => vi.restoreAllMocks());

describe('An entity declaration builds its items', () => {
  it('writes the key, the index keys, the type tag and the attributes, without key-only inputs', () => {
    const put = widgets.putAction({ accountId: 'acc', id: 'w1', name: 'Lamp', ownerId: 'u1' }).item.Put;
    expect(put?.Item).toEqual({
      pk: 'TEST#acc',
      sk: 'WIDGET#w1',
      gsi1pk: 'TEST#acc#NAMES',
      gsi1sk: 'lamp#w1',
      gsi2pk: 'OWNER#u1',
      gsi2sk: 'w1',
      type: 'widget',
      id: 'w1',
      name: 'Lamp',
      ownerId: 'u1',
      version: 1,
    });
  });

  it('leaves an item off a sparse index when it does not qualify', () => {
    const item = widgets.putAction({ accountId: 'acc', id: 'w1', name: 'Lamp' }).item.Put?.Item;
    expect(item).not.toHaveProperty('gsi2pk');
  });

  it('gives back only the entity’s own attributes when it reads an item', () => {
    expect(widgets.parse({ pk: 'TEST#acc', sk: 'WIDGET#w1', gsi1pk: 'x', gsi1sk: 'y', type: 'widget', id: 'w1', name: 'Lamp', version: 3 })).toEqual({
      id: 'w1',
      name: 'Lamp',
      version: 3,
    });
  });

  it('raises the version on every update and checks the version read before it', () => {
    const update = widgets.updateAction(
      { accountId: 'acc', id: 'w1' },
      { set: { name: 'Desk lamp' } },
      { ifVersion: 4, indexes: { byName: { accountId: 'acc', name: 'Desk lamp', id: 'w1' } } },
    ).item.Update;
    expect(update?.UpdateExpression).toBe('SET #n0 = :v0, #n1 = :v1, #n2 = :v2 ADD #n3 :v3');
    expect(update?.ExpressionAttributeNames).toEqual({ '#n0': 'name', '#n1': 'gsi1pk', '#n2': 'gsi1sk', '#n3': 'version', '#n4': 'pk' });
    expect(update?.ConditionExpression).toBe('(attribute_exists(#n4) AND #n3 = :v4)');
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':v0': 'Desk lamp', ':v2': 'desk lamp#w1', ':v3': 1, ':v4': 4 });
  });

  it('treats an item written before versions existed as version 0, and never creates one', () => {
    const update = widgets.updateAction({ accountId: 'acc', id: 'w1' }, { set: { name: 'x' } }, { ifVersion: 0 }).item.Update;
    expect(update?.ConditionExpression).toBe('(attribute_exists(#n2) AND attribute_not_exists(#n1))');
  });
});

describe('Conditions and updates are written as data', () => {
  it('compares two attributes of one item, inside maps', () => {
    const builder = new ExpressionBuilder('pk');
    expect(builder.condition({ path: 'seatsUsed.remote', lt: attribute('seatLimits.remote') })).toBe('#n0.#n1 < #n2.#n1');
    expect(builder.names).toEqual({ '#n0': 'seatsUsed', '#n1': 'remote', '#n2': 'seatLimits' });
  });

  it('combines conditions and reserved words safely', () => {
    const builder = new ExpressionBuilder('pk');
    const expression = builder.condition({ or: [{ itemExists: false }, { and: [{ path: 'status', eq: 'open' }, { not: { path: 'ttl', exists: true } }] }] });
    expect(expression).toBe('(attribute_not_exists(#n0) OR (#n1 = :v0 AND (NOT attribute_exists(#n2))))');
    expect(builder.names).toEqual({ '#n0': 'pk', '#n1': 'status', '#n2': 'ttl' });
  });

  it('turns an undefined value into a removal, and counts from a missing number or list', () => {
    const builder = new ExpressionBuilder('pk');
    expect(
      builder.update({ set: { a: 1, b: undefined }, increment: { 'm.x': -1 }, append: { log: ['e'] }, add: { n: 1 }, delete: { s: new Set(['x']) } }),
    ).toBe('SET #n0 = :v0, #n2.#n3 = #n2.#n3 + :v1, #n4 = list_append(if_not_exists(#n4, :v2), :v3) REMOVE #n1 ADD #n5 :v4 DELETE #n6 :v5');
  });

  it('refuses an update that changes nothing', () => {
    expect(() => new ExpressionBuilder('pk').update({})).toThrow('changes nothing');
  });
});

describe('A transaction stays within DynamoDB’s item limit', () => {
  it('allows as many items as DynamoDB does', async () => {
    const send = vi.spyOn(db, 'send').mockResolvedValue({} as never);
    expect(maxTransactionItems).toBe(100);
    await transact(widgetPuts(100));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('refuses one item more before anything is sent, naming the count', async () => {
    const send = vi.spyOn(db, 'send');
    await expect(transact(widgetPuts(101))).rejects.toThrow(TransactionTooLarge);
    await expect(transact(widgetPuts(101))).rejects.toThrow('this one has 101');
    expect(send).not.toHaveBeenCalled();
  });

  it('counts the audit records a change adds to its own transaction', async () => {
    const send = vi.spyOn(db, 'send');
    await expect(commitChanges(actor, widgetPuts(100), [{ resourceType: 'test', resourceId: 'x', action: 'create' }])).rejects.toThrow(TransactionTooLarge);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('A transaction touches each item once', () => {
  it('refuses two writes to the same item before anything is sent', async () => {
    const send = vi.spyOn(db, 'send');
    const twice = [widgets.putAction({ accountId: 'acc', id: 'w1', name: 'A' }), widgets.updateAction({ accountId: 'acc', id: 'w1' }, { set: { name: 'B' } })];
    await expect(transact(twice)).rejects.toThrow(DuplicateTransactionItem);
    expect(send).not.toHaveBeenCalled();
  });

  it('counts a condition check on an item as touching it', async () => {
    const twice = [widgets.checkAction({ accountId: 'acc', id: 'w1' }, { itemExists: true }), widgets.deleteAction({ accountId: 'acc', id: 'w1' })];
    await expect(transact(twice)).rejects.toThrow(/appears twice/);
  });

  it('allows items that share a partition', async () => {
    vi.spyOn(db, 'send').mockResolvedValue({} as never);
    await expect(
      transact([widgets.deleteAction({ accountId: 'acc', id: 'w1' }), widgets.deleteAction({ accountId: 'acc', id: 'w2' })]),
    ).resolves.toBeUndefined();
  });
});

describe('A failed transaction says what failed', () => {
  it('raises the domain error of the part whose condition failed', async () => {
    vi.spyOn(db, 'send').mockRejectedValue(cancelled(['None', 'ConditionalCheckFailed']) as never);
    const parts = [
      widgets.putAction({ accountId: 'acc', id: 'w1', name: 'A' }, { ifNew: true, onFail: () => new Error('first') }),
      widgets.putAction({ accountId: 'acc', id: 'w2', name: 'B' }, { ifNew: true, onFail: () => new Error('second') }),
    ];
    await expect(transact(parts)).rejects.toThrow('second');
  });

  it('retries a conflict with another transaction, then succeeds', async () => {
    const send = vi
      .spyOn(db, 'send')
      .mockRejectedValueOnce(cancelled(['TransactionConflict']) as never)
      .mockResolvedValueOnce({} as never);
    await transact(widgetPuts(1));
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe('A range over an entity stays among its own items', () => {
  const notes = defineEntity<{ id: string; text: string }>()({
    type: 'note',
    partition: (n: { boardId: string }) => `TEST#BOARD#${n.boardId}`,
    sort: (n: { id: string }) => `NOTE#${n.id}`,
    sortPrefix: 'NOTE#',
    keyOnly: ['boardId'],
  });
  // Shares the notes' partition and sorts after them, as a ticket item sorts after its messages.
  const board = defineEntity<{ title: string }>()({
    type: 'board',
    partition: (b: { boardId: string }) => `TEST#BOARD#${b.boardId}`,
    sort: () => 'TITLE',
    keyOnly: ['boardId'],
  });

  it('gives the items after one of them, and not the partition’s other items sorting after', async () => {
    const boardId = `b${Date.now()}`;
    await Promise.all([board.put({ boardId, title: 'Board' }), ...['n1', 'n2', 'n3'].map((id) => notes.put({ boardId, id, text: id.toUpperCase() }))]);
    const after = await notes.queryAll({ boardId }, { range: { gt: notes.sortKey({ id: 'n1' }) } });
    expect(after.map((n) => n.text)).toEqual(['N2', 'N3']);
    const upTo = await notes.queryAll({ boardId }, { range: { le: notes.sortKey({ id: 'n2' }) } });
    expect(upTo.map((n) => n.text)).toEqual(['N1', 'N2']);
  });
});
