import { transactWrite, type CancellationCode, type TransactItem } from '../db/client.js';
import { accountCollection } from '../db/keys.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { tableName } from '../db/client.js';
import { newId } from '../ids.js';

/**
 * The audit trail. Every administrative change is written through `commitChanges`, which puts the
 * audit records in the same transaction as the change itself: a change without its record, or a
 * record of a change that did not happen, cannot exist. No route updates or deletes a record.
 */
export interface Actor {
  accountId: string;
  /** The user or end user acting; null for sign-up and other public or system actions. */
  actorId: string | null;
  requestId: string;
  sourceIp: string;
}

export type AuditAction = 'create' | 'update' | 'delete' | 'sign_in' | 'sign_in_failed';

export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface Change {
  resourceType: string;
  resourceId: string;
  action: AuditAction;
  fields?: Record<string, FieldChange>;
}

export interface AuditEvent extends Change {
  id: string;
  actorId: string | null;
  at: string;
  requestId: string;
  sourceIp: string;
}

const auditKeys = {
  trail: (accountId: string) => accountCollection(accountId, 'AUDIT'),
  byResource: (accountId: string, resourceType: string) => accountCollection(accountId, 'AUDIT', 'RES', resourceType),
  byActor: (accountId: string, actorId: string) => accountCollection(accountId, 'AUDIT', 'ACTOR', actorId),
};

/** Fields whose values never enter the trail; a change to them is recorded as `[redacted]`. */
const secretFields = new Set(['password', 'passwordHash', 'token', 'secret', 'keyHash']);

export function auditItem(actor: Actor, change: Change): TransactItem {
  const at = new Date().toISOString();
  const id = newId('aud');
  const order = `${at}#${id}`;
  const fields = change.fields
    ? Object.fromEntries(Object.entries(change.fields).map(([k, v]) => [k, secretFields.has(k) ? { from: '[redacted]', to: '[redacted]' } : v]))
    : undefined;
  const event: AuditEvent = { ...change, fields, id, actorId: actor.actorId, at, requestId: actor.requestId, sourceIp: actor.sourceIp };
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: auditKeys.trail(actor.accountId),
        sk: order,
        gsi1pk: auditKeys.byResource(actor.accountId, change.resourceType),
        gsi1sk: order,
        ...(actor.actorId ? { gsi2pk: auditKeys.byActor(actor.accountId, actor.actorId), gsi2sk: order } : {}),
        type: 'audit',
        ...event,
      },
    },
  };
}

/** The fields that differ between two versions of a resource, with before and after values. */
export function changedFields<T extends object>(before: T, after: T, fields: (keyof T)[]): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of fields) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) out[String(f)] = { from: before[f] ?? null, to: after[f] ?? null };
  }
  return out;
}

/** A transaction item with the domain error its failed condition means. */
export interface GuardedWrite {
  write: TransactItem;
  failure: () => Error;
}

export const guard = (write: TransactItem, failure: () => Error): GuardedWrite => ({ write, failure });

const unexpectedCondition = (): Error => new Error('A write condition failed unexpectedly');

/** Writes all items or none; a failed condition becomes the error its guarded item names. */
export async function writeGuarded(
  writes: (TransactItem | GuardedWrite)[],
  onConditionFailed: (codes: CancellationCode[]) => Error = unexpectedCondition,
): Promise<void> {
  await transactWrite(
    writes.map((w) => ('write' in w ? w.write : w)),
    (codes) => {
      const failed = writes[codes.indexOf('ConditionalCheckFailed')];
      return failed && 'write' in failed ? failed.failure() : onConditionFailed(codes);
    },
  );
}

/** Writes the change's items and its audit records in one transaction. */
export async function commitChanges(
  actor: Actor,
  writes: (TransactItem | GuardedWrite)[],
  changes: Change[],
  onConditionFailed?: (codes: CancellationCode[]) => Error,
): Promise<void> {
  if (changes.length === 0) throw new Error('Every change is recorded in the audit trail');
  await writeGuarded([...writes, ...changes.map((c) => auditItem(actor, c))], onConditionFailed);
}

function toEvent(item: Record<string, unknown>): AuditEvent {
  const { id, actorId, at, requestId, sourceIp, resourceType, resourceId, action, fields } = item as unknown as AuditEvent;
  return { id, actorId, at, requestId, sourceIp, resourceType, resourceId, action, fields };
}

/** Newest first, from the index that fits the filter; the other filter narrows that page. */
export function listAuditEvents(
  accountId: string,
  filter: { resource?: string | undefined; actorId?: string | undefined },
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  const base = filter.resource
    ? { index: 'gsi1', partition: { name: 'gsi1pk', value: auditKeys.byResource(accountId, filter.resource) } }
    : filter.actorId
      ? { index: 'gsi2', partition: { name: 'gsi2pk', value: auditKeys.byActor(accountId, filter.actorId) } }
      : { partition: { name: 'pk', value: auditKeys.trail(accountId) } };
  const narrow =
    filter.resource && filter.actorId
      ? { filter: { expression: '#actor = :actor', names: { '#actor': 'actorId' }, values: { ':actor': filter.actorId } } }
      : {};
  return queryPage({ ...base, ...narrow, newestFirst: true }, page, toEvent);
}
