import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addPortal, portalRequest } from '../support/service-desk.js';
import { availableTechnician } from '../support/availability.js';
import { clearOutbox, outboxFor } from '../support/mail.js';
import { openNewerTickets } from '../support/busy-account.js';
import { eventually, LiveClient, refusedUpgrade } from '../support/live.js';
import { connect, publishTicketMessage } from '../../shared/live/live.js';
import { liveConnectionEntity, liveFollowEntity } from '../../shared/live/entities.js';

const api = useApi();

/** A customer's question through the portal: the ticket, the customer's chat token and address. */
async function askThroughPortal(slug: string) {
  const email = `customer-${Math.random().toString(36).slice(2, 8)}@customer.test`;
  const res = await portalRequest(api, slug, email);
  if (res.status !== 201) throw new Error(`portal request: ${res.status}`);
  return { ticket: res.body.ticket, chatToken: res.body.chatToken as string, email };
}

/** A portal with a technician available, and a customer connected live with them. */
async function liveConversation() {
  const account = await signUpAccount(api);
  const { slug } = await addPortal(api, account);
  const tech = await availableTechnician(api, account);
  const technician = await LiveClient.open(api, tech.token);
  const asked = await askThroughPortal(slug);
  const customer = await LiveClient.open(api, asked.chatToken);
  return { account, slug, tech, technician, customer, ...asked };
}

const isMessage = (body: string) => (f: { type: string; message?: unknown }) => f.type === 'message' && (f.message as { body?: string })?.body === body;

const connectionsOf = (accountId: string, kind: 'staff' | 'end_user' | 'chat', id: string) =>
  liveConnectionEntity.queryIndexAll('byPrincipal', { accountId, kind, subjectId: id });

async function queuedPortal(account: SignedUpAccount) {
  const { slug } = await addPortal(api, account);
  return slug;
}

