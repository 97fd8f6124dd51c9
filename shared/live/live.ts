import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { decodeJwt } from 'jose';
import * as z from 'zod';
import { config } from '../config.js';
import { conditionHeld } from '../db/entity.js';
import { AppError, Forbidden, NotFound, Unauthenticated, ValidationFailed, type ErrorDetail } from '../errors.js';
import { logger } from '../logger.js';
import { resolveChatToken } from '../auth/chat-tokens.js';
import { loadPrincipal, type Principal } from '../auth/principal.js';
import { companiesVisibleTo } from '../companies/access.js';
import { verifyToken } from '../auth/tokens.js';
import { getEndUserRecord, toEndUser } from '../end-users/end-users.js';
import { zodDetails } from '../http/validation.js';
import { addMessage } from '../tickets/conversation.js';
import { queueEntryEntity } from '../tickets/entities.js';
import { addMessageBody } from '../tickets/schema.js';
import { getTicket, getTicketRecord, listTickets, messagesAfter, type Ticket, type TicketMessage } from '../tickets/tickets.js';
import { queuePosition } from '../tickets/queue.js';
import { getUserRecord } from '../users/users.js';
import { liveConnectionEntity, liveFollowEntity, type LiveConnectionRecord, type LiveFollowRecord, type LivePrincipal } from './entities.js';

/** API Gateway ends a WebSocket connection after 2 hours at the latest; its items expire with it. */
export const connectionLifetimeSeconds = 2 * 3600;

/**
 * A post to a connection still in its handshake (its `$connect` not yet answered) is refused as gone
 * too: a connection younger than this is not removed for a 410.
 */
const handshakeGraceSeconds = 30;

/** How many of a person's newest tickets a connection follows on connect: bounded, one Query. */
const followedOnConnect = 100;

export interface Technician {
  id: string;
  firstName: string;
}

/** What the server sends down a connection (api.md "Live channel"). */
export type ServerFrame =
  | { type: 'message'; ticketId: string; message: TicketMessage }
  | { type: 'queue'; ticketId: string; position: number }
  | { type: 'assigned'; ticketId: string; technician: Technician }
  | { type: 'followed' | 'unfollowed'; ticketId: string }
  /** To staff watching the queue: a ticket entered or left this company's queue (read it again). */
  | { type: 'queue_changed'; companyId: string }
  | { type: 'watching_queue' | 'unwatched_queue' }
  /** What a connection missed while it was down (answer to `history`), and where the ticket stands now. */
  | {
      type: 'history';
      ticketId: string;
      messages: TicketMessage[];
      more: boolean;
      technician: Technician | null;
      queue: { position: number } | null;
    }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; details: ErrorDetail[] };

const ticketId = z.string().min(1).max(128);

const clientFrame = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('ping') }),
  addMessageBody.extend({ action: z.literal('send'), ticketId }),
  z.strictObject({ action: z.literal('follow'), ticketId }),
  z.strictObject({ action: z.literal('unfollow'), ticketId }),
  z.strictObject({
    action: z.literal('history'),
    ticketId,
    after: z.strictObject({ createdAt: z.iso.datetime(), id: z.string().min(1).max(128) }).optional(),
  }),
  z.strictObject({ action: z.literal('watch_queue') }),
  z.strictObject({ action: z.literal('unwatch_queue') }),
]);

type ClientFrame = z.infer<typeof clientFrame>;

const secondsNow = () => Math.floor(Date.now() / 1000);

let client: ApiGatewayManagementApiClient | undefined;

/** The `@connections` API of the WebSocket stage (locally the local server's own), created on first use. */
function managementApi(): ApiGatewayManagementApiClient {
  if (!config.LIVE_CONNECTIONS_ENDPOINT) throw new Error('LIVE_CONNECTIONS_ENDPOINT is not configured');
  client ??= new ApiGatewayManagementApiClient({ region: config.AWS_REGION, endpoint: config.LIVE_CONNECTIONS_ENDPOINT });
  return client;
}

// --- connecting ---------------------------------------------------------------------------------

interface Holder {
  accountId: string;
  principal: LivePrincipal;
  /** Seconds since the epoch when the token stops being valid. */
  authorityEndsAt: number;
  /** The tickets the connection follows from the start. */
  tickets: Ticket[];
}

const open = (tickets: Ticket[]) => tickets.filter((t) => t.status !== 'closed');

/**
 * Who a token names, for the live channel: a staff member's or an end user's API token (loaded fresh,
 * as the API does), or a portal request's chat token for its ticket. Anything else is refused.
 */
