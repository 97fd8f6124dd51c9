import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { accountCollection, accountPartition } from '../db/keys.js';
import { db, tableName, type TransactItem } from '../db/client.js';
import { stripKeys } from '../db/items.js';
import { queryPage, type Page, type PageRequest } from '../db/pagination.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { guard, writeGuarded, type Actor, type GuardedWrite } from '../audit/audit.js';
import { activityItem } from '../activity/activity.js';
import type { Principal, StaffPrincipal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.js';
import { asViewer, canSeeCompany, companiesVisibleTo, visibleCompanyFilter } from '../companies/access.js';
import { getEndUser, withEndUser } from '../end-users/end-users.js';
import { getUserRecord, type User } from '../users/users.js';
import { newReplyToken } from '../email/addresses.js';
import { replyTokenClaim } from './mail-ids.js';
import type { CreateTicketInput, ListTicketsQuery, TicketStatus, UpdateTicketInput } from './schema.js';

export type Channel = 'portal' | 'email' | 'staff';

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  channel: Channel;
  companyId: string;
  endUserId: string;
  assigneeId: string | null;
  createdAt: string;
  updatedAt: string;
  /** While the ticket waits in the queue: since when (an instant; with the id, its queue entry's order). */
  queuedAt?: string;
}

export interface TicketMessage {
  id: string;
  author: { type: 'staff' | 'end_user'; id: string };
  body: string;
  createdAt: string;
}

/**
 * A ticket and its messages share a partition (`A#<acc>#TKT#<id>`): the ticket item and messages in
 * time order. Lists use gsi1 (the account's tickets), gsi2 (by company) and gsi3 (by end user), all
 * ordered by creation time. Ticket numbers come from one counter per account.
 */
export const ticketKeys = {
  partition: (accountId: string, ticketId: string) => accountCollection(accountId, 'TKT', ticketId),
  item: (accountId: string, ticketId: string) => ({ pk: ticketKeys.partition(accountId, ticketId), sk: 'TICKET' }),
  message: (accountId: string, ticketId: string, createdAt: string, messageId: string) => ({
    pk: ticketKeys.partition(accountId, ticketId),
    sk: `MSG#${createdAt}#${messageId}`,
  }),
  messagePrefix: () => 'MSG#',
  counter: (accountId: string) => ({ pk: accountPartition(accountId), sk: 'COUNTER#TICKET' }),
  all: (accountId: string) => accountCollection(accountId, 'TICKETS'),
  byCompany: (accountId: string, companyId: string) => accountCollection(accountId, 'TICKETS', 'CO', companyId),
  byEndUser: (accountId: string, endUserId: string) => accountCollection(accountId, 'TICKETS', 'EU', endUserId),
  indexes: (accountId: string, t: Pick<Ticket, 'id' | 'createdAt' | 'companyId' | 'endUserId'>) => {
    const order = `${t.createdAt}#${t.id}`;
    return {
      gsi1pk: ticketKeys.all(accountId),
      gsi1sk: order,
      gsi2pk: ticketKeys.byCompany(accountId, t.companyId),
      gsi2sk: order,
      gsi3pk: ticketKeys.byEndUser(accountId, t.endUserId),
      gsi3sk: order,
    };
  },
};

/**
 * The queue: one entry per waiting ticket, oldest first, per account and (gsi1) per company. Until
 * its wait has been alerted, an entry is also on gsi3 by waiting time across accounts, the one
 * place the queue-alert schedule reads.
 */
export const queueKeys = {
  all: (accountId: string) => accountCollection(accountId, 'QUEUE'),
  entry: (accountId: string, order: string) => ({ pk: queueKeys.all(accountId), sk: order }),
  /** A waiting ticket's place: when it was queued, then its id (unique, so no two entries tie). */
  order: (ticket: Pick<Ticket, 'id' | 'queuedAt'>) => `${ticket.queuedAt}#${ticket.id}`,
  byCompany: (accountId: string, companyId: string) => accountCollection(accountId, 'QUEUE', 'CO', companyId),
  waiting: 'QUEUE#WAITING',
  waitingOrder: (accountId: string, ticket: Pick<Ticket, 'id' | 'createdAt'>) => `${ticket.createdAt}#${accountId}#${ticket.id}`,
};

export function toTicket(item: Record<string, unknown>): Ticket {
  const t = stripKeys<Ticket & { queuedAt?: string }>(item);
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    channel: t.channel,
    companyId: t.companyId,
    endUserId: t.endUserId,
    assigneeId: t.assigneeId ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    ...(t.queuedAt ? { queuedAt: t.queuedAt } : {}),
  };
}

function toMessage(item: Record<string, unknown>): TicketMessage {
  const { id, author, body, createdAt } = item as unknown as TicketMessage;
  return { id, author, body, createdAt };
}

