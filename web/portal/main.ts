import './portal.css';
import { ApiError, apiClient, loadConfig, type Call, type PageConfig } from '../shared/api.ts';
import { field, focusHeading, h, insertInOrder, render } from '../shared/dom.ts';
import { connectLive, type LiveConnection, type LiveFrame, type TicketMessage } from '../shared/live.ts';
import { loadTexts, type Texts } from './i18n.ts';

/** What the server put in the page shell (`shared/pages/shell.ts`): the portal it found. */
interface PortalData {
  slug: string;
  title: string;
  language: string;
}

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: keyof Texts['ticketStatus'];
}

interface PortalRequestResult {
  ticket: Ticket;
  queue: { position: number } | null;
  liveTechnician: { id: string; firstName: string } | null;
  chatToken: string;
}

interface Session {
  token: string;
  email: string;
}

const portal = JSON.parse(document.getElementById('portal-data')!.textContent!) as PortalData;
const app = document.getElementById('app')!;

let t: Texts;
let config: PageConfig;
let call: Call;
let session: Session | undefined;
let live: LiveConnection | undefined;

/** An error as a sentence for the customer; field problems also mark their fields. */
function explain(error: unknown, form?: HTMLFormElement): string {
  if (!(error instanceof ApiError)) return t.failed;
  if (error.status === 429) return t.tooMany;
  if (error.status === 400 && form) {
    for (const detail of error.details) form.querySelector(`[name="${detail.path.split('.')[0]}"]`)?.setAttribute('aria-invalid', 'true');
    return t.checkFields;
  }
  return t.failed;
}

/** A form whose submit button says it is busy and whose failure is announced in an alert. */
function busyForm(form: HTMLFormElement, button: HTMLButtonElement, idleLabel: string, run: () => Promise<void>, failure: (e: unknown) => string) {
  const alert = h('p', { role: 'alert', class: 'error' });
  form.append(alert);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    button.disabled = true;
    button.textContent = t.sending;
    try {
      await run();
    } catch (error) {
      alert.textContent = failure(error);
      button.disabled = false;
      button.textContent = idleLabel;
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  });
}

function askView() {
  live?.close();
  const heading = h('h2', {}, t.askHeading);
  const email = field({ label: t.email, name: 'email', type: 'email', required: true, autocomplete: 'email', value: session?.email });
  const name = field({ label: t.name, name: 'name', autocomplete: 'name', hint: t.nameHint, maxlength: 200 });
  const subject = field({ label: t.subject, name: 'subject', required: true, maxlength: 200 });
  const description = field({ label: t.description, name: 'description', multiline: true, required: true });
  const send = h('button', { type: 'submit' }, t.send);
  const form = h('form', { novalidate: true }, email.wrapper, name.wrapper, subject.wrapper, description.wrapper, send);
  busyForm(
    form,
    send,
    t.send,
    async () => {
      const body = {
        email: email.control.value.trim(),
        subject: subject.control.value.trim(),
        description: description.control.value,
        ...(name.control.value.trim() ? { name: name.control.value.trim() } : {}),
      };
      const result = await call<PortalRequestResult>('POST', `/v1/portals/${encodeURIComponent(portal.slug)}/requests`, { body });
      ticketView(result.ticket, {
        token: result.chatToken,
        queue: result.queue,
        technician: result.liveTechnician,
        messages: [{ id: 'description', author: { type: 'end_user', id: result.ticket.id }, body: body.description, createdAt: new Date().toISOString() }],
      });
    },
    (error) => explain(error, form),
  );

  const account = session
    ? h('div', { class: 'account' }, h('p', {}, t.signedInAs(session.email)), h('button', { type: 'button', class: 'link', onclick: signOut }, t.signOut))
    : h('div', { class: 'account' }, h('button', { type: 'button', class: 'link', onclick: signInView }, t.signIn));
  const tickets = session ? myTicketsSection(session) : null;
  render(app, account, tickets, h('section', { 'aria-labelledby': 'ask' }, Object.assign(heading, { id: 'ask' }), h('p', {}, t.intro), form));
  return heading;
}

function myTicketsSection(current: Session): HTMLElement {
  const list = h('ul', { class: 'tickets', 'aria-busy': 'true' });
  const section = h('section', { 'aria-labelledby': 'my-tickets' }, h('h2', { id: 'my-tickets' }, t.myTickets), list);
  call<{ items: Ticket[] }>('GET', '/v1/tickets', { token: current.token }).then(
    ({ items }) => {
      list.removeAttribute('aria-busy');
      if (!items.length) return render(list, h('li', {}, t.noTickets));
      render(
        list,
        items.map((ticket) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'link', onclick: () => openTicket(ticket, current).catch(() => list.append(h('li', { role: 'alert' }, t.failed))) },
              `#${ticket.number} ${ticket.subject}`,
            ),
            ' ',
            h('span', { class: 'status' }, t.ticketStatus[ticket.status] ?? ticket.status),
          ),
        ),
      );
    },
    () => render(list, h('li', { role: 'alert' }, t.failed)),
  );
  return section;
}

async function openTicket(ticket: Ticket, current: Session) {
  const { items } = await call<{ items: TicketMessage[] }>('GET', `/v1/tickets/${encodeURIComponent(ticket.id)}/messages?limit=100`, { token: current.token });
  ticketView(ticket, { token: current.token, queue: null, technician: null, messages: items, follow: true });
}

