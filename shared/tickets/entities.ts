import { createHash } from 'node:crypto';
import { batchGetRecords, defineEntity, type Key } from '../db/entity.js';
import { accountCollection, accountPartition } from '../db/keys.js';
import type { SortRange } from '../db/pagination.js';
import { tableDefinition } from '../db/table.js';
import type { Ticket, TicketMessage } from './tickets.js';

/** The ticket item: the API's ticket and what only the mail side reads. */
export interface TicketRecord extends Ticket {
  /** Message-IDs of the ticket's mail, oldest first: our replies thread under them. */
  mailThread?: string[];
  /** The ticket's reply token (its `REPLY#<token>` item names it). */
  replyToken?: string;
  /** SES judged the opening email spam. */
  spam?: boolean;
  /** When the acknowledgement was claimed (it goes once). */
  acknowledgedAt?: string;
  version?: number;
}

/** Tickets are listed newest first by creation, ties broken by id. */
const ticketOrder = (t: { createdAt: string; id: string }) => `${t.createdAt}#${t.id}`;

const ticketPartition = (accountId: string, ticketId: string) => accountCollection(accountId, 'TKT', ticketId);

/**
 * A ticket and its messages share a partition (`A#<acc>#TKT#<id>`): the ticket item (`TICKET`)
 * and its messages in time order. Lists read the account's tickets (`byAccount`), a company's
 * (`byCompany`), an end user's (`byEndUser`) or a staff member's (`byAssignee`, only assigned
 * tickets: every write that changes the assignee moves or removes these keys), all ordered by
 * creation time.
 */
export const ticketEntity = defineEntity<TicketRecord>()({
  type: 'ticket',
  partition: (t: { accountId: string; id: string }) => ticketPartition(t.accountId, t.id),
  sort: () => 'TICKET',
  keyOnly: ['accountId'],
  versioned: true,
  indexes: {
    byAccount: { index: 'gsi1', partition: (t: { accountId: string }) => accountCollection(t.accountId, 'TICKETS'), sort: ticketOrder },
    byCompany: {
      index: 'gsi2',
      partition: (t: { accountId: string; companyId: string }) => accountCollection(t.accountId, 'TICKETS', 'CO', t.companyId),
      sort: ticketOrder,
    },
    byEndUser: {
      index: 'gsi3',
      partition: (t: { accountId: string; endUserId: string }) => accountCollection(t.accountId, 'TICKETS', 'EU', t.endUserId),
      sort: ticketOrder,
    },
    byAssignee: {
      index: 'gsi4',
      partition: (t: { accountId: string; assigneeId: string | null }) => accountCollection(t.accountId, 'TICKETS', 'AS', t.assigneeId ?? ''),
      sort: ticketOrder,
      when: (t: { assigneeId: string | null }) => !!t.assigneeId,
    },
  },
});

export interface MessageRecord extends TicketMessage {
  ticketId: string;
  /** Taken from an email SES judged spam. */
  spam?: boolean;
}

/** A ticket's message, in the ticket's partition: `MSG#<createdAt>#<id>`. */
export const messageEntity = defineEntity<MessageRecord>()({
  type: 'ticket_message',
  partition: (m: { accountId: string; ticketId: string }) => ticketPartition(m.accountId, m.ticketId),
  sort: (m: { createdAt: string; id: string }) => `MSG#${m.createdAt}#${m.id}`,
  sortPrefix: 'MSG#',
  keyOnly: ['accountId'],
});

/**
 * The account's last ticket number (`A#<acc>` / `COUNTER#TICKET`). Only ever updated (never put),
 * on the condition that `value` is still what was read: the value is its own concurrency token.
 */
export const ticketCounterEntity = defineEntity<{ value: number }>()({
  type: 'ticket_counter',
  partition: (c: { accountId: string }) => accountPartition(c.accountId),
  sort: () => 'COUNTER#TICKET',
  keyOnly: ['accountId'],
});

export interface QueueEntryRecord {
  accountId: string;
  ticketId: string;
  number: number;
  subject: string;
  companyId: string;
  /** When the ticket was queued: only opening a ticket queues it, so this is its `createdAt` (and `queuedAt`). */
  waitingSince: string;
  /** When the queue-alert schedule alerted its wait (it is then off the `waiting` index). */
  alertedAt?: string;
}