describe('Connecting to the live channel', () => {
  it('refuses a missing or foreign token with HTTP 401 on the upgrade', async () => {
    expect(await refusedUpgrade(api, '')).toBe(401);
    expect(await refusedUpgrade(api, 'not-a-token')).toBe(401);
    expect(await refusedUpgrade(api, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe(401);
  });

  it("refuses a closed ticket's chat token and stores nothing, while an open ticket's token connects", async () => {
    const account = await signUpAccount(api);
    const slug = await queuedPortal(account);
    const closed = await askThroughPortal(slug);
    await api.call('PATCH', `/v1/tickets/${closed.ticket.id}`, { token: account.token, body: { status: 'closed' } });

    expect(await refusedUpgrade(api, closed.chatToken)).toBe(401);
    expect(await connectionsOf(account.accountId, 'chat', closed.ticket.endUserId)).toEqual([]);

    const open = await askThroughPortal(slug);
    const customer = await LiveClient.open(api, open.chatToken);
    expect(await connectionsOf(account.accountId, 'chat', open.ticket.endUserId)).toHaveLength(1);
    await customer.close();
  });

  it('ends a chat that is already connected when its ticket is closed: later frames are refused and add nothing', async () => {
    const account = await signUpAccount(api);
    const asked = await askThroughPortal(await queuedPortal(account));
    const customer = await LiveClient.open(api, asked.chatToken);
    await api.call('PATCH', `/v1/tickets/${asked.ticket.id}`, { token: account.token, body: { status: 'closed' } });

    const refused = await customer.request({ action: 'send', ticketId: asked.ticket.id, body: 'Hello again?' }, 'message');
    expect(refused).toMatchObject({ type: 'error', code: 'unauthenticated' });
    const messages = (await api.call('GET', `/v1/tickets/${asked.ticket.id}/messages`, { token: account.token })).body.items;
    expect(messages.map((m) => m.body)).not.toContain('Hello again?');
    await customer.close();
  });

  it('answers ping with pong', async () => {
    const account = await signUpAccount(api);
    const admin = await LiveClient.open(api, account.token);
    expect(await admin.request({ action: 'ping' }, 'pong')).toEqual({ type: 'pong' });
    await admin.close();
  });

  it('refuses a frame that is not a valid action with validation_failed', async () => {
    const account = await signUpAccount(api);
    const admin = await LiveClient.open(api, account.token);
    expect(await admin.request({ action: 'dance' }, 'error')).toMatchObject({ type: 'error', code: 'validation_failed' });
    admin.socket.send('{not json');
    expect(await admin.next()).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await admin.request({ action: 'send', ticketId: 'tkt_x', body: '' }, 'error')).toMatchObject({ code: 'validation_failed' });
    await admin.close();
  });

  it('forgets a connection when it closes, even abruptly', async () => {
    const account = await signUpAccount(api);
    const admin = await LiveClient.open(api, account.token);
    expect(await connectionsOf(account.accountId, 'staff', account.adminId)).toHaveLength(1);
    admin.socket.terminate();
    await eventually(async () => (await connectionsOf(account.accountId, 'staff', account.adminId)).length === 0);
  });
});

describe('Following tickets', () => {
  it('lets a technician follow a ticket of their companies, and answers not_found for one outside them', async () => {
    const account = await signUpAccount(api);
    const other = await addCompany(api, account);
    const mine = await askThroughPortal(await queuedPortal(account));
    const elsewhere = await askThroughPortal(await queuedPortal({ ...account, defaultCompanyId: other }));
    const tech = await addStaff(api, account);
    const technician = await LiveClient.open(api, tech.token);

    expect(await technician.request({ action: 'follow', ticketId: mine.ticket.id }, 'followed')).toEqual({ type: 'followed', ticketId: mine.ticket.id });
    expect(await technician.request({ action: 'follow', ticketId: elsewhere.ticket.id }, 'followed')).toMatchObject({ type: 'error', code: 'not_found' });
    expect(await technician.request({ action: 'follow', ticketId: 'tkt_unknown' }, 'followed')).toMatchObject({ type: 'error', code: 'not_found' });
    await technician.close();
  });

  it("holds a chat token to its own ticket: another ticket is not_found, even the same customer's", async () => {
    const account = await signUpAccount(api);
    const slug = await queuedPortal(account);
    const first = await askThroughPortal(slug);
    const second = await portalRequest(api, slug, first.email);
    const customer = await LiveClient.open(api, first.chatToken);

    const otherTicket = second.body.ticket.id;
    expect(await customer.request({ action: 'follow', ticketId: otherTicket }, 'followed')).toMatchObject({ type: 'error', code: 'not_found' });
    expect(await customer.request({ action: 'send', ticketId: otherTicket, body: 'Hello?' }, 'message')).toMatchObject({ type: 'error', code: 'not_found' });
    await customer.close();
  });
  it("makes a technician's new connection follow their assigned tickets, however many newer tickets the account has", async () => {
    const account = await signUpAccount(api);
    const tech = await addStaff(api, account, { seats: ['service_desk'] });
    const assigned = await api.call('POST', '/v1/tickets', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, requesterEmail: 'old@x.test', subject: 'Old', description: 'Still open.', assigneeId: tech.id },
    });
    await openNewerTickets(api, account, 101);
    const technician = await LiveClient.open(api, tech.token);

    await api.call('POST', `/v1/tickets/${assigned.body.id}/messages`, { token: account.token, body: { body: 'Any progress?' } });
    expect(await technician.next(isMessage('Any progress?'))).toMatchObject({ ticketId: assigned.body.id });
    await technician.close();
  });
});

describe('A connection gone without a $disconnect', () => {
  it('is removed at the next push to it, and the others still receive the push', async () => {
    const account = await signUpAccount(api);
    const asked = await askThroughPortal(await queuedPortal(account));
    const admin = await LiveClient.open(api, account.token);
    await admin.request({ action: 'follow', ticketId: asked.ticket.id }, 'followed');
    // The customer's connection as API Gateway would leave it when its $disconnect never came: recorded, no socket behind it.
    await connect(asked.chatToken, 'vanished+connection/0=');
    const message = { id: 'msg_live', author: { type: 'staff' as const, id: account.adminId }, body: 'Still there?', createdAt: new Date().toISOString() };

    // Past the handshake's grace period (the handlers run in this process: moving its clock is moving theirs).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    try {
      expect(await publishTicketMessage(account.accountId, asked.ticket.id, message)).toBe(false);
    } finally {
      vi.useRealTimers();
    }

    expect(await admin.next(isMessage('Still there?'))).toMatchObject({ ticketId: asked.ticket.id });
    expect(await liveConnectionEntity.get({ connectionId: 'vanished+connection/0=' }, { consistent: true })).toBeUndefined();
    const followers = await liveFollowEntity.queryAll({ accountId: account.accountId, ticketId: asked.ticket.id }, { consistent: true });
    expect(followers.map((f) => f.audience)).toEqual(['staff']);
    await admin.close();
  });
});

