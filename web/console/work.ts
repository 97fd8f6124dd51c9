import { ApiError } from '../shared/api.ts';
import { busyWhile, field, focusHeading, h, insertInOrder, render, uid } from '../shared/dom.ts';
import type { LiveFrame, TicketMessage } from '../shared/live.ts';
import { apiForm, explain } from './forms.ts';
import { locale, t } from './i18n.ts';
import { pagedList, progress, readAll } from './lists.ts';
import type { Context } from './session.ts';

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: 'queued' | 'open' | 'pending' | 'solved' | 'closed';
  channel: 'portal' | 'email' | 'teams' | 'staff';
  assigneeId: string | null;
}

interface QueueEntry {
  ticketId: string;
  number: number;
  subject: string;
  waitingSince: string;
}

/** The live channel as the views use it: frames to whoever listens, and actions to send. */
export interface LiveBus {
  listen: (listener: (frame: LiveFrame) => void) => () => void;
  /** Follows a ticket not assigned to the caller, also across reconnections, until `unfollow`. */
  follow: (ticketId: string) => void;
  unfollow: (ticketId: string) => void;
  /** Asks to be told when the queue of the caller's companies changes (`queue_changed`), also across reconnections; the answer stops it. */
  watchQueue: () => () => void;
  /** Calls back whenever the channel is open again after a drop: what was pushed meanwhile is read again. */
  reconnected: (listener: () => void) => () => void;
}

export interface WorkContext extends Context {
  live: LiveBus;
}

const ticketLink = (ticket: { id: string; subject: string }) => h('a', { href: `#ticket/${encodeURIComponent(ticket.id)}` }, ticket.subject);

export function queueView(ctx: WorkContext, main: HTMLElement): () => void {
  const result = h('p', { role: 'status' });
  const alert = h('p', { role: 'alert', class: 'error' });
  const claim = h('button', { type: 'button' }, t.claimNext);
  const waiting = pagedList<QueueEntry>(
    ctx.api,
    '/v1/queue',
    (entry) =>
      h(
        'li',
        {},
        h('span', { class: 'meta' }, `#${entry.number} `),
        entry.subject,
        h('span', { class: 'meta' }, ` · ${t.waitingSince(time(entry.waitingSince))}`),
      ),
    t.nobodyWaiting,
  );
  claim.addEventListener('click', () =>
    busyWhile(claim, t.claiming, async () => {
      result.textContent = '';
      alert.textContent = '';
      try {
        const claimed = await ctx.api<{ ticket: Ticket } | undefined>('POST', '/v1/queue/claim');
        if (claimed) location.hash = `#ticket/${encodeURIComponent(claimed.ticket.id)}`;
        else {
          result.textContent = t.nobodyWaiting;
          waiting.reload();
        }
      } catch (error) {
        alert.textContent = error instanceof ApiError && error.code === 'seat_required' ? t.claimNeedsSeat : explain(error);
      }
    }),
  );
  const id = uid('queue');
  render(main, h('section', { 'aria-labelledby': id }, h('h2', { id }, t.queue), claim, result, alert, waiting.element));
  // A question entering or leaving the queue, or a dropped connection back: the queue is read again.
  const stopListening = ctx.live.listen((frame) => {
    if (frame.type === 'queue_changed') waiting.refresh();
  });
  const stopWatching = ctx.live.watchQueue();
  const stopReconnected = ctx.live.reconnected(waiting.refresh);
  return () => {
    stopListening();
    stopWatching();
    stopReconnected();
  };
}

export function ticketsView(ctx: WorkContext, main: HTMLElement) {
  const tickets = pagedList<Ticket>(
    ctx.api,
    `/v1/tickets?assigneeId=${encodeURIComponent(ctx.me.id)}`,
    (ticket) =>
      h(
        'li',
        {},
        h('span', { class: 'meta' }, `#${ticket.number} `),
        ticketLink(ticket),
        h('span', { class: 'meta' }, ` · ${t.ticketStatus[ticket.status] ?? ticket.status}`),
      ),
    t.noTickets,
  );
  const id = uid('tickets');
  render(main, h('section', { 'aria-labelledby': id }, h('h2', { id }, t.tickets), h('p', { class: 'meta' }, t.assignedToYou), tickets.element));
}

