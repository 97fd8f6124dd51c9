import { allOf } from '../db/expressions.js';
import { publishAssigned, publishQueueChanged, publishQueuePositions, publishTicketMessage } from '../live/live.js';
import type { Page, PageRequest } from '../db/pagination.js';
import { transact, type WriteAction } from '../db/transaction.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors.js';
import { newId } from '../ids.js';
import type { Actor } from '../audit/audit.js';
import { activityItem } from '../activity/activity.js';
import type { Principal, StaffPrincipal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.js';
import { asViewer, canSeeCompany, companiesVisibleTo, visibleCompanyFilter } from '../companies/access.js';
import { getEndUser, withEndUser } from '../end-users/end-users.js';
import { getUserRecord, type User } from '../users/users.js';
import { newReplyToken } from '../email/addresses.js';
import { messageEntity, queueEntryEntity, ticketCounterEntity, ticketEntity, type MessageRecord, type TicketRecord } from './entities.js';
import { replyTokenClaim } from './mail-ids.js';
import type { CreateTicketInput, ListTicketsQuery, TicketStatus, UpdateTicketInput } from './schema.js';

export type Channel = 'portal' | 'email' | 'staff' | 'teams';

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

/** The ticket as the API shows it (the item also holds its mail thread and reply token). */
function toTicket(t: TicketRecord): Ticket {
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

function toMessage({ id, author, body, createdAt }: MessageRecord): TicketMessage {
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
  extraWrites?: WriteAction[] | ((ticket: Ticket) => WriteAction[]);
}

/**
 * Opens a ticket with its first message, and its queue entry when nobody takes it now. The number
 * is the account counter + 1, and the counter moves in the same transaction on the condition that
 * nobody moved it meanwhile: numbers come out 1, 2, 3… with no gaps or repeats, however many
 * tickets are opened at once (the losers of a race read the counter again).
 */
export async function openTicket(accountId: string, input: NewTicket): Promise<{ ticket: Ticket; message: TicketMessage }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const counter = await ticketCounterEntity.get({ accountId }, { consistent: true });
    const previous = counter?.value ?? 0;
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
      await transact([
        ticketCounterEntity.updateAction(
          { accountId },
          { set: { value: ticket.number } },
          { condition: previous === 0 ? { path: 'value', exists: false } : { path: 'value', eq: previous }, onFail: () => new CounterMoved() },
        ),
        ticketEntity.putAction({
          accountId,
          ...ticket,
          mailThread: input.mailThread,
          replyToken,
          ...(input.spam ? { spam: true } : {}),
        }),
        replyTokenClaim({ accountId, ticketId: ticket.id }, replyToken),
        messageEntity.putAction({ accountId, ticketId: ticket.id, ...message }),
        ...(ticket.queuedAt ? [queueEntryPut(accountId, ticket)] : []),
        activityItem(accountId, ticket.companyId, { kind: 'ticket_opened', ticketId: ticket.id, at: now }),
        ...extra,
      ]);
      // The consoles watching the queue see the new question at once.
      if (ticket.queuedAt) await publishQueueChanged(accountId, ticket.companyId);
      return { ticket, message };
    } catch (err) {
      if (!(err instanceof CounterMoved)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20));
    }
  }
  throw new Conflict('Too many tickets are being opened at once; try again.');
}

/** A queued ticket's entry: it waits since it was opened (only opening queues a ticket). */
function queueEntryPut(accountId: string, ticket: Ticket): WriteAction {
  return queueEntryEntity.putAction({
    accountId,
    ticketId: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    companyId: ticket.companyId,
    waitingSince: ticket.createdAt,
  });
}

async function readTicket(accountId: string, ticketId: string, consistent = false): Promise<TicketRecord | undefined> {
  return ticketEntity.get({ accountId, id: ticketId }, { consistent });
}

export async function getTicketRecord(accountId: string, ticketId: string, consistent = false): Promise<Ticket | undefined> {
  const record = await readTicket(accountId, ticketId, consistent);
  return record && toTicket(record);
}

/** Staff see tickets of their companies; an end user sees only their own. Anything else is 404. */
function canSee(principal: Principal, ticket: Ticket): boolean {
  if (principal.role === 'end_user') return ticket.endUserId === principal.id;
  return canSeeCompany(principal, ticket.companyId);
}

