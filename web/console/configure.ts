import { ApiError } from '../shared/api.ts';
import { field, h, render, uid } from '../shared/dom.ts';
import { type Api, apiForm, errorSlot, explain, type Me, pagedList, readAll } from './session.ts';

/** What every view gets: the API, the signed-in staff member, and a way to renew the session. */
export interface Context {
  api: Api;
  me: Me;
  /** A new token (after a password change: every earlier one ends). */
  renewToken: (token: string) => void;
  /** Tells the header the caller's name changed. */
  meChanged: (me: Me) => void;
}

interface User extends Me {
  modules: string[];
}

interface Company {
  id: string;
  name: string;
  description: string;
}

interface Account {
  seatLimits: Record<Seat, number>;
  seatsUsed: Record<Seat, number>;
}

const modules = { remote_support: 'Remote Support', service_desk: 'Service Desk', monitoring: 'Monitoring', reports: 'Reports' } as const;
type Seat = 'remote_support' | 'service_desk';
const seatModules: Seat[] = ['remote_support', 'service_desk'];
const roles = { administrator: 'Administrator', technician: 'Technician' } as const;

const isAdmin = (ctx: Context) => ctx.me.role === 'administrator';
const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`.trim();

/** A field with a slot for its API error right under it. */
function apiField(options: Parameters<typeof field>[0]) {
  const f = field(options);
  f.wrapper.append(errorSlot(options.name));
  return f;
}

/** A group of checkboxes sharing a name (one per module, one per company), its errors under it. */
function checkboxes(legend: string, name: string, options: { value: string; label: string; checked?: boolean }[]) {
  const fieldset = h(
    'fieldset',
    {},
    h('legend', {}, legend),
    options.map((o) => {
      const id = uid(name);
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, value: o.value, checked: o.checked }), h('label', { for: id }, o.label));
    }),
    errorSlot(name),
  );
  const values = () => [...fieldset.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  return { fieldset, values };
}

function section(title: string, ...children: (Node | null | false)[]) {
  const id = uid('section');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// ——— Users ———

export function usersView(ctx: Context, main: HTMLElement) {
  const seats = h('p', { class: 'seats', role: 'status' });
  const showSeats = async () => {
    try {
      const account = await ctx.api<Account>('GET', '/v1/account');
      seats.textContent = seatModules.map((m) => `${modules[m]} seats: ${account.seatsUsed[m]} of ${account.seatLimits[m]} used`).join(' · ');
    } catch (error) {
      seats.textContent = explain(error);
    }
  };
  void showSeats();

  const userItem = (user: User): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const seatControls = isAdmin(ctx)
      ? seatModules.map((m) => {
          const has = user.seats.includes(m);
          const label = `${has ? 'Take' : 'Give'} ${modules[m]} seat`;
          return h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': `${label} ${has ? 'from' : 'to'} ${fullName(user)}`,
              onclick: async () => {
                alert.textContent = '';
                try {
                  // Giving answers the user, taking answers 204.
                  const updated = await ctx.api<User | undefined>(has ? 'DELETE' : 'PUT', `/v1/users/${encodeURIComponent(user.id)}/seats/${m}`);
                  item.replaceWith(userItem(updated ?? { ...user, seats: user.seats.filter((s) => s !== m) }));
                  void showSeats();
                } catch (error) {
                  alert.textContent =
                    error instanceof ApiError && error.code === 'seat_limit_reached'
                      ? `No ${modules[m]} seat is left: every seat of the account's limit is in use. Take one from someone else first.`
                      : explain(error);
                }
              },
            },
            label,
          );
        })
      : [];
    const item = h(
      'li',
      {},
      h('span', { class: 'name' }, fullName(user)),
      ' ',
      h('span', { class: 'meta' }, `${user.email} · ${roles[user.role]}`),
      h('span', { class: 'meta' }, user.seats.length ? ` · Seats: ${user.seats.map((s) => modules[s as Seat] ?? s).join(', ')}` : ' · No seat'),
      seatControls.length ? h('div', { class: 'actions' }, seatControls) : null,
      alert,
    );
    return item;
  };

  const users = pagedList<User>(ctx.api, '/v1/users', userItem, 'No users yet.');
  const formHost = h('div');
  const add = isAdmin(ctx)
    ? h(
        'button',
        { type: 'button', onclick: () => void openAddUser(ctx, formHost, (u) => users.list.prepend(userItem(u))).then(() => void showSeats()) },
        'Add user',
      )
    : null;
  render(main, section('Users', seats, add, formHost, users.element));
}