/** A ticket with its conversation, kept current over the live channel, and the reply form. */
export function ticketView(ctx: WorkContext, main: HTMLElement, ticketId: string): () => void {
  const log = h('div', { role: 'log', 'aria-label': t.conversation, class: 'log', 'aria-busy': 'true' });
  const shown = new Set<string>();
  const addMessage = (message: TicketMessage) => {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const mine = message.author.type === 'staff' && message.author.id === ctx.me.id;
    const who = mine ? t.you : message.author.type === 'staff' ? t.staff : t.customer;
    const entry = h('div', { class: mine ? 'msg mine' : 'msg' }, h('span', { class: 'who' }, `${who}: `), h('span', { class: 'body' }, message.body));
    insertInOrder(log, entry, `${message.createdAt}#${message.id}`);
    log.scrollTop = log.scrollHeight;
  };
  const stop = ctx.live.listen((frame) => {
    if (frame.type === 'message' && frame.ticketId === ticketId) addMessage(frame.message);
  });
  // Messages already shown are skipped: reading again after a dropped connection adds only what was missed.
  const readConversation = async () => (await readAll<TicketMessage>(ctx.api, `/v1/tickets/${encodeURIComponent(ticketId)}/messages`)).forEach(addMessage);
  const stopReconnected = ctx.live.reconnected(() => void readConversation().catch(() => undefined));

  const heading = h('h2', {}, t.ticket);
  const status = h('p', { class: 'meta' });
  const channel = h('p', { class: 'meta' });
  const loading = progress();
  const reply = field({ label: t.reply, name: 'body', multiline: true, required: true });
  (reply.control as HTMLTextAreaElement).rows = 3;
  const form = h(
    'form',
    { class: 'chat' },
    reply.wrapper,
    h('p', { class: 'error', 'data-error-for': 'body', id: uid('body-error') }),
    h('button', { type: 'submit' }, t.sendReply),
  );
  apiForm(
    form,
    async () => {
      const body = reply.control.value.trim();
      if (!body) return;
      // REST, not the channel: the answer is the message (shown at once) or an error for the form.
      addMessage(await ctx.api<TicketMessage>('POST', `/v1/tickets/${encodeURIComponent(ticketId)}/messages`, { body }));
      reply.control.value = '';
      reply.control.focus();
    },
    t.sending,
  );
  // Enter sends, Shift+Enter starts a new line, as in any chat.
  reply.control.addEventListener('keydown', (event) => {
    const key = event as KeyboardEvent;
    if (key.key === 'Enter' && !key.shiftKey && !key.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const alert = h('p', { role: 'alert', class: 'error' });
  const id = uid('ticket');
  heading.id = id;
  render(main, h('section', { 'aria-labelledby': id }, heading, status, channel, loading.element, alert, h('h3', {}, t.conversation), log, form));

  void loading.track(async () => {
    try {
      const ticket = await ctx.api<Ticket>('GET', `/v1/tickets/${encodeURIComponent(ticketId)}`);
      heading.textContent = `#${ticket.number} ${ticket.subject}`;
      status.textContent = t.ticketStatusLine(t.ticketStatus[ticket.status] ?? ticket.status, ticket.assigneeId === ctx.me.id);
      channel.textContent = t.channelLine[ticket.channel] ?? '';
      focusHeading(heading);
      // Staff follow their own tickets by themselves; any other ticket only while it is open here.
      if (ticket.assigneeId !== ctx.me.id) ctx.live.follow(ticketId);
      await readConversation();
    } catch (error) {
      alert.textContent = explain(error);
    }
    log.removeAttribute('aria-busy');
  });

  return () => {
    stop();
    stopReconnected();
    ctx.live.unfollow(ticketId);
  };
}

const time = (iso: string) => new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