/** How long a ticket has waited since it was opened (queue entries start with the ticket). */
export const waitedSince = (createdAt: string) => Math.max(0, Date.now() - Date.parse(createdAt));

export class SeatRequired extends Forbidden {
  constructor(module: 'service_desk' | 'remote_support') {
    super(`This needs a ${module} seat.`, 'seat_required');
  }
}

/** Only a staff member holding a service desk seat works tickets from the queue or is assigned one. */
export function requireServiceDeskSeat(user: User): void {
  if (!user.seats.includes('service_desk')) throw new SeatRequired('service_desk');
}

class CounterMoved extends Error {}

export interface NewTicket {
  companyId: string;
  endUserId: string;
  subject: string;
  description: string;
  channel: Channel;
  author: TicketMessage['author'];
  assigneeId: string | null;
  /** The Message-ID of the email that opened the ticket, for threading our replies. */
  mailThread?: string[];
  /** SES judged the opening email spam: the ticket item is marked `spam`. */
  spam?: boolean;
  /** Writes that must land with the ticket or not at all (an alert, an email's dedup key). */
  extraWrites?: (TransactItem | GuardedWrite)[] | ((ticket: Ticket) => (TransactItem | GuardedWrite)[]);
}

/**
 * Opens a ticket with its first message, and its queue entry when nobody takes it now. The number
 * is the account counter + 1, and the counter moves in the same transaction on the condition that
 * nobody moved it meanwhile: numbers come out 1, 2, 3… with no gaps or repeats, however many
 * tickets are opened at once (the losers of a race read the counter again).
 */
export async function openTicket(accountId: string, input: NewTicket): Promise<{ ticket: Ticket; message: TicketMessage }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const counter = await db.send(new GetCommand({ TableName: tableName, Key: ticketKeys.counter(accountId), ConsistentRead: true }));
    const previous = (counter.Item?.value as number | undefined) ?? 0;
    const now = new Date().toISOString();
    // Staff open their tickets as work in hand; a customer's question with nobody to take it waits in the queue.
    const status: TicketStatus = input.assigneeId || input.channel === 'staff' ? 'open' : 'queued';
    const ticket: Ticket = {
      id: newId('tkt'),
      number: previous + 1,
      subject: input.subject,
      status,
      channel: input.channel,
      companyId: input.companyId,
      endUserId: input.endUserId,
      assigneeId: input.assigneeId,
      createdAt: now,
      updatedAt: now,
      ...(status === 'queued' ? { queuedAt: now } : {}),
    };
    const message: TicketMessage = { id: newId('msg'), author: input.author, body: input.description, createdAt: now };
    // The ticket's reply token is born with it: its first email (the acknowledgement) needs it.
    const replyToken = newReplyToken();
    const extra = typeof input.extraWrites === 'function' ? input.extraWrites(ticket) : (input.extraWrites ?? []);
    try {
      await writeGuarded([
        guard(
          {
            Update: {
              TableName: tableName,
              Key: ticketKeys.counter(accountId),
              UpdateExpression: 'SET #value = :next',
              ConditionExpression: previous === 0 ? 'attribute_not_exists(#value)' : '#value = :previous',
              ExpressionAttributeNames: { '#value': 'value' },
              ExpressionAttributeValues: { ':next': ticket.number, ...(previous === 0 ? {} : { ':previous': previous }) },
            },
          },
          () => new CounterMoved(),
        ),
        {
          Put: {
            TableName: tableName,
            Item: {
              ...ticketKeys.item(accountId, ticket.id),
              ...ticketKeys.indexes(accountId, ticket),
              type: 'ticket',
              ...ticket,
              mailThread: input.mailThread,
              replyToken,
              ...(input.spam ? { spam: true } : {}),
            },
          },
        },
        replyTokenClaim({ accountId, ticketId: ticket.id }, replyToken),
        {
          Put: {
            TableName: tableName,
            Item: { ...ticketKeys.message(accountId, ticket.id, now, message.id), type: 'ticket_message', ticketId: ticket.id, ...message },
          },
        },
        ...(ticket.queuedAt ? [queueEntryPut(accountId, ticket)] : []),
        activityItem(accountId, ticket.companyId, { kind: 'ticket_opened', ticketId: ticket.id, at: now }),
        ...extra,
      ]);
      return { ticket, message };
    } catch (err) {
      if (!(err instanceof CounterMoved)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20));
    }
  }
  throw new Conflict('Too many tickets are being opened at once; try again.');
}