// The tests below need the tickets hooks (publishTicketMessage / publishAssigned / publishQueuePositions
// called from shared/tickets, see the issue-13 live-channel report): until they are wired, they fail.
describe('Messages reach every connection following the ticket (needs the tickets hooks)', () => {
  it('pushes a message added over REST to the customer and the technician', async () => {
    const { technician, customer, ticket, tech } = await liveConversation();
    await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body: 'Unplug it, please.' } });

    for (const client of [customer, technician]) {
      expect(await client.next(isMessage('Unplug it, please.'))).toMatchObject({
        type: 'message',
        ticketId: ticket.id,
        message: { author: { type: 'staff', id: tech.id } },
      });
    }
    await Promise.all([customer.close(), technician.close()]);
  });

  it('adds a message sent over the channel to the ticket, and pushes it to everyone, the sender included', async () => {
    const { technician, customer, ticket, tech } = await liveConversation();
    customer.send({ action: 'send', ticketId: ticket.id, body: 'Done. Now what?' });

    const pushed = await Promise.all([customer, technician].map((c) => c.next(isMessage('Done. Now what?'))));
    expect(pushed[0]).toEqual(pushed[1]);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: tech.token });
    expect(messages.body.items.at(-1)).toEqual(pushed[0]!.message);
    expect(messages.body.items.at(-1)).toMatchObject({ author: { type: 'end_user', id: ticket.endUserId } });
    await Promise.all([customer.close(), technician.close()]);
  });

  it('tells the technician at once that a customer was connected to them', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    const tech = await availableTechnician(api, account);
    const technician = await LiveClient.open(api, tech.token);
    const asked = await askThroughPortal(slug);
    expect(await technician.next((f) => f.type === 'assigned')).toMatchObject({ ticketId: asked.ticket.id, technician: { id: tech.id, firstName: 'Sam' } });
    await technician.close();
  });

  it('emails a staff reply only when the customer is not connected live', async () => {
    const { account, technician, customer, ticket, tech, email } = await liveConversation();
    await clearOutbox(api);
    await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body: 'Pushed, not mailed.' } });
    await customer.next(isMessage('Pushed, not mailed.'));
    expect(await outboxFor(api, email)).toEqual([]);

    await customer.close();
    await eventually(async () => (await connectionsOf(account.accountId, 'chat', ticket.endUserId)).length === 0);
    await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body: 'Mailed now.' } });
    await eventually(async () => (await outboxFor(api, email)).length === 1);
    await technician.close();
  });
});

describe('The queue, live (needs the tickets hooks)', () => {
  it('tells a waiting customer their place as it changes, then who took their ticket', async () => {
    const account = await signUpAccount(api);
    const slug = await queuedPortal(account);
    await askThroughPortal(slug);
    const mine = await askThroughPortal(slug);
    const customer = await LiveClient.open(api, mine.chatToken);
    const tech = await addStaff(api, account);
    await api.call('PUT', `/v1/users/${tech.id}/seats/service_desk`, { token: account.token });

    await api.call('POST', '/v1/queue/claim', { token: tech.token });
    expect(await customer.next((f) => f.type === 'queue')).toEqual({ type: 'queue', ticketId: mine.ticket.id, position: 1 });

    await api.call('POST', '/v1/queue/claim', { token: tech.token });
    expect(await customer.next((f) => f.type === 'assigned')).toEqual({
      type: 'assigned',
      ticketId: mine.ticket.id,
      technician: { id: tech.id, firstName: 'Sam' },
    });
    await customer.close();
  });
});