function signInView() {
  const heading = h('h2', {}, t.signInHeading);
  const email = field({ label: t.email, name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = field({ label: t.password, name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit' }, t.signIn);
  const form = h('form', { novalidate: true }, email.wrapper, password.wrapper, submit);
  busyForm(
    form,
    submit,
    t.signIn,
    async () => {
      const result = await call<{ token: string; user?: { email?: string } }>('POST', `/v1/portals/${encodeURIComponent(portal.slug)}/login`, {
        body: { email: email.control.value.trim(), password: password.control.value },
      });
      session = { token: result.token, email: result.user?.email ?? email.control.value.trim() };
      focusHeading(askView());
    },
    (error) => (error instanceof ApiError && (error.status === 401 || error.status === 400) ? t.signInFailed : explain(error)),
  );
  render(app, h('section', {}, heading, form, h('button', { type: 'button', class: 'link', onclick: () => focusHeading(askView()) }, t.back)));
  focusHeading(heading);
}

function signOut() {
  session = undefined;
  focusHeading(askView());
}

/**
 * A ticket with its live conversation: the place in the queue or the technician, kept current by
 * the live channel, and a chat whose messages are the ticket's messages.
 */
function ticketView(
  ticket: Ticket,
  state: {
    token: string;
    queue: { position: number } | null;
    technician: { id: string; firstName: string } | null;
    messages: TicketMessage[];
    follow?: boolean;
  },
) {
  live?.close();
  const heading = h('h2', {}, t.ticket(ticket.number));
  // Polite live region: a screen reader hears the new place in the queue, or who has joined.
  const place = h('p', { role: 'status', class: 'place' });
  const note = h('p', { class: 'note' }, t.waitingNote);
  const connection = h('p', { role: 'status', class: 'connection' });
  let technician = state.technician;
  const showPlace = (position: number | undefined) => {
    if (technician) {
      place.textContent = t.connectedWith(technician.firstName);
      note.hidden = true;
    } else if (position !== undefined) place.textContent = t.queuePlace(position);
    else place.textContent = t.ticketStatus[ticket.status] ?? '';
  };
  showPlace(state.queue?.position);

  const log = h('div', { role: 'log', 'aria-label': t.conversation, class: 'log' });
  const shown = new Set<string>();
  // The newest message on screen: after a (re)connection the page asks for what came after it.
  let last: Pick<TicketMessage, 'createdAt' | 'id'> | undefined;
  const catchUp = () => live?.send({ action: 'history', ticketId: ticket.id, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
  const addMessage = (message: TicketMessage) => {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    if (!last || `${message.createdAt}#${message.id}` > `${last.createdAt}#${last.id}`) last = message;
    const mine = message.author.type === 'end_user';
    const who = mine ? t.you : message.author.id === technician?.id ? technician.firstName : t.technician;
    const entry = h('div', { class: mine ? 'msg mine' : 'msg' }, h('span', { class: 'who' }, `${who}: `), h('span', { class: 'body' }, message.body));
    insertInOrder(log, entry, `${message.createdAt}#${message.id}`);
    log.scrollTop = log.scrollHeight;
  };
  state.messages.forEach(addMessage);

  const messageField = field({ label: t.message, name: 'message', multiline: true, required: true });
  const textarea = messageField.control as HTMLTextAreaElement;
  textarea.rows = 2;
  const sendButton = h('button', { type: 'submit' }, t.sendMessage);
  const alert = h('p', { role: 'alert', class: 'error' });
  let sending = false;
  const chatForm = h('form', { class: 'chat', novalidate: true }, messageField.wrapper, sendButton, alert);
  chatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) return;
    alert.textContent = '';
    if (!live?.send({ action: 'send', ticketId: ticket.id, body })) {
      alert.textContent = t.offline;
      return;
    }
    sending = true;
    textarea.value = '';
    textarea.focus();
  });
  // Enter sends, Shift+Enter starts a new line, as in any chat.
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      chatForm.requestSubmit();
    }
  });

  const onFrame = (frame: LiveFrame) => {
    if ('ticketId' in frame && frame.ticketId !== ticket.id) return;
    if (frame.type === 'message') {
      sending = false;
      addMessage(frame.message);
    } else if (frame.type === 'history') {
      frame.messages.forEach(addMessage);
      technician = frame.technician ?? technician;
      showPlace(frame.queue?.position);
      if (frame.more) catchUp();
    } else if (frame.type === 'queue') showPlace(frame.position);
    else if (frame.type === 'assigned') {
      technician = frame.technician;
      showPlace(undefined);
    } else if (frame.type === 'error' && sending) {
      sending = false;
      alert.textContent = frame.message || t.failed;
    }
  };
  live = connectLive(config.liveUrl, state.token, {
    onFrame,
    onOpen: () => {
      connection.textContent = '';
      if (state.follow) live?.send({ action: 'follow', ticketId: ticket.id });
      // Whatever was said or changed while the page was not connected (a phone asleep, a network change).
      catchUp();
    },
    onDrop: () => {
      connection.textContent = t.offline;
    },
  });

  render(
    app,
    h(
      'section',
      { 'aria-labelledby': 'ticket' },
      Object.assign(heading, { id: 'ticket' }),
      h('p', { class: 'subject' }, ticket.subject),
      place,
      note,
      connection,
      h('h3', {}, t.conversation),
      log,
      chatForm,
    ),
    h('button', { type: 'button', class: 'link', onclick: () => focusHeading(askView()) }, t.newQuestion),
  );
  focusHeading(heading);
}

async function start() {
  document.documentElement.lang = portal.language;
  try {
    // Both at once: the words in the portal's language, and where the API is.
    [t, config] = await Promise.all([loadTexts(portal.language), loadConfig()]);
  } catch {
    render(app, h('p', { role: 'alert', class: 'error' }, 'The page could not be loaded. Please reload it.'));
    return;
  }
  call = apiClient(config);
  askView();
}

void start();
