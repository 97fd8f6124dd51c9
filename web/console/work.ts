import { ApiError } from '../shared/api.ts';
import { field, focusHeading, h, render, uid } from '../shared/dom.ts';
import type { LiveFrame, TicketMessage } from '../shared/live.ts';
import type { Context } from './configure.ts';
import { apiForm, explain, type Page, pagedList } from './session.ts';

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
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
}

export interface WorkContext extends Context {
  live: LiveBus;
}

const ticketLink = (ticket: { id: string; subject: string }) => h('a', { href: `#ticket/${encodeURIComponent(ticket.id)}` }, ticket.subject);

export function queueView(ctx: WorkContext, main: HTMLElement) {
  const result = h('p', { role: 'status' });
  const alert = h('p', { role: 'alert', class: 'error' });
  const claim = h('button', { type: 'button' }, 'Claim next');
  claim.addEventListener('click', async () => {
    result.textContent = '';
    alert.textContent = '';
    claim.disabled = true;
    try {
      const claimed = await ctx.api<{ ticket: Ticket } | undefined>('POST', '/v1/queue/claim');
      if (claimed) location.hash = `#ticket/${encodeURIComponent(claimed.ticket.id)}`;
      else result.textContent = 'Nobody is waiting.';
    } catch (error) {
      alert.textContent =
        error instanceof ApiError && error.code === 'seat_required'
          ? 'Claiming from the queue needs a Service Desk seat: ask an administrator.'
          : explain(error);
    } finally {
      claim.disabled = false;
    }
  });
  const waiting = pagedList<QueueEntry>(
    ctx.api,
    '/v1/queue',
    (entry) =>
      h(
        'li',
        {},
        h('span', { class: 'meta' }, `#${entry.number} `),
        entry.subject,
        h('span', { class: 'meta' }, ` · waiting since ${time(entry.waitingSince)}`),
      ),
    'Nobody is waiting.',
  );
  const id = uid('queue');
  render(main, h('section', { 'aria-labelledby': id }, h('h2', { id }, 'Queue'), claim, result, alert, waiting.element));
}

export function ticketsView(ctx: WorkContext, main: HTMLElement) {
  const tickets = pagedList<Ticket>(
    ctx.api,
    `/v1/tickets?assigneeId=${encodeURIComponent(ctx.me.id)}`,
    (ticket) => h('li', {}, h('span', { class: 'meta' }, `#${ticket.number} `), ticketLink(ticket), h('span', { class: 'meta' }, ` · ${ticket.status}`)),
    'No tickets are assigned to you.',
  );
  const id = uid('tickets');
  render(
    main,
    h('section', { 'aria-labelledby': id }, h('h2', { id }, 'Tickets'), h('p', { class: 'meta' }, 'Assigned to you, newest first.'), tickets.element),
  );
}

/** A ticket with its conversation, kept current over the live channel, and the reply form. */
export function ticketView(ctx: WorkContext, main: HTMLElement, ticketId: string): () => void {
  const log = h('div', { role: 'log', 'aria-label': 'Conversation', class: 'log', 'aria-busy': 'true' });
  const shown = new Set<string>();
  const addMessage = (message: TicketMessage) => {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const mine = message.author.type === 'staff' && message.author.id === ctx.me.id;
    const who = mine ? 'You' : message.author.type === 'staff' ? 'Staff' : 'Customer';
    log.append(h('div', { class: mine ? 'msg mine' : 'msg' }, h('span', { class: 'who' }, `${who}: `), h('span', { class: 'body' }, message.body)));
    log.scrollTop = log.scrollHeight;
  };
  const stop = ctx.live.listen((frame) => {
    if (frame.type === 'message' && frame.ticketId === ticketId) addMessage(frame.message);
  });

  const heading = h('h2', {}, 'Ticket');
  const status = h('p', { class: 'meta' });
  const reply = field({ label: 'Reply', name: 'body', multiline: true, required: true });
  (reply.control as HTMLTextAreaElement).rows = 3;
  const form = h(
    'form',
    { class: 'chat' },
    reply.wrapper,
    h('p', { class: 'error', 'data-error-for': 'body', id: uid('body-error') }),
    h('button', { type: 'submit' }, 'Send reply'),
  );
  apiForm(form, async () => {
    const body = reply.control.value.trim();
    if (!body) return;
    // REST, not the channel: the answer is the message (shown at once) or an error for the form.
    addMessage(await ctx.api<TicketMessage>('POST', `/v1/tickets/${encodeURIComponent(ticketId)}/messages`, { body }));
    reply.control.value = '';
    reply.control.focus();
  });
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
  render(main, h('section', { 'aria-labelledby': id }, heading, status, alert, h('h3', {}, 'Conversation'), log, form));

  void (async () => {
    try {
      const ticket = await ctx.api<Ticket>('GET', `/v1/tickets/${encodeURIComponent(ticketId)}`);
      heading.textContent = `#${ticket.number} ${ticket.subject}`;
      status.textContent = `Status: ${ticket.status}${ticket.assigneeId === ctx.me.id ? ' · assigned to you' : ''}`;
      focusHeading(heading);
      // Staff follow their own tickets by themselves; any other ticket only while it is open here.
      if (ticket.assigneeId !== ctx.me.id) ctx.live.follow(ticketId);
      let cursor: string | null = null;
      do {
        const page: Page<TicketMessage> = await ctx.api<Page<TicketMessage>>(
          'GET',
          `/v1/tickets/${encodeURIComponent(ticketId)}/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        page.items.forEach(addMessage);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      alert.textContent = explain(error);
    }
    log.removeAttribute('aria-busy');
  })();

  return () => {
    stop();
    ctx.live.unfollow(ticketId);
  };
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