describe('Staff consoles watching the queue', () => {
  it('are told when a question enters or leaves the queue of a company they can see, and only those', async () => {
    const account = await signUpAccount(api);
    const branch = await addCompany(api, account);
    const slug = await queuedPortal(account);
    const branchSlug = (await addPortal(api, account, branch)).slug;
    const tech = await addStaff(api, account, { companyIds: [account.defaultCompanyId], seats: ['service_desk'] });
    const technicianConsole = await LiveClient.open(api, tech.token);
    expect(await technicianConsole.request({ action: 'watch_queue' }, 'watching_queue')).toEqual({ type: 'watching_queue' });

    await askThroughPortal(branchSlug);
    await askThroughPortal(slug);
    expect(await technicianConsole.next((f) => f.type === 'queue_changed')).toEqual({ type: 'queue_changed', companyId: account.defaultCompanyId });

    await api.call('POST', '/v1/queue/claim', { token: tech.token });
    expect(await technicianConsole.next((f) => f.type === 'queue_changed')).toEqual({ type: 'queue_changed', companyId: account.defaultCompanyId });
    // The branch's question never reached a technicianConsole without access to the branch.
    expect(technicianConsole.unread.filter((f) => f.type === 'queue_changed')).toEqual([]);

    expect(await technicianConsole.request({ action: 'unwatch_queue' }, 'unwatched_queue')).toEqual({ type: 'unwatched_queue' });
    await askThroughPortal(slug);
    const administrator = await LiveClient.open(api, account.token);
    await administrator.request({ action: 'watch_queue' }, 'watching_queue');
    await askThroughPortal(branchSlug);
    expect(await administrator.next((f) => f.type === 'queue_changed')).toEqual({ type: 'queue_changed', companyId: branch });
    expect(technicianConsole.unread.filter((f) => f.type === 'queue_changed')).toEqual([]);
    await Promise.all([technicianConsole.close(), administrator.close()]);
  });

  it('is for staff only: a customer asking to watch it is forbidden', async () => {
    const account = await signUpAccount(api);
    const asked = await askThroughPortal(await queuedPortal(account));
    const customer = await LiveClient.open(api, asked.chatToken);
    expect(await customer.request({ action: 'watch_queue' }, 'watching_queue')).toMatchObject({ type: 'error', code: 'forbidden' });
    await customer.close();
  });
});

describe('Catching up after a dropped connection', () => {
  it('gives a reconnected customer the messages they missed, and who has their ticket now', async () => {
    const { tech, customer, chatToken, ticket } = await liveConversation();
    const [description] = (await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: tech.token })).body.items;
    await customer.close();
    for (const body of ['Are you still there?', 'I will restart the printer remotely.']) {
      await api.call('POST', `/v1/tickets/${ticket.id}/messages`, { token: tech.token, body: { body } });
    }

    const again = await LiveClient.open(api, chatToken);
    const history = await again.request(
      { action: 'history', ticketId: ticket.id, after: { createdAt: description!.createdAt, id: description!.id } },
      'history',
    );
    expect(history).toMatchObject({
      type: 'history',
      ticketId: ticket.id,
      more: false,
      technician: { id: tech.id, firstName: 'Sam' },
      queue: null,
    });
    expect((history.messages as { body: string }[]).map((m) => m.body)).toEqual(['Are you still there?', 'I will restart the printer remotely.']);
    await again.close();
  });

  it('tells a waiting customer their place, and keeps a chat token to its own ticket', async () => {
    const account = await signUpAccount(api);
    const slug = await queuedPortal(account);
    const first = await askThroughPortal(slug);
    const second = await askThroughPortal(slug);
    const customer = await LiveClient.open(api, second.chatToken);
    const history = await customer.request({ action: 'history', ticketId: second.ticket.id }, 'history');
    expect(history).toMatchObject({ technician: null, queue: { position: 2 }, more: false });
    expect((history.messages as unknown[]).length).toBe(1);
    expect(await customer.request({ action: 'history', ticketId: first.ticket.id }, 'history')).toMatchObject({ type: 'error', code: 'not_found' });
    await customer.close();
  });
});
