import type { Page, PageRequest } from '../db/pagination.js';
import { transact, type WriteAction } from '../db/transaction.js';
import { newId } from '../ids.js';
import { auditEntity } from './entity.js';

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

/** Fields whose values never enter the trail; a change to them is recorded as `[redacted]`. */
const secretFields = new Set(['password', 'passwordHash', 'token', 'secret', 'keyHash']);

export function auditItem(actor: Actor, change: Change): WriteAction {
  const at = new Date().toISOString();
  const fields = change.fields
    ? Object.fromEntries(Object.entries(change.fields).map(([k, v]) => [k, secretFields.has(k) ? { from: '[redacted]', to: '[redacted]' } : v]))
    : undefined;
  const event: AuditEvent = { ...change, fields, id: newId('aud'), actorId: actor.actorId, at, requestId: actor.requestId, sourceIp: actor.sourceIp };
  return auditEntity.putAction({ ...event, accountId: actor.accountId });
}

/** The fields that differ between two versions of a resource, with before and after values. */
export function changedFields<T extends object>(before: T, after: T, fields: (keyof T)[]): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of fields) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) out[String(f)] = { from: before[f] ?? null, to: after[f] ?? null };
  }
  return out;
}

/** Writes the change's items and its audit records in one transaction. */
export async function commitChanges(actor: Actor, writes: WriteAction[], changes: Change[]): Promise<void> {
  if (changes.length === 0) throw new Error('Every change is recorded in the audit trail');
  await transact([...writes, ...changes.map((c) => auditItem(actor, c))]);
}

/** Newest first, from the index that fits the filter; the other filter narrows that page. */
export function listAuditEvents(
  accountId: string,
  filter: { resource?: string | undefined; actorId?: string | undefined },
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  if (filter.resource) {
    return auditEntity.queryIndexPage('byResource', { accountId, resourceType: filter.resource }, page, {
      newestFirst: true,
      ...(filter.actorId && { filter: { path: 'actorId', eq: filter.actorId } }),
    });
  }
  if (filter.actorId) return auditEntity.queryIndexPage('byActor', { accountId, actorId: filter.actorId }, page, { newestFirst: true });
  return auditEntity.queryPage({ accountId }, page, { newestFirst: true });
}
