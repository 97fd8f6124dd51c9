import { defineEntity } from '../db/entity.js';
import { accountCollection } from '../db/keys.js';

/**
 * Who holds a live connection: a signed-in staff member or end user (`subjectId`, with the
 * credentials version of their token), or a portal customer by a ticket's chat token (the ticket's
 * end user, for that ticket only).
 */
export type LivePrincipal =
  | { kind: 'staff' | 'end_user'; subjectId: string; credentialsVersion: number }
  | { kind: 'chat'; subjectId: string; ticketId: string };

export type LiveConnectionRecord = LivePrincipal & {
  connectionId: string;
  accountId: string;
  connectedAt: string;
  /** When the token it was opened with stops being valid (seconds since the epoch): frames after that are refused. */
  authorityEndsAt: number;
  /** When API Gateway ends the connection at the latest (its 2 h maximum), also the TTL of its items. */
  endsAt: number;
  /** A staff console watching the queue: of these companies (their access when they began watching). */
  watchesQueue?: 'all' | string[];
};

/**
 * An open WebSocket connection (`LIVECONN#<connectionId>`): a global item, since API Gateway names
 * only the connection on `$default` and `$disconnect`. `byPrincipal` finds a person's connections
 * (`A#<acc>#LIVE#<kind>#<subjectId>`), so a ticket assigned to a technician is followed by the
 * connections they already have. `queueWatchers` (sparse) lists the account's consoles watching the
 * queue: a queue change is one Query of it; the item going takes the connection off the list.
 */
export const liveConnectionEntity = defineEntity<LiveConnectionRecord>()({
  type: 'live_connection',
  partition: (c: { connectionId: string }) => `LIVECONN#${c.connectionId}`,
  sort: () => 'LIVECONN',
  indexes: {
    byPrincipal: {
      index: 'gsi1',
      partition: (c: { accountId: string; kind: string; subjectId: string }) => accountCollection(c.accountId, 'LIVE', c.kind, c.subjectId),
      sort: (c: { connectionId: string }) => c.connectionId,
    },
    queueWatchers: {
      index: 'gsi2',
      partition: (c: { accountId: string }) => accountCollection(c.accountId, 'LIVE', 'QUEUEWATCH'),
      sort: (c: { connectionId: string }) => c.connectionId,
      when: (c: { watchesQueue?: unknown }) => c.watchesQueue !== undefined,
    },
  },
});

export interface LiveFollowRecord {
  accountId: string;
  ticketId: string;
  connectionId: string;
  /** The customer's side or staff: a message a customer received live is not also emailed. */
  audience: 'customer' | 'staff';
  /** A customer's follow of a ticket waiting in this company's queue: they are told their place. */
  waitingCompanyId?: string;
}

/**
 * A connection following a ticket, in the ticket's follower partition (`A#<acc>#LIVE#TKT#<ticketId>`,
 * one item per connection): pushing to a ticket is one Query. `byConnection` drops a connection's
 * follows when it ends; `waiting` (sparse, per company) lists the customers waiting in the queue, so
 * telling them their places is one Query of it and one of the queue.
 */
export const liveFollowEntity = defineEntity<LiveFollowRecord>()({
  type: 'live_follow',
  partition: (f: { accountId: string; ticketId: string }) => accountCollection(f.accountId, 'LIVE', 'TKT', f.ticketId),
  sort: (f: { connectionId: string }) => f.connectionId,
  indexes: {
    byConnection: {
      index: 'gsi1',
      partition: (f: { connectionId: string }) => `LIVECONN#${f.connectionId}`,
      sort: (f: { accountId: string; ticketId: string }) => `FOLLOW#${f.accountId}#${f.ticketId}`,
    },
    waiting: {
      index: 'gsi2',
      partition: (f: { accountId: string; waitingCompanyId?: string }) => accountCollection(f.accountId, 'LIVE', 'WAIT', f.waitingCompanyId ?? ''),
      sort: (f: { ticketId: string; connectionId: string }) => `${f.ticketId}#${f.connectionId}`,
      when: (f: { waitingCompanyId?: string }) => f.waitingCompanyId !== undefined,
    },
  },
});