async function openAddUser(ctx: Context, host: HTMLElement, added: (user: User) => void) {
  const companies = await readAll<Company>(ctx.api, '/v1/companies');
  const email = apiField({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' });
  const firstName = apiField({ label: 'First name', name: 'firstName', required: true });
  const lastName = apiField({ label: 'Last name', name: 'lastName', required: true });
  const password = apiField({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'new-password' });
  const roleId = uid('role');
  const role = h(
    'select',
    { id: roleId, name: 'role' },
    Object.entries(roles).map(([value, label]) => h('option', { value, selected: value === 'technician' }, label)),
  );
  const moduleBoxes = checkboxes(
    'Modules',
    'modules',
    Object.entries(modules).map(([value, label]) => ({ value, label })),
  );
  const companyBoxes = checkboxes(
    'Companies',
    'companyIds',
    companies.map((c) => ({ value: c.id, label: c.name, checked: companies.length === 1 })),
  );
  const heading = h('h3', {}, 'Add user');
  const form = h(
    'form',
    { class: 'panel' },
    heading,
    email.wrapper,
    firstName.wrapper,
    lastName.wrapper,
    password.wrapper,
    h('div', { class: 'field' }, h('label', { for: roleId }, 'Role'), role, errorSlot('role')),
    moduleBoxes.fieldset,
    companyBoxes.fieldset,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', onclick: () => host.replaceChildren() }, 'Cancel'),
    ),
  );
  apiForm(form, async () => {
    const user = await ctx.api<User>('POST', '/v1/users', {
      email: email.control.value.trim(),
      firstName: firstName.control.value.trim(),
      lastName: lastName.control.value.trim(),
      password: password.control.value,
      role: role.value,
      modules: moduleBoxes.values(),
      companyIds: companyBoxes.values(),
    });
    host.replaceChildren(h('p', { role: 'status' }, `${fullName(user)} was added.`));
    added(user);
  });
  render(host, form);
  email.control.focus();
}

// ——— Companies ———

const companyRequired =
  'This company cannot be deleted: it is the only company of some user or device, or the account’s last company. Give them another company first.';

export function companiesView(ctx: Context, main: HTMLElement) {
  const companyItem = (company: Company): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const actions = h('div', { class: 'actions' });
    const showActions = () =>
      render(
        actions,
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Rename ${company.name}`, onclick: rename }, 'Rename'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${company.name}`, onclick: confirmDelete }, 'Delete'),
      );
    const rename = () => {
      const name = apiField({ label: 'Name', name: 'name', required: true, value: company.name });
      const form = h(
        'form',
        { class: 'inline' },
        name.wrapper,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit' }, 'Save'),
          h('button', { type: 'button', class: 'secondary', onclick: showActions }, 'Cancel'),
        ),
      );
      apiForm(form, async () => {
        const updated = await ctx.api<Company>('PATCH', `/v1/companies/${encodeURIComponent(company.id)}`, { name: name.control.value.trim() });
        item.replaceWith(companyItem(updated));
      });
      render(actions, form);
      name.control.focus();
    };
    const confirmDelete = () => {
      render(
        actions,
        h('span', {}, `Delete ${company.name}?`),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: async () => {
              alert.textContent = '';
              try {
                await ctx.api('DELETE', `/v1/companies/${encodeURIComponent(company.id)}`);
                item.remove();
              } catch (error) {
                alert.textContent = error instanceof ApiError && error.code === 'company_required' ? companyRequired : explain(error);
                showActions();
              }
            },
          },
          'Yes, delete',
        ),
        h('button', { type: 'button', class: 'secondary', onclick: showActions }, 'Cancel'),
      );
    };
    if (isAdmin(ctx)) showActions();
    const item = h(
      'li',
      {},
      h('span', { class: 'name' }, company.name),
      company.description ? h('span', { class: 'meta' }, ` · ${company.description}`) : null,
      isAdmin(ctx) ? actions : null,
      alert,
    );
    return item;
  };

  const companies = pagedList<Company>(ctx.api, '/v1/companies', companyItem, 'No companies.');
  const formHost = h('div');
  const openAdd = () => {
    const name = apiField({ label: 'Name', name: 'name', required: true });
    const description = apiField({ label: 'Description', name: 'description' });
    const form = h(
      'form',
      { class: 'panel' },
      h('h3', {}, 'Add company'),
      name.wrapper,
      description.wrapper,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', onclick: () => formHost.replaceChildren() }, 'Cancel'),
      ),
    );
    apiForm(form, async () => {
      const company = await ctx.api<Company>('POST', '/v1/companies', {
        name: name.control.value.trim(),
        ...(description.control.value.trim() ? { description: description.control.value.trim() } : {}),
      });
      formHost.replaceChildren(h('p', { role: 'status' }, `${company.name} was added.`));
      companies.list.prepend(companyItem(company));
    });
    render(formHost, form);
    name.control.focus();
  };
  const add = isAdmin(ctx) ? h('button', { type: 'button', onclick: openAdd }, 'Add company') : null;
  render(main, section('Companies', add, formHost, companies.element));
}

// ——— Portals, contacts, settings: read-only for now (their editing is the issue's next part) ———

interface Portal {
  slug: string;
  title: string;
  enabled: boolean;
  supportEmail: string;
}

