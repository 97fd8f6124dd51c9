import './console.css';
import { ApiError, apiClient, type Call, loadConfig, type PageConfig } from '../shared/api.ts';
import { field, focusHeading, h, render, uid } from '../shared/dom.ts';
import { connectLive, type LiveConnection, type LiveFrame } from '../shared/live.ts';
import { auditView } from './audit.ts';
import { type Context, companiesView, contactsView, myAccountView, portalsView, settingsView, usersView } from './configure.ts';
import { type Api, apiForm, explain, forgetToken, type Me, sessionApi, storedToken, storeToken } from './session.ts';
import { queueView, type Ticket, ticketsView, ticketView, type WorkContext } from './work.ts';

/**
 * The staff console. English for now: the account's `language` setting is for a later step.
 * Views are addressed by the URL's fragment (`#users`, `#ticket/<id>`), so the browser's back
 * button and links work; the token never appears there.
 */
const app = document.getElementById('app')!;

let config: PageConfig;
let call: Call;
/** What the signed-in session holds, and how to end it. */
let session:
  | {
      ctx: WorkContext;
      live: LiveConnection;
      stopView?: (() => void) | undefined;
      renewal?: ReturnType<typeof setInterval> | undefined;
    }
  | undefined;

// `available` lapses after 10 minutes without a renewing PUT: renewed well before while the console is open.
const renewAvailabilityMs = 4 * 60_000;
const availableKey = 'desk-admin.console.available';

const configureEntries = [
  ['users', 'Users'],
  ['companies', 'Companies'],
  ['portals', 'Portals'],
  ['contacts', 'Contacts'],
  ['settings', 'Settings'],
  ['me', 'My account'],
  ['audit', 'Audit trail'],
] as const;
const workEntries = [
  ['tickets', 'Tickets'],
  ['queue', 'Queue'],
] as const;

function signInView(notice?: string) {
  const account = field({ label: 'Account', name: 'account', required: true, autocomplete: 'organization' });
  const email = field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  for (const f of [account, email, password]) f.wrapper.append(h('p', { class: 'error', id: uid('error'), 'data-error-for': f.control.name }));
  const heading = h('h2', {}, 'Sign in');
  const form = h('form', { class: 'panel' }, account.wrapper, email.wrapper, password.wrapper, h('button', { type: 'submit' }, 'Sign in'));
  apiForm(form, async () => {
    const result = await call<{ token: string; user: { role?: string } }>('POST', '/v1/auth/login', {
      body: { account: account.control.value.trim(), email: email.control.value.trim(), password: password.control.value },
    });
    if (result.user.role !== 'administrator' && result.user.role !== 'technician') {
      throw new ApiError(403, 'forbidden', 'The console is for the account’s staff. Customers sign in on their portal page.', []);
    }
    storeToken(result.token);
    await openConsole();
  });
  render(
    app,
    h('header', { class: 'top' }, h('h1', {}, 'Desk Admin console')),
    h('main', { class: 'narrow' }, heading, notice ? h('p', { role: 'status', class: 'notice' }, notice) : null, form),
  );
  account.control.focus();
}

/** Ends the session: the live channel, the availability renewal, the current view, the token. */
function endSession(notice: string) {
  if (session) {
    session.stopView?.();
    session.live.close();
    clearInterval(session.renewal);
  }
  session = undefined;
  forgetToken();
  sessionStorage.removeItem(availableKey);
  signInView(notice);
}