/** The ticket item, if the principal may see it (else 404). */
async function visibleTicket(principal: Principal, ticketId: string): Promise<TicketRecord> {
  const ticket = await readTicket(principal.accountId, ticketId);
  if (!ticket || !canSee(principal, ticket)) throw new NotFound('The ticket');
  return ticket;
}

export async function getTicket(principal: Principal, ticketId: string): Promise<Ticket> {
  return toTicket(await visibleTicket(principal, ticketId));
}

/**
 * Newest first, from the index that fits: the end user's, the assignee's, the company's, or the
 * account's; the other criteria filter what that index holds.
 */
export async function listTickets(principal: Principal, query: ListTicketsQuery): Promise<Page<Ticket>> {
  const visible = companiesVisibleTo(principal);
  const { accountId } = principal;
  const endUserId = principal.role === 'end_user' ? principal.id : query.endUserId;
  // An end user's own tickets are narrowed by company below; staff name only companies they can see.
  if (principal.role !== 'end_user' && query.companyId && !canSeeCompany(principal, query.companyId)) return { items: [], nextCursor: null };
  const assigneeId = endUserId ? undefined : query.assigneeId;
  const companyId = endUserId || assigneeId ? undefined : (query.companyId ?? (visible !== 'all' && visible.length === 1 ? visible[0] : undefined));
  const filter = allOf(
    query.companyId && !companyId ? { path: 'companyId', eq: query.companyId } : undefined,
    principal.role === 'end_user' || query.companyId ? undefined : visibleCompanyFilter(principal, 'companyId'),
    query.status ? { path: 'status', eq: query.status } : undefined,
    query.assigneeId && !assigneeId ? { path: 'assigneeId', eq: query.assigneeId } : undefined,
  );
  const options = { newestFirst: true, ...(filter && { filter }) };
  const page = endUserId
    ? await ticketEntity.queryIndexPage('byEndUser', { accountId, endUserId }, query, options)
    : assigneeId
      ? await ticketEntity.queryIndexPage('byAssignee', { accountId, assigneeId }, query, options)
      : companyId
        ? await ticketEntity.queryIndexPage('byCompany', { accountId, companyId }, query, options)
        : await ticketEntity.queryIndexPage('byAccount', { accountId }, query, options);
  return { ...page, items: page.items.map(toTicket) };
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
  const record = await visibleTicket(principal, ticketId);
  const current = toTicket(record);
  const assignee = input.assigneeId ? await assignableStaff(principal.accountId, input.assigneeId, current.companyId) : undefined;
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
  const { accountId } = principal;
  await transact([
    ticketEntity.updateAction(
      { accountId, id: ticketId },
      {
        set: { subject: next.subject, assigneeId: next.assigneeId, status: next.status, updatedAt: next.updatedAt },
        ...(leavesQueue && { remove: ['queuedAt' as const] }),
      },
      {
        ifVersion: record.version ?? 0,
        onFail: () => new Conflict('The ticket changed meanwhile; try again.'),
        // The ticket moves to its new assignee's list, or off the index when nobody has it.
        ...(next.assigneeId !== current.assigneeId && {
          indexes: { byAssignee: next.assigneeId ? { accountId, assigneeId: next.assigneeId, createdAt: current.createdAt, id: ticketId } : null },
        }),
      },
    ),
    ...(leavesQueue
      ? [
          queueEntryEntity.deleteAction(
            { accountId, waitingSince: current.queuedAt!, ticketId },
            { condition: { itemExists: true }, onFail: () => new Conflict('The ticket was taken from the queue meanwhile.') },
          ),
          activityItem(accountId, current.companyId, { kind: 'queue_left', ticketId, waitedMs: waitedSince(current.createdAt) }),
        ]
      : []),
    ...(next.status === 'solved' && current.status !== 'solved' ? [activityItem(accountId, current.companyId, { kind: 'ticket_solved', ticketId })] : []),
  ]);
  await Promise.all([
    assignee && assignee.id !== current.assigneeId ? publishAssigned(accountId, ticketId, assignee) : undefined,
    leavesQueue ? publishQueuePositions(accountId, current.companyId) : undefined,
  ]);
  return next;
}

export async function listMessages(principal: Principal, ticketId: string, page: PageRequest): Promise<Page<TicketMessage>> {
  await visibleTicket(principal, ticketId);
  const messages = await messageEntity.queryPage({ accountId: principal.accountId, ticketId }, page);
  return { ...messages, items: messages.items.map(toMessage) };
}