export function portalsView(ctx: Context, main: HTMLElement) {
  const list = h('ul', { class: 'list', 'aria-busy': 'true' });
  render(main, section('Portals', list));
  void (async () => {
    try {
      const companies = await readAll<Company>(ctx.api, '/v1/companies');
      const rows = await Promise.all(
        companies.map(async (company) => {
          const portal = await ctx.api<Portal>('GET', `/v1/companies/${encodeURIComponent(company.id)}/portal`).catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 404) return null;
            throw error;
          });
          return h(
            'li',
            {},
            h('span', { class: 'name' }, company.name),
            ' ',
            portal
              ? h(
                  'span',
                  { class: 'meta' },
                  h('a', { href: `/p/${encodeURIComponent(portal.slug)}` }, portal.title),
                  ` · ${portal.supportEmail} · ${portal.enabled ? 'Enabled' : 'Disabled'}`,
                )
              : h('span', { class: 'meta' }, 'No portal'),
          );
        }),
      );
      render(list, rows.length ? rows : h('li', { class: 'empty' }, 'No companies.'));
    } catch (error) {
      render(list, h('li', { role: 'alert', class: 'error' }, explain(error)));
    }
    list.removeAttribute('aria-busy');
  })();
}

interface Contact {
  id: string;
  name: string;
  kind: 'contact' | 'user';
  methods: { type: string; address: string }[];
}

export function contactsView(ctx: Context, main: HTMLElement) {
  const contacts = pagedList<Contact>(
    ctx.api,
    '/v1/contacts',
    (c) =>
      h(
        'li',
        {},
        h('span', { class: 'name' }, c.name),
        h(
          'span',
          { class: 'meta' },
          ` · ${c.kind === 'user' ? 'User' : 'Contact'}${c.methods.length ? ` · ${c.methods.map((m) => m.address).join(', ')}` : ''}`,
        ),
      ),
    'No contacts yet.',
  );
  render(main, section('Contacts', contacts.element));
}

export function settingsView(ctx: Context, main: HTMLElement) {
  const list = h('dl', { class: 'settings', 'aria-busy': 'true' });
  render(main, section('Settings', list));
  const labels: Record<string, string> = {
    language: 'Language',
    timezone: 'Time zone',
    sessionRecording: 'Session recording',
    queueAlertAfterMinutes: 'Queue alert after (minutes)',
    portalLiveConnect: 'Live connection on portals',
    ticketAutoCloseDays: 'Close solved tickets after (days)',
  };
  ctx.api<Record<string, unknown>>('GET', '/v1/settings').then(
    (settings) => {
      list.removeAttribute('aria-busy');
      render(
        list,
        Object.entries(settings).flatMap(([key, value]) => [
          h('dt', {}, labels[key] ?? key),
          h('dd', {}, typeof value === 'boolean' ? (value ? 'On' : 'Off') : String(value)),
        ]),
      );
    },
    (error: unknown) => render(list, h('dd', { role: 'alert', class: 'error' }, explain(error))),
  );
}

// ——— My account: every staff member changes their own name, email and password ———

export function myAccountView(ctx: Context, main: HTMLElement) {
  const firstName = apiField({ label: 'First name', name: 'firstName', required: true, value: ctx.me.firstName, autocomplete: 'given-name' });
  const lastName = apiField({ label: 'Last name', name: 'lastName', required: true, value: ctx.me.lastName, autocomplete: 'family-name' });
  const email = apiField({ label: 'Email', name: 'email', type: 'email', required: true, value: ctx.me.email, autocomplete: 'email' });
  const saved = h('p', { role: 'status' });
  const profile = h('form', { class: 'panel' }, firstName.wrapper, lastName.wrapper, email.wrapper, h('button', { type: 'submit' }, 'Save'), saved);
  apiForm(profile, async () => {
    saved.textContent = '';
    const me = await ctx.api<Me>('PATCH', '/v1/me', {
      firstName: firstName.control.value.trim(),
      lastName: lastName.control.value.trim(),
      email: email.control.value.trim(),
    });
    ctx.meChanged(me);
    saved.textContent = 'Saved.';
  });

  const current = apiField({ label: 'Current password', name: 'currentPassword', type: 'password', required: true, autocomplete: 'current-password' });
  const next = apiField({ label: 'New password', name: 'newPassword', type: 'password', required: true, autocomplete: 'new-password' });
  const changed = h('p', { role: 'status' });
  const passwordForm = h(
    'form',
    { class: 'panel' },
    h('h3', {}, 'Password'),
    current.wrapper,
    next.wrapper,
    h('button', { type: 'submit' }, 'Change password'),
    changed,
  );
  apiForm(passwordForm, async () => {
    changed.textContent = '';
    const result = await ctx.api<{ token: string }>('PUT', '/v1/me/password', { currentPassword: current.control.value, newPassword: next.control.value });
    ctx.renewToken(result.token);
    current.control.value = '';
    next.control.value = '';
    changed.textContent = 'Your password was changed. Other sessions were signed out.';
  });
  render(main, section('My account', profile, passwordForm));
}
