import './console.css';
import { ApiError, apiClient, type Call, loadConfig, type PageConfig } from '../shared/api.ts';
import { busyWhile, focusHeading, h, render, uid } from '../shared/dom.ts';
import { preferredLanguage } from '../shared/languages.ts';
import { connectLive, type LiveConnection, type LiveFrame } from '../shared/live.ts';
import { auditView } from './audit.ts';
import { companiesView, fullName, myAccountView, portalsView, usersView } from './configure.ts';
import { contactsView } from './contacts.ts';
import { devicesView } from './devices.ts';
import { apiField, apiForm, explain, Refusal } from './forms.ts';
import { speak, t } from './i18n.ts';
import { type Api, forgetToken, type Me, sessionApi, storedToken, storeToken } from './session.ts';
import { settingsView } from './settings.ts';
import { queueView, type Ticket, ticketsView, ticketView, type WorkContext } from './work.ts';

/**
 * The staff console, in the account's language (the browser's until someone signs in). Views are
 * addressed by the URL's fragment (`#users`, `#devices/<companyId>`, `#ticket/<id>`), so the
 * browser's back button and links work; the token never appears there.
 */
const app = document.getElementById('app')!;

let config: PageConfig;
let call: Call;
/** What the signed-in session holds, and how to end it. */
let session:
  | {
      ctx: WorkContext;
      live: LiveConnection;
      /** The live-customer notice and the connection's state: they outlive a redraw of the page. */
      notice: HTMLElement;
      connection: HTMLElement;
      stopView?: (() => void) | undefined;
      renewal?: ReturnType<typeof setInterval> | undefined;
    }
  | undefined;

// `available` lapses after 10 minutes without a renewing PUT: renewed well before while the console is open.
const renewAvailabilityMs = 4 * 60_000;
const availableKey = 'desk-admin.console.available';

const configureEntries = ['users', 'companies', 'devices', 'portals', 'contacts', 'settings', 'me', 'audit'] as const;
const workEntries = ['tickets', 'queue'] as const;
type Entry = (typeof configureEntries)[number] | (typeof workEntries)[number];

const entryName = (entry: Entry) =>
  ({
    users: t.users,
    companies: t.companies,
    devices: t.devices,
    portals: t.portals,
    contacts: t.contacts,
    settings: t.settings,
    me: t.myAccount,
    audit: t.auditTrail,
    tickets: t.tickets,
    queue: t.queue,
  })[entry];

function signInView(notice?: string) {
  const account = apiField({ label: t.account, name: 'account', required: true, autocomplete: 'organization' });
  const email = apiField({ label: t.email, name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = apiField({ label: t.password, name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const heading = h('h2', {}, t.signIn);
  const form = h('form', { class: 'panel' }, account.wrapper, email.wrapper, password.wrapper, h('button', { type: 'submit' }, t.signIn));
  apiForm(
    form,
    async () => {
      let result: { token: string; user: { role?: string } };
      try {
        result = await call('POST', '/v1/auth/login', {
          body: { account: account.control.value.trim(), email: email.control.value.trim(), password: password.control.value },
        });
      } catch (error) {
        // Wrong credentials are one answer, whichever of the three was wrong.
        if (error instanceof ApiError && error.status === 401) throw new Refusal(t.signInFailed);
        throw error;
      }
      if (result.user.role !== 'administrator' && result.user.role !== 'technician') throw new Refusal(t.staffOnly);
      storeToken(result.token);
      await openConsole();
    },
    t.signingIn,
  );
  render(
    app,
    h('header', { class: 'top' }, h('h1', {}, t.consoleTitle)),
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
    if (session || storedToken()) endSession(t.sessionEnded);
  });
  let me: Me;
  try {
    // Who is signed in, and the account's language to speak to them in.
    const [who, settings] = await Promise.all([api<Me>('GET', '/v1/me'), api<{ language: string }>('GET', '/v1/settings')]);
    me = who;
    await speak(settings.language);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) signInView(explain(error));
    return;
  }

  const listeners = new Set<(frame: LiveFrame) => void>();
  const reconnectListeners = new Set<() => void>();
  const followed = new Set<string>();
  let queueWatchers = 0;
  let dropped = false;
  const connection = h('p', { role: 'status', class: 'connection' });
  const connect = (token: string) =>
    connectLive(config.liveUrl, token, {
      onFrame: (frame) => {
        for (const listener of listeners) listener(frame);
      },
      onOpen: () => {
        connection.textContent = '';
        for (const ticketId of followed) live.send({ action: 'follow', ticketId });
        if (queueWatchers > 0) live.send({ action: 'watch_queue' });
        if (dropped) for (const listener of reconnectListeners) listener();
        dropped = false;
      },
      onDrop: () => {
        connection.textContent = t.liveDropped;
        dropped = true;
      },
    });
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
      const who = document.getElementById('signed-in-as');
      if (who) who.textContent = signedInAs(changed);
    },
    languageChanged: (language) => {
      void speak(language).then(drawConsole);
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
      watchQueue: () => {
        if (queueWatchers++ === 0) live.send({ action: 'watch_queue' });
        return () => {
          if (--queueWatchers === 0) live.send({ action: 'unwatch_queue' });
        };
      },
      reconnected: (listener) => {
        reconnectListeners.add(listener);
        return () => reconnectListeners.delete(listener);
      },
    },
  };

  // A customer connected live to this technician (or a ticket given to them): say so wherever they are.
  const notice = h('div', { role: 'status', class: 'notice', id: 'live-notice' });
  session = { ctx, live, notice, connection };
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
          h('p', {}, t.liveCustomer, ' ', h('a', { href: `#ticket/${encodeURIComponent(ticket.id)}` }, ticket.subject)),
          h('button', { type: 'button', class: 'secondary', onclick: () => notice.replaceChildren() }, t.dismiss),
        );
      },
      () => undefined,
    );
  });
  drawConsole();
}