/** A page of the conversation that fits one live-channel frame (API Gateway's limit is 128 KB). */
const catchUpBytes = 96 * 1024;
const catchUpMessages = 50;

/**
 * The messages after one the caller already has (or all, without `after`), oldest first, as many
 * as fit one live-channel frame (at least one): what a connection missed while it was down. `more`
 * says there are others after these.
 */
export async function messagesAfter(
  principal: Principal,
  ticketId: string,
  after: { createdAt: string; id: string } | undefined,
): Promise<{ ticket: Ticket; messages: TicketMessage[]; more: boolean }> {
  const ticket = toTicket(await visibleTicket(principal, ticketId));
  const page = await messageEntity.queryPage(
    { accountId: principal.accountId, ticketId },
    { limit: catchUpMessages },
    after ? { range: { gt: messageEntity.sortKey(after) } } : {},
  );
  const messages: TicketMessage[] = [];
  let bytes = 0;
  for (const message of page.items.map(toMessage)) {
    bytes += Buffer.byteLength(JSON.stringify(message));
    if (messages.length > 0 && bytes > catchUpBytes) break;
    messages.push(message);
  }
  return { ticket, messages, more: messages.length < page.items.length || page.nextCursor !== null };
}

/** What arrives with a message: the email it came in (threaded under the ticket), and writes that must land with it (a dedup claim). */
export interface MessageOrigin {
  mail?: { messageId: string; spam?: boolean };
  writes?: WriteAction[];
}

/**
 * Adds a message to a ticket, whichever way it came (REST, live channel, email, Teams), and pushes it to
 * every live connection following the ticket. An end user's message on a solved ticket reopens it.
 * Returns the ticket as it now is, and whether the customer saw the message live (then no email).
 */
export async function appendMessage(
  accountId: string,
  ticket: Ticket,
  author: TicketMessage['author'],
  body: string,
  origin: MessageOrigin = {},
): Promise<{ ticket: Ticket; message: TicketMessage; reachedCustomerLive: boolean }> {
  const { mail } = origin;
  const now = new Date().toISOString();
  const message: TicketMessage = { id: newId('msg'), author, body, createdAt: now };
  const reopen = author.type === 'end_user' && (ticket.status === 'solved' || ticket.status === 'pending');
  const next: Ticket = { ...ticket, updatedAt: now, ...(reopen ? { status: 'open' as const } : {}) };
  await transact([
    messageEntity.putAction({ accountId, ticketId: ticket.id, ...message, ...(mail?.spam ? { spam: true } : {}) }),
    ticketEntity.updateAction(
      { accountId, id: ticket.id },
      { set: { updatedAt: now, status: next.status }, ...(mail && { append: { mailThread: [mail.messageId] } }) },
      { condition: { itemExists: true }, onFail: () => new NotFound('The ticket') },
    ),
    ...(origin.writes ?? []),
  ]);
  return { ticket: next, message, reachedCustomerLive: await publishTicketMessage(accountId, ticket.id, message) };
}

/**
 * A ticket staff open for an end user, named by id or by address (found, or created weak with a
 * derived name). An assignee, if given, must be able to work in the company with a service desk seat.
 */
export async function createStaffTicket(principal: StaffPrincipal, actor: Actor, input: CreateTicketInput): Promise<Ticket> {
  await getCompany(principal, input.companyId);
  // Everything that can refuse the ticket is checked before anything is written.
  const assignee = input.assigneeId ? await assignableStaff(principal.accountId, input.assigneeId, input.companyId) : undefined;
  const open = (endUserId: string, writes: WriteAction[] = []) =>
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
  const ticket = input.endUserId
    ? (await open((await getEndUser(principal, input.endUserId)).id)).ticket
    : // A new end user is written in the ticket's own transaction: a refused ticket leaves none behind.
      await withEndUser(actor, { email: input.requesterEmail!, companyId: input.companyId }, async (found) => {
        // An address is no way round company access: an end user the caller cannot see is 404, as by id.
        if (!found.created && !canSeeCompany(principal, found.endUser.companyId)) throw new NotFound('The end user');
        return (await open(found.endUser.id, found.writes)).ticket;
      });
  // The assignee's open console follows the new ticket from now on.
  if (assignee) await publishAssigned(principal.accountId, ticket.id, assignee);
  return ticket;
}