async function holderOf(token: string | undefined): Promise<Holder> {
  if (!token) throw new Unauthenticated();
  const authorityEndsAt = tokenExpiry(token);
  const claims = await verifyToken(token).catch((err: unknown) => {
    if (err instanceof Unauthenticated) return undefined;
    throw err;
  });
  if (!claims) {
    const chat = await resolveChatToken(token);
    const ticket = await getTicketRecord(chat.accountId, chat.ticketId, true);
    if (!ticket) throw new Unauthenticated('The token is not valid.');
    return { accountId: chat.accountId, principal: { kind: 'chat', subjectId: chat.endUserId, ticketId: chat.ticketId }, authorityEndsAt, tickets: [ticket] };
  }
  const principal = await loadPrincipal(claims);
  if (!principal || principal.role === 'integration') throw new Unauthenticated('The token is no longer valid.');
  const { accountId, id } = principal;
  const { credentialsVersion } = claims;
  // A customer follows their own open tickets; staff the ones assigned to them (the newest, bounded).
  if (principal.role === 'end_user') {
    const tickets = await listTickets(principal, { limit: followedOnConnect });
    return { accountId, principal: { kind: 'end_user', subjectId: id, credentialsVersion }, authorityEndsAt, tickets: open(tickets.items) };
  }
  const tickets = await listTickets(principal, { limit: followedOnConnect, assigneeId: id });
  return { accountId, principal: { kind: 'staff', subjectId: id, credentialsVersion }, authorityEndsAt, tickets: open(tickets.items) };
}

/** When a token stops being valid (read before it is verified, which `holderOf` then does); no JWT at all is refused. */
function tokenExpiry(token: string): number {
  try {
    return decodeJwt(token).exp ?? 0;
  } catch {
    throw new Unauthenticated('The token is not valid.');
  }
}

const audienceOf = (principal: LivePrincipal): LiveFollowRecord['audience'] => (principal.kind === 'staff' ? 'staff' : 'customer');

function followItem(connection: LiveConnectionRecord, ticket: Ticket): LiveFollowRecord {
  const audience = audienceOf(connection);
  return {
    accountId: connection.accountId,
    ticketId: ticket.id,
    connectionId: connection.connectionId,
    audience,
    // A waiting customer is told their place as the queue moves.
    ...(audience === 'customer' && ticket.status === 'queued' ? { waitingCompanyId: ticket.companyId } : {}),
  };
}

const follow = (connection: LiveConnectionRecord, ticket: Ticket) => liveFollowEntity.put(followItem(connection, ticket), { expiresAt: connection.endsAt });

/**
 * `$connect`: the token decides who is connecting; a refused token throws `Unauthenticated` and
 * stores nothing. The connection then follows its tickets (see `holderOf`).
 */
export async function connect(token: string | undefined, connectionId: string): Promise<void> {
  const holder = await holderOf(token);
  const connection: LiveConnectionRecord = {
    connectionId,
    ...holder.principal,
    accountId: holder.accountId,
    connectedAt: new Date().toISOString(),
    authorityEndsAt: holder.authorityEndsAt,
    endsAt: secondsNow() + connectionLifetimeSeconds,
  };
  await liveConnectionEntity.put(connection, { ifNew: true, expiresAt: connection.endsAt });
  await Promise.all(holder.tickets.map((ticket) => follow(connection, ticket)));
}

/** `$disconnect`, or a connection found gone: its item and its follows go. */
export async function disconnect(connectionId: string): Promise<void> {
  await Promise.all([liveConnectionEntity.delete({ connectionId }), dropFollows(connectionId)]);
}

async function dropFollows(connectionId: string): Promise<void> {
  const follows = await liveFollowEntity.queryIndexAll('byConnection', { connectionId });
  await Promise.all(follows.map((f) => liveFollowEntity.delete(f)));
}

// --- frames from a connection -------------------------------------------------------------------

function parseFrame(body: string | undefined): ClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    throw new ValidationFailed('The frame is not JSON.');
  }
  const parsed = clientFrame.safeParse(json);
  if (!parsed.success) throw new ValidationFailed('The frame is not valid.', zodDetails(parsed.error));
  return parsed.data;
}

/** The connection's holder as the API would load them for a request: fresh, so a changed role or password counts at once. */
async function principalOf(connection: LiveConnectionRecord | undefined): Promise<{ connection: LiveConnectionRecord; principal: Principal }> {
  if (!connection || connection.authorityEndsAt <= secondsNow()) throw new Unauthenticated('The connection is no longer signed in.');
  const { accountId } = connection;
  if (connection.kind === 'chat') {
    // A chat token ends with its ticket's closing (api.md): also for a connection opened before.
    const [record, ticket] = await Promise.all([getEndUserRecord(accountId, connection.subjectId), getTicketRecord(accountId, connection.ticketId)]);
    if (!record) throw new Unauthenticated('The token is no longer valid.');
    if (!ticket || ticket.status === 'closed') throw new Unauthenticated('The chat has ended: the ticket is closed.');
    return { connection, principal: { accountId, id: record.id, role: 'end_user', profile: toEndUser(record) } };
  }
  const loaded = await loadPrincipal({
    accountId,
    subjectId: connection.subjectId,
    // Staff roles come from the user's record; the claim only says which kind of record.
    role: connection.kind === 'staff' ? 'technician' : 'end_user',
    credentialsVersion: connection.credentialsVersion,
  });
  if (!loaded) throw new Unauthenticated('The token is no longer valid.');
  return { connection, principal: loaded };
}