/** A waiting ticket's place: when it was queued, then its id (unique, so no two entries tie). */
const queueOrder = (e: { waitingSince: string; ticketId: string }) => `${e.waitingSince}#${e.ticketId}`;

/**
 * The queue: one entry per waiting ticket (`A#<acc>#QUEUE`), oldest first, per account and per
 * company (`byCompany`). Until its wait has been alerted, an entry is also on `waiting`, by waiting
 * time across accounts: the one place the queue-alert schedule reads.
 */
export const queueEntryEntity = defineEntity<QueueEntryRecord>()({
  type: 'queue_entry',
  partition: (e: { accountId: string }) => accountCollection(e.accountId, 'QUEUE'),
  sort: queueOrder,
  indexes: {
    byCompany: {
      index: 'gsi1',
      partition: (e: { accountId: string; companyId: string }) => accountCollection(e.accountId, 'QUEUE', 'CO', e.companyId),
      sort: queueOrder,
    },
    waiting: {
      index: 'gsi3',
      partition: () => 'QUEUE#WAITING',
      sort: (e: { waitingSince: string; accountId: string; ticketId: string }) => `${e.waitingSince}#${e.accountId}#${e.ticketId}`,
      when: (e: { alertedAt?: string }) => e.alertedAt === undefined,
    },
  },
});

/** Entries of the `waiting` index that started waiting at or before `instant`. */
export const waitingSinceAtMost = (instant: string): SortRange => ({ le: `${instant}#\uffff` });

/**
 * A Message-ID as mail ids are keyed: without brackets and case. SES replaces the Message-ID of
 * what we send with `<sesId@…amazonses.com>` (the domain varies by region), so such ids are keyed
 * by their SES id alone.
 */
export function normaliseMessageId(messageId: string): string {
  const id = messageId.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = id.lastIndexOf('@');
  return at > 0 && id.slice(at + 1).endsWith('amazonses.com') ? `ses:${id.slice(0, at)}` : id;
}

const messageIdHash = (messageId: string) => createHash('sha256').update(normaliseMessageId(messageId)).digest('base64url');

/** An email the customer sent, claimed by its Message-ID in the account that received it (`A#<acc>#MAIL#<hash>`). */
export const mailIdEntity = defineEntity<{ ticketId: string; direction: 'inbound' }>()({
  type: 'mail_id',
  partition: (m: { accountId: string; messageId: string }) => accountCollection(m.accountId, 'MAIL', messageIdHash(m.messageId)),
  sort: () => 'MAIL',
  keyOnly: ['accountId', 'messageId'],
  keyShape: { partition: 'A#<accountId>#MAIL#<hash of the normalised Message-ID>' },
});

/** A ticket in its own account: what a reply token or one of our sent Message-IDs names. */
export interface TicketRef {
  accountId: string;
  ticketId: string;
}

/**
 * Reply tokens and the mail we sent are global items: they name the ticket's own account, so a
 * reply reaches it whoever owns the address it was sent to now. `REPLY#<token>`: a token, never reused.
 */
export const replyTokenEntity = defineEntity<TicketRef>()({
  type: 'reply_token',
  partition: (r: { token: string }) => `REPLY#${r.token}`,
  sort: () => 'REPLY',
  keyOnly: ['token'],
});

/** `SENTMAIL#<hash>`: the id SES gave a ticket email we sent. */
export const sentMailEntity = defineEntity<TicketRef>()({
  type: 'sent_mail',
  partition: (m: { messageId: string }) => `SENTMAIL#${messageIdHash(m.messageId)}`,
  sort: () => 'SENTMAIL',
  keyOnly: ['messageId'],
  keyShape: { partition: 'SENTMAIL#<hash of the normalised Message-ID>' },
});

/**
 * Of several items (of one or several entities), the first in the order given that exists, read
 * with one batch read: a reply's ids are looked up together. Keys must be distinct.
 */
export async function firstFound<T>(lookups: { key: Key; entity: { parse(record: Record<string, unknown>): T } }[]): Promise<T | undefined> {
  if (lookups.length === 0) return undefined;
  const records = await batchGetRecords(
    lookups.map((l) => l.key),
    false,
  );
  // Each of these entities has one item per partition: the partition key identifies it.
  const byPartition = new Map(records.map((r) => [r[tableDefinition.partitionKey], r]));
  for (const { key, entity } of lookups) {
    const record = byPartition.get(key.pk);
    if (record) return entity.parse(record);
  }
  return undefined;
}
