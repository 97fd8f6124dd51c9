import { defineEntity } from '../db/entity.js';
import { accountCollection } from '../db/keys.js';
import type { AuditEvent } from './audit.js';

/** When and by whom, in time order: the sort key of every audit listing. */
const order = (e: { at: string; id: string }) => `${e.at}#${e.id}`;

/**
 * An audit event: in the account's trail partition (`A#<acc>#AUDIT`), newest last; `byResource`
 * lists one resource type's events, `byActor` one user's (system and public actions have no actor
 * and are not on it).
 */
export const auditEntity = defineEntity<AuditEvent>()({
  type: 'audit',
  partition: (e: { accountId: string }) => accountCollection(e.accountId, 'AUDIT'),
  sort: order,
  keyOnly: ['accountId'],
  indexes: {
    byResource: {
      index: 'gsi1',
      partition: (e: { accountId: string; resourceType: string }) => accountCollection(e.accountId, 'AUDIT', 'RES', e.resourceType),
      sort: order,
    },
    byActor: {
      index: 'gsi2',
      partition: (e: { accountId: string; actorId: string | null }) => accountCollection(e.accountId, 'AUDIT', 'ACTOR', e.actorId ?? ''),
      sort: order,
      when: (e: { actorId: string | null }) => e.actorId !== null,
    },
  },
});