async function perform(connectionId: string, frame: Exclude<ClientFrame, { action: 'ping' }>): Promise<ServerFrame | undefined> {
  const { connection, principal } = await principalOf(await liveConnectionEntity.get({ connectionId }, { consistent: true }));
  if (frame.action === 'watch_queue' || frame.action === 'unwatch_queue') return watchQueue(connection, principal, frame.action === 'watch_queue');
  // A chat token is valid for its ticket only.
  if (connection.kind === 'chat' && frame.ticketId !== connection.ticketId) throw new NotFound('The ticket');
  switch (frame.action) {
    case 'send':
      // Exactly the REST operation: its rules, its push to every follower (this connection too).
      await addMessage(principal, frame.ticketId, frame.body);
      return undefined;
    case 'follow':
      await follow(connection, await getTicket(principal, frame.ticketId));
      return { type: 'followed', ticketId: frame.ticketId };
    case 'history':
      return catchUp(principal, frame.ticketId, frame.after);
    case 'unfollow':
      await liveFollowEntity.delete({ accountId: connection.accountId, ticketId: frame.ticketId, connectionId });
      return { type: 'unfollowed', ticketId: frame.ticketId };
  }
}

/**
 * A reconnected page catches up: the messages after its last one, and who has the ticket now or
 * its place in the queue (the `assigned` and `queue` frames it may have missed).
 */
async function catchUp(principal: Principal, ticketId: string, after: { createdAt: string; id: string } | undefined): Promise<ServerFrame> {
  const { ticket, messages, more } = await messagesAfter(principal, ticketId, after);
  const [assignee, position] = await Promise.all([
    ticket.assigneeId ? getUserRecord(principal.accountId, ticket.assigneeId) : undefined,
    ticket.status === 'queued' ? queuePosition(principal.accountId, ticket) : undefined,
  ]);
  return {
    type: 'history',
    ticketId,
    messages,
    more,
    technician: assignee ? { id: assignee.id, firstName: assignee.firstName } : null,
    queue: position ? { position } : null,
  };
}

/**
 * A staff console starts or stops watching the queue of the companies its holder may see now. The
 * frames it then gets name only a company whose queue moved; the console reads the queue through
 * the API, which applies the holder's access as it is at that moment.
 */
async function watchQueue(connection: LiveConnectionRecord, principal: Principal, watch: boolean): Promise<ServerFrame> {
  if (principal.role === 'end_user') throw new Forbidden('Only staff watch the queue.');
  const key = { connectionId: connection.connectionId };
  if (watch) {
    const watchesQueue = companiesVisibleTo(principal);
    await liveConnectionEntity.update(
      key,
      { set: { watchesQueue } },
      { indexes: { queueWatchers: { accountId: connection.accountId, connectionId: connection.connectionId } }, condition: { itemExists: true } },
    );
    return { type: 'watching_queue' };
  }
  await liveConnectionEntity.update(key, { set: { watchesQueue: undefined } }, { indexes: { queueWatchers: null }, condition: { itemExists: true } });
  return { type: 'unwatched_queue' };
}

/**
 * `$default`: one frame from a connection; answers the frame to send back, if any. A refused frame
 * is answered with the contract's error code, like the API's error body.
 */
export async function receiveFrame(connectionId: string, body: string | undefined): Promise<ServerFrame | undefined> {
  try {
    const frame = parseFrame(body);
    if (frame.action === 'ping') return { type: 'pong' };
    return await perform(connectionId, frame);
  } catch (err) {
    if (err instanceof AppError) return { type: 'error', code: err.code, message: err.message, details: err.details };
    logger.error('live frame failed', { connectionId, error: (err as Error).message });
    return { type: 'error', code: 'internal_error', message: 'The frame could not be handled.', details: [] };
  }
}

// --- pushes -------------------------------------------------------------------------------------

/**
 * Posts a frame to one connection; false when it did not arrive. A connection API Gateway reports
 * gone (410: closed without a `$disconnect` reaching us) is removed, unless it is still in its handshake.
 */