async function openConsole() {
  const api: Api = sessionApi(call, () => {
    if (session || storedToken()) endSession('Your session has ended. Please sign in again.');
  });
  let me: Me;
  try {
    me = await api<Me>('GET', '/v1/me');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) signInView(explain(error));
    return;
  }

  const listeners = new Set<(frame: LiveFrame) => void>();
  const followed = new Set<string>();
  const connect = (token: string) =>
    connectLive(config.liveUrl, token, {
      onFrame: (frame) => {
        for (const listener of listeners) listener(frame);
      },
      onOpen: () => {
        connection.textContent = '';
        for (const ticketId of followed) live.send({ action: 'follow', ticketId });
      },
      onDrop: () => {
        connection.textContent = 'The live connection dropped: reconnecting…';
      },
    });
  const connection = h('p', { role: 'status', class: 'connection' });
  let live = connect(storedToken() ?? '');

  const ctx: WorkContext = {
    api,
    me,
    renewToken: (token) => {
      storeToken(token);
      // Every earlier token ended: the channel reconnects with the new one.
      live.close();
      live = connect(token);
      if (session) session.live = live;
    },
    meChanged: (changed) => {
      ctx.me = changed;
      who.textContent = `${changed.firstName} ${changed.lastName}`;
    },
    live: {
      listen: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      follow: (ticketId) => {
        followed.add(ticketId);
        live.send({ action: 'follow', ticketId });
      },
      unfollow: (ticketId) => {
        if (followed.delete(ticketId)) live.send({ action: 'unfollow', ticketId });
      },
    },
  };
  session = { ctx, live };

  // A customer connected live to this technician (or a ticket given to them): say so wherever they are.
  const notice = h('div', { role: 'status', class: 'notice', id: 'live-notice' });
  // Not about the ticket on screen (one the technician just claimed, say): they already see it.
  const onScreen = (ticketId: string) => location.hash === `#ticket/${encodeURIComponent(ticketId)}`;
  listeners.add((frame) => {
    if (frame.type !== 'assigned' || frame.technician.id !== ctx.me.id || onScreen(frame.ticketId)) return;
    void api<Ticket>('GET', `/v1/tickets/${encodeURIComponent(frame.ticketId)}`).then(
      (ticket) => {
        if (onScreen(ticket.id)) return;
        notice.dataset.ticketId = ticket.id;
        render(
          notice,
          h('p', {}, 'A customer is connected to you: ', h('a', { href: `#ticket/${encodeURIComponent(ticket.id)}` }, ticket.subject)),
          h('button', { type: 'button', class: 'secondary', onclick: () => notice.replaceChildren() }, 'Dismiss'),
        );
      },
      () => undefined,
    );
  });

  const who = h('span', { class: 'who' }, `${me.firstName} ${me.lastName}`);
  const header = h(
    'header',
    { class: 'top' },
    h('h1', {}, 'Desk Admin console'),
    h(
      'div',
      { class: 'account' },
      h('p', {}, 'Signed in as ', who, ` (${me.role === 'administrator' ? 'Administrator' : 'Technician'})`),
      availability(ctx),
      h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'),
    ),
  );
  const navLink = ([view, label]: readonly [string, string]) => h('li', {}, h('a', { href: `#${view}`, 'data-view': view }, label));
  const nav = h(
    'div',
    { class: 'side' },
    h('nav', { 'aria-labelledby': 'nav-work' }, h('h2', { id: 'nav-work' }, 'Work'), h('ul', {}, workEntries.map(navLink))),
    h('nav', { 'aria-labelledby': 'nav-configure' }, h('h2', { id: 'nav-configure' }, 'Configure'), h('ul', {}, configureEntries.map(navLink))),
  );
  const main = h('main', { id: 'view' });
  render(app, header, notice, connection, h('div', { class: 'layout' }, nav, main));
  route();
}

/** The `Available` switch: a checkbox with the switch role, its state kept for the tab's session. */
function availability(ctx: Context): HTMLElement {
  const id = uid('available');
  const box = h('input', { type: 'checkbox', role: 'switch', id });
  const alert = h('p', { role: 'alert', class: 'error' });
  const put = async (available: boolean) => {
    alert.textContent = '';
    try {
      await ctx.api('PUT', '/v1/me/availability', { status: available ? 'available' : 'away' });
      box.checked = available;
      clearInterval(session?.renewal);
      if (available) {
        sessionStorage.setItem(availableKey, 'yes');
        if (session) session.renewal = setInterval(() => void put(true), renewAvailabilityMs);
      } else sessionStorage.removeItem(availableKey);
    } catch (error) {
      box.checked = false;
      sessionStorage.removeItem(availableKey);
      alert.textContent =
        error instanceof ApiError && error.code === 'seat_required' ? 'Being available needs a Remote Support seat: ask an administrator.' : explain(error);
    }
  };
  box.addEventListener('change', () => void put(box.checked));
  // A reload of the tab keeps the technician available.
  if (sessionStorage.getItem(availableKey)) void put(true);
  return h('div', { class: 'switch' }, box, h('label', { for: id }, 'Available'), alert);
}

async function signOut() {
  // Signing out of the console also ends being offered to customers (best effort: the token may be dead).
  if (sessionStorage.getItem(availableKey)) await session?.ctx.api('PUT', '/v1/me/availability', { status: 'away' }).catch(() => undefined);
  endSession('You are signed out.');
}

function route() {
  if (!session) return;
  const main = document.getElementById('view');
  if (!main) return;
  session.stopView?.();
  session.stopView = undefined;
  const [view = 'tickets', param] = location.hash.replace(/^#/, '').split('/');
  const ctx = session.ctx;
  const views: Record<string, () => void> = {
    tickets: () => ticketsView(ctx, main),
    queue: () => queueView(ctx, main),
    users: () => usersView(ctx, main),
    companies: () => companiesView(ctx, main),
    portals: () => portalsView(ctx, main),
    contacts: () => contactsView(ctx, main),
    settings: () => settingsView(ctx, main),
    me: () => myAccountView(ctx, main),
    audit: () => auditView(ctx, main),
  };
  if (view === 'ticket' && param) {
    const ticketId = decodeURIComponent(param);
    const notice = document.getElementById('live-notice');
    if (notice?.dataset.ticketId === ticketId) notice.replaceChildren();
    session.stopView = ticketView(ctx, main, ticketId);
  } else (views[view] ?? views.tickets!)();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = main.querySelector<HTMLElement>('h2');
  if (heading && view !== 'ticket') focusHeading(heading);
}

async function start() {
  try {
    config = await loadConfig();
  } catch {
    render(app, h('p', { role: 'alert', class: 'error' }, 'The console could not be loaded. Please reload the page.'));
    return;
  }
  call = apiClient(config);
  window.addEventListener('hashchange', route);
  if (storedToken()) await openConsole();
  else signInView();
}

void start();