const signedInAs = (me: Me) => t.signedInAs(fullName(me), t.roles[me.role]);

/** The signed-in page in the console's language: header, navigation, and the view the address names. */
function drawConsole() {
  if (!session) return;
  const { ctx, notice, connection } = session;
  const header = h(
    'header',
    { class: 'top' },
    h('h1', {}, t.consoleTitle),
    h(
      'div',
      { class: 'account' },
      h('p', { id: 'signed-in-as' }, signedInAs(ctx.me)),
      availability(ctx),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: (event: Event) => void busyWhile(event.currentTarget as HTMLButtonElement, t.signingOut, signOut) },
        t.signOut,
      ),
    ),
  );
  const navLink = (view: Entry) => h('li', {}, h('a', { href: `#${view}`, 'data-view': view }, entryName(view)));
  const nav = h(
    'div',
    { class: 'side' },
    h('nav', { 'aria-labelledby': 'nav-work' }, h('h2', { id: 'nav-work' }, t.work), h('ul', {}, workEntries.map(navLink))),
    h('nav', { 'aria-labelledby': 'nav-configure' }, h('h2', { id: 'nav-configure' }, t.configure), h('ul', {}, configureEntries.map(navLink))),
  );
  const main = h('main', { id: 'view' });
  render(app, header, notice, connection, h('div', { class: 'layout' }, nav, main));
  route();
}

/** The `Available` switch: a checkbox with the switch role, its state kept for the tab's session. */
function availability(ctx: WorkContext): HTMLElement {
  const id = uid('available');
  const box = h('input', { type: 'checkbox', role: 'switch', id, checked: Boolean(sessionStorage.getItem(availableKey)) });
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
      alert.textContent = error instanceof ApiError && error.code === 'seat_required' ? t.availableNeedsSeat : explain(error);
    }
  };
  box.addEventListener('change', () => {
    box.setAttribute('aria-busy', 'true');
    void put(box.checked).finally(() => box.removeAttribute('aria-busy'));
  });
  // A reload of the tab keeps the technician available (and a redraw of the page keeps the renewal going).
  if (sessionStorage.getItem(availableKey) && !session?.renewal) void put(true);
  return h('div', { class: 'switch' }, box, h('label', { for: id }, t.available), alert);
}

async function signOut() {
  // Signing out of the console also ends being offered to customers (best effort: the token may be dead).
  if (sessionStorage.getItem(availableKey)) await session?.ctx.api('PUT', '/v1/me/availability', { status: 'away' }).catch(() => undefined);
  endSession(t.signedOut);
}

function route() {
  if (!session) return;
  const main = document.getElementById('view');
  if (!main) return;
  session.stopView?.();
  session.stopView = undefined;
  const [view = 'tickets', ...params] = location.hash.replace(/^#/, '').split('/');
  const [first, second] = params.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '';
    }
  });
  const ctx = session.ctx;
  // Each draws its view; one that keeps something running (a timer, a followed ticket) answers how to stop it.
  const views: Record<string, () => (() => void) | undefined> = {
    tickets: () => void ticketsView(ctx, main),
    queue: () => queueView(ctx, main),
    users: () => void usersView(ctx, main),
    companies: () => void companiesView(ctx, main),
    devices: () => void devicesView(ctx, main, first || undefined, second || undefined),
    portals: () => void portalsView(ctx, main),
    contacts: () => void contactsView(ctx, main),
    settings: () => void settingsView(ctx, main),
    me: () => void myAccountView(ctx, main),
    audit: () => void auditView(ctx, main, first, second),
  };
  if (view === 'ticket' && first) {
    const notice = session.notice;
    if (notice.dataset.ticketId === first) notice.replaceChildren();
    session.stopView = ticketView(ctx, main, first);
  } else session.stopView = (views[view] ?? views.tickets!)();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = main.querySelector<HTMLElement>('h2');
  if (heading && view !== 'ticket') focusHeading(heading);
}

async function start() {
  // Before anyone signs in, the console speaks the browser's language.
  const [configured] = await Promise.allSettled([loadConfig(), speak(preferredLanguage(navigator.languages))]);
  if (configured.status === 'rejected') {
    render(app, h('p', { role: 'alert', class: 'error' }, t.loadFailed));
    return;
  }
  config = configured.value;
  call = apiClient(config);
  window.addEventListener('hashchange', route);
  if (storedToken()) await openConsole();
  else signInView();
}

void start();
