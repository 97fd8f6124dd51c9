import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { liveFollowEntity } from '../../shared/live/entities.js';
import { connect, disconnect } from '../../shared/live/live.js';
import { measureInProcess, type BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';

type Frame = { type: string } & { [key: string]: unknown };

/** A WebSocket connection to the local live channel, as a browser holds it; frames nobody waits for are dropped. */
class LiveConnection {
  private readonly waiting: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      const waiter = this.waiting.findIndex((w) => w.match(frame));
      if (waiter >= 0) this.waiting.splice(waiter, 1)[0]!.resolve(frame);
    });
  }

  static open(system: BenchSystem, token: string): Promise<LiveConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${system.baseUrl.replace(/^http/, 'ws')}/v1/live?token=${encodeURIComponent(token)}`);
      socket.once('open', () => resolve(new LiveConnection(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`live upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(frame: { [key: string]: unknown }): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The next frame that matches (register before causing it); an error frame fails it. */
  next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('live: no matching frame in time')), timeoutMs);
      this.waiting.push({
        match: (f) => f.type === 'error' || match(f),
        resolve: (f) => {
          clearTimeout(timer);
          if (f.type === 'error') reject(new Error(`live: ${JSON.stringify(f)}`));
          else resolve(f);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

const messageFrame = (body: string) => (f: Frame) => f.type === 'message' && (f.message as { body?: string }).body === body;

/** API Gateway's connection ids: 16 base64 characters. */
const connectionId = () => randomBytes(12).toString('base64');

/**
 * `$connect` as the Lambda runs it (`functions/live.ts` calls `connect` under its own meter), with a
 * fresh connection id; measured in process, since the upgrade runs in the server's context. The
 * connection is then dropped, so it never counts as a follower later.
 */
async function measureConnect(token: string) {
  const id = connectionId();
  const measured = await measureInProcess(() => connect(token, id));
  const followed = (await liveFollowEntity.queryIndexAll('byConnection', { connectionId: id })).length;
  await disconnect(id);
  return { measured, followed };
}

const portalSlug = 'bench-live';

/** A portal request on the live portal, its customer connected by the chat token, followed by `staffConnections` of the token's holder. */
async function liveTicket(system: BenchSystem, token: string, email: string, staffConnections: number) {
  const request = await system.call('POST', `/v1/portals/${portalSlug}/requests`, { body: { email, subject: 'Printer', description: 'It is on fire.' } });
  if (request.status !== 201) throw new Error(`portal request: HTTP ${request.status} ${JSON.stringify(request.body)}`);
  const ticketId = request.body.ticket.id as string;
  const chatToken = request.body.chatToken as string;
  const customer = await LiveConnection.open(system, chatToken);
  const staff = await Promise.all(
    Array.from({ length: staffConnections }, async () => {
      const connection = await LiveConnection.open(system, token);
      const followed = connection.next((f) => f.type === 'followed' && f.ticketId === ticketId);
      connection.send({ action: 'follow', ticketId });
      await followed;
      return connection;
    }),
  );
  return { ticketId, chatToken, customer, staff };
}

/** The live channel: connecting (chat token, staff token) and a REST message pushed to three connections. */
export async function liveScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const token = context.adminToken;
  // A company of its own: the other scenarios spent the bench portal's request limits.
  const company = await system.call('POST', '/v1/companies', { token, body: { name: 'Live' } });
  await system.call('PUT', `/v1/companies/${company.body.id}/portal`, {
    token,
    body: { slug: portalSlug, title: 'Live help', enabled: true, supportEmail: 'live@bench.test' },
  });
  // The customer's chat token connection and the administrator's two tabs.
  const live = await liveTicket(system, token, 'live.customer@customer.test', 2);

  await measureConnect(live.chatToken);
  record("live $connect (portal request's chatToken)", (await measureConnect(live.chatToken)).measured);
  await measureConnect(token);
  const staff = await measureConnect(token);
  record(`live $connect (staff token, follows ${staff.followed} assigned tickets)`, staff.measured);

  const addMessage = async (body: string) => {
    const received = [live.customer, ...live.staff].map((c) => c.next(messageFrame(body)));
    const measured = await system.call('POST', `/v1/tickets/${live.ticketId}/messages`, { token, body: { body } });
    await Promise.all(received);
    return measured;
  };
  await addMessage('Warming up.');
  record('POST /v1/tickets/{id}/messages (pushed to 3 connections)', await addMessage('Have you tried turning it off?'));
  for (const c of [live.customer, ...live.staff]) c.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * End-to-end latency of a live message between two local connections: the customer sends
 * `{"action":"send"}` until the technician's connection receives it as a `message` frame, one
 * message at a time, after a warm-up. Uses the portal `liveScenarios` opened.
 */
export async function liveMessageLatency(system: BenchSystem, context: BenchContext, messages: number) {
  const { ticketId, customer, staff } = await liveTicket(system, context.adminToken, 'latency.customer@customer.test', 1);
  const technician = staff[0]!;
  const sendOne = async (body: string) => {
    const received = technician.next(messageFrame(body));
    const started = performance.now();
    customer.send({ action: 'send', ticketId, body });
    await received;
    return performance.now() - started;
  };
  for (let i = 0; i < 10; i++) await sendOne(`warm-up ${i}`);
  const times: number[] = [];
  for (let i = 0; i < messages; i++) times.push(await sendOne(`message ${i}`));
  customer.close();
  technician.close();
  times.sort((a, b) => a - b);
  return { messages, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]! };
}