function queueEntryPut(accountId: string, ticket: Ticket): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...queueKeys.entry(accountId, queueKeys.order(ticket)),
        gsi1pk: queueKeys.byCompany(accountId, ticket.companyId),
        gsi1sk: queueKeys.order(ticket),
        gsi3pk: queueKeys.waiting,
        gsi3sk: queueKeys.waitingOrder(accountId, ticket),
        type: 'queue_entry',
        accountId,
        ticketId: ticket.id,
        number: ticket.number,
        subject: ticket.subject,
        companyId: ticket.companyId,
        waitingSince: ticket.createdAt,
      },
    },
  };
}

export async function getTicketRecord(accountId: string, ticketId: string, consistent = false): Promise<Ticket | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: ticketKeys.item(accountId, ticketId), ConsistentRead: consistent }));
  return out.Item ? toTicket(out.Item) : undefined;
}

/** Staff see tickets of their companies; an end user sees only their own. Anything else is 404. */
function canSee(principal: Principal, ticket: Ticket): boolean {
  if (principal.role === 'end_user') return ticket.endUserId === principal.id;
  return canSeeCompany(principal, ticket.companyId);
}

export async function getTicket(principal: Principal, ticketId: string): Promise<Ticket> {
  const ticket = await getTicketRecord(principal.accountId, ticketId);
  if (!ticket || !canSee(principal, ticket)) throw new NotFound('The ticket');
  return ticket;
}

/** Newest first, from the index that fits: the end user's, the company's, or the account's. */
export async function listTickets(principal: Principal, query: ListTicketsQuery): Promise<Page<Ticket>> {
  const visible = companiesVisibleTo(principal);
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const endUserId = principal.role === 'end_user' ? principal.id : query.endUserId;
  // An end user's own tickets are narrowed by company below; staff name only companies they can see.
  if (principal.role !== 'end_user' && query.companyId && !canSeeCompany(principal, query.companyId)) return { items: [], nextCursor: null };
  let index: { index: string; partition: { name: string; value: string } };
  if (endUserId) {
    index = { index: 'gsi3', partition: { name: 'gsi3pk', value: ticketKeys.byEndUser(principal.accountId, endUserId) } };
    if (query.companyId) {
      filters.push('companyId = :company');
      values[':company'] = query.companyId;
    }
  } else if (query.companyId || (visible !== 'all' && visible.length === 1)) {
    index = { index: 'gsi2', partition: { name: 'gsi2pk', value: ticketKeys.byCompany(principal.accountId, query.companyId ?? (visible as string[])[0]!) } };
  } else {
    index = { index: 'gsi1', partition: { name: 'gsi1pk', value: ticketKeys.all(principal.accountId) } };
  }
  const narrow = principal.role === 'end_user' || query.companyId ? undefined : visibleCompanyFilter(principal, 'companyId');
  if (narrow) {
    filters.push(narrow.expression);
    Object.assign(names, narrow.names);
    Object.assign(values, narrow.values);
  }
  if (query.status) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = query.status;
  }
  if (query.assigneeId) {
    filters.push('assigneeId = :assignee');
    values[':assignee'] = query.assigneeId;
  }
  return queryPage(
    {
      ...index,
      newestFirst: true,
      filter: filters.length ? { expression: filters.join(' AND '), names: Object.keys(names).length ? names : undefined, values } : undefined,
    },
    query,
    toTicket,
  );
}

/** The staff member a ticket may be assigned to: one with access to its company and a service desk seat. */
async function assignableStaff(accountId: string, userId: string, companyId: string): Promise<User> {
  const record = await getUserRecord(accountId, userId);
  if (!record || !canSeeCompany(asViewer(record), companyId)) {
    throw new ValidationFailed('The assignee cannot work in this company.', [{ path: 'assigneeId', message: 'Unknown or without access' }]);
  }
  requireServiceDeskSeat(record);
  return record;
}

/**
 * Staff change a ticket's status, assignee or subject. Taking a waiting ticket out of the queue
 * (assigning it, or moving it on) removes its queue entry in the same transaction, on the
 * condition that nobody claimed it meanwhile.
 */