async function post(connectionId: string, frame: ServerFrame): Promise<boolean> {
  try {
    await managementApi().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }));
    return true;
  } catch (err) {
    if ((err as Error).name !== 'GoneException') {
      logger.warn('live push failed', { connectionId, error: (err as Error).message });
      return false;
    }
    const settled = new Date((secondsNow() - handshakeGraceSeconds) * 1000).toISOString();
    const removed = liveConnectionEntity.delete({ connectionId }, { condition: { or: [{ itemExists: false }, { path: 'connectedAt', lt: settled }] } });
    if (await conditionHeld(removed)) await dropFollows(connectionId);
    return false;
  }
}

/** A customer's follow of a ticket that no longer waits: off the company's waiting list. */
async function stopWaiting(f: LiveFollowRecord): Promise<void> {
  await conditionHeld(liveFollowEntity.update(f, { set: { waitingCompanyId: undefined } }, { indexes: { waiting: null }, condition: { itemExists: true } }));
}

/**
 * A push must never fail the change that caused it (the message is stored, the ticket assigned): a
 * failure is logged and counts as not delivered.
 */
async function bestEffort<T>(what: string, push: () => Promise<T>, otherwise: T): Promise<T> {
  try {
    return await push();
  } catch (err) {
    logger.error(`live ${what} push failed`, { error: (err as Error).message });
    return otherwise;
  }
}

/**
 * A new message of a ticket, to every connection following it (one Query of its followers), the
 * sender's included. Answers whether a customer's connection received it: then a staff reply need
 * not be emailed.
 */
export function publishTicketMessage(accountId: string, ticketId: string, message: TicketMessage): Promise<boolean> {
  return bestEffort(
    'message',
    async () => {
      const followers = await liveFollowEntity.queryAll({ accountId, ticketId }, { consistent: true });
      const frame: ServerFrame = { type: 'message', ticketId, message };
      const received = await Promise.all(followers.map(async (f) => (await post(f.connectionId, frame)) && f.audience === 'customer'));
      return received.includes(true);
    },
    false,
  );
}

/**
 * A technician took or was given a ticket: the technician's connections follow it from now on, and
 * everyone following it (the waiting customer, the technician) is told who has it. Its customers no
 * longer wait in the queue.
 */
export function publishAssigned(accountId: string, ticketId: string, technician: Technician): Promise<void> {
  return bestEffort(
    'assigned',
    async () => {
      const [connections, followers] = await Promise.all([
        liveConnectionEntity.queryIndexAll('byPrincipal', { accountId, kind: 'staff', subjectId: technician.id }),
        liveFollowEntity.queryAll({ accountId, ticketId }, { consistent: true }),
      ]);
      const following = new Set(followers.map((f) => f.connectionId));
      const joining = connections.filter((c) => !following.has(c.connectionId));
      await Promise.all([
        ...joining.map((c) => liveFollowEntity.put({ accountId, ticketId, connectionId: c.connectionId, audience: 'staff' }, { expiresAt: c.endsAt })),
        ...followers.filter((f) => f.waitingCompanyId !== undefined).map(stopWaiting),
      ]);
      const frame: ServerFrame = { type: 'assigned', ticketId, technician: { id: technician.id, firstName: technician.firstName } };
      await Promise.all([...following, ...joining.map((c) => c.connectionId)].map((id) => post(id, frame)));
    },
    undefined,
  );
}

/** A ticket entered or left the company's queue: the consoles watching it (one Query) read it again. */
export function publishQueueChanged(accountId: string, companyId: string): Promise<void> {
  return bestEffort(
    'queue change',
    async () => {
      const watchers = await liveConnectionEntity.queryIndexAll('queueWatchers', { accountId });
      const frame: ServerFrame = { type: 'queue_changed', companyId };
      await Promise.all(watchers.filter((w) => w.watchesQueue === 'all' || w.watchesQueue?.includes(companyId)).map((w) => post(w.connectionId, frame)));
    },
    undefined,
  );
}

/**
 * A ticket left the company's queue: each connected customer still waiting is told their place
 * (1 = next), and the consoles watching the queue are told it changed. One Query of the company's
 * queue and one of its waiting customers; followers whose ticket left the queue come off the
 * waiting list.
 */
export function publishQueuePositions(accountId: string, companyId: string): Promise<void> {
  return bestEffort(
    'queue',
    async () => {
      const [queue, waiting] = await Promise.all([
        queueEntryEntity.queryIndexAll('byCompany', { accountId, companyId }),
        liveFollowEntity.queryIndexAll('waiting', { accountId, waitingCompanyId: companyId }),
        publishQueueChanged(accountId, companyId),
      ]);
      const positions = new Map(queue.map((entry, index) => [entry.ticketId, index + 1]));
      await Promise.all(
        waiting.map((f) => {
          const position = positions.get(f.ticketId);
          return position ? post(f.connectionId, { type: 'queue', ticketId: f.ticketId, position }) : stopWaiting(f);
        }),
      );
    },
    undefined,
  );
}