export async function updateTicket(principal: Principal, ticketId: string, input: UpdateTicketInput): Promise<Ticket> {
  const current = await getTicket(principal, ticketId);
  if (input.assigneeId) await assignableStaff(principal.accountId, input.assigneeId, current.companyId);
  const next: Ticket = {
    ...current,
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    ...(input.status ? { status: input.status } : {}),
    updatedAt: new Date().toISOString(),
  };
  const leavesQueue = current.status === 'queued' && (input.status !== undefined || !!input.assigneeId);
  if (leavesQueue && !input.status) next.status = 'open';
  if (leavesQueue) delete next.queuedAt;
  await writeGuarded([
    guard(
      {
        Update: {
          TableName: tableName,
          Key: ticketKeys.item(principal.accountId, ticketId),
          UpdateExpression: `SET subject = :subject, assigneeId = :assignee, #status = :status, updatedAt = :now${leavesQueue ? ' REMOVE queuedAt' : ''}`,
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':subject': next.subject,
            ':assignee': next.assigneeId,
            ':status': next.status,
            ':now': next.updatedAt,
            ':seen': current.updatedAt,
          },
        },
      },
      () => new Conflict('The ticket changed meanwhile; try again.'),
    ),
    ...(leavesQueue
      ? [
          guard(
            {
              Delete: {
                TableName: tableName,
                Key: queueKeys.entry(principal.accountId, queueKeys.order(current)),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            () => new Conflict('The ticket was taken from the queue meanwhile.'),
          ),
          activityItem(principal.accountId, current.companyId, { kind: 'queue_left', ticketId, waitedMs: waitedSince(current.createdAt) }),
        ]
      : []),
    ...(next.status === 'solved' && current.status !== 'solved'
      ? [activityItem(principal.accountId, current.companyId, { kind: 'ticket_solved', ticketId })]
      : []),
  ]);
  return next;
}

export async function listMessages(principal: Principal, ticketId: string, page: PageRequest): Promise<Page<TicketMessage>> {
  await getTicket(principal, ticketId);
  return queryPage(
    {
      partition: { name: 'pk', value: ticketKeys.partition(principal.accountId, ticketId) },
      range: { expression: 'begins_with(#sk, :prefix)', names: { '#sk': 'sk' }, values: { ':prefix': ticketKeys.messagePrefix() } },
    },
    page,
    toMessage,
  );
}

/**
 * Adds a message to a ticket. An end user's message on a solved ticket reopens it. Returns the
 * ticket as it now is, for the caller to notify the other side.
 */
export async function appendMessage(
  accountId: string,
  ticket: Ticket,
  author: TicketMessage['author'],
  body: string,
  mail?: { messageId: string; writes: (TransactItem | GuardedWrite)[]; spam?: boolean },
): Promise<{ ticket: Ticket; message: TicketMessage }> {
  const now = new Date().toISOString();
  const message: TicketMessage = { id: newId('msg'), author, body, createdAt: now };
  const reopen = author.type === 'end_user' && (ticket.status === 'solved' || ticket.status === 'pending');
  const next: Ticket = { ...ticket, updatedAt: now, ...(reopen ? { status: 'open' as const } : {}) };
  await writeGuarded([
    {
      Put: {
        TableName: tableName,
        Item: {
          ...ticketKeys.message(accountId, ticket.id, now, message.id),
          type: 'ticket_message',
          ticketId: ticket.id,
          ...message,
          ...(mail?.spam ? { spam: true } : {}),
        },
      },
    },
    guard(
      {
        Update: {
          TableName: tableName,
          Key: ticketKeys.item(accountId, ticket.id),
          UpdateExpression: `SET updatedAt = :now, #status = :status${mail ? ', mailThread = list_append(if_not_exists(mailThread, :none), :mail)' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': now, ':status': next.status, ...(mail ? { ':none': [], ':mail': [mail.messageId] } : {}) },
        },
      },
      () => new NotFound('The ticket'),
    ),
    ...(mail?.writes ?? []),
  ]);
  return { ticket: next, message };
}

/**
 * A ticket staff open for an end user, named by id or by address (found, or created weak with a
 * derived name). An assignee, if given, must be able to work in the company with a service desk seat.
 */
export async function createStaffTicket(principal: StaffPrincipal, actor: Actor, input: CreateTicketInput): Promise<Ticket> {
  await getCompany(principal, input.companyId);
  // Everything that can refuse the ticket is checked before anything is written.
  if (input.assigneeId) await assignableStaff(principal.accountId, input.assigneeId, input.companyId);
  const open = (endUserId: string, writes: (TransactItem | GuardedWrite)[] = []) =>
    openTicket(principal.accountId, {
      companyId: input.companyId,
      endUserId,
      subject: input.subject,
      description: input.description,
      channel: 'staff',
      author: { type: 'staff', id: principal.id },
      assigneeId: input.assigneeId ?? null,
      extraWrites: writes,
    });
  if (input.endUserId) return (await open((await getEndUser(principal, input.endUserId)).id)).ticket;
  // A new end user is written in the ticket's own transaction: a refused ticket leaves none behind.
  return withEndUser(actor, { email: input.requesterEmail!, companyId: input.companyId }, async (found) => {
    // An address is no way round company access: an end user the caller cannot see is 404, as by id.
    if (!found.created && !canSeeCompany(principal, found.endUser.companyId)) throw new NotFound('The end user');
    return (await open(found.endUser.id, found.writes)).ticket;
  });
}
