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

const lastAdministrator = 'The account needs at least one administrator: make another user an administrator first.';

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
    const name = fullName(user);
    const editHost = h('div');
    const refused = (error: unknown) =>
      error instanceof ApiError && error.status === 409 && error.code !== 'company_required' && user.role === 'administrator'
        ? lastAdministrator
        : explain(error);
    const openEdit = async () => {
      alert.textContent = '';
      try {
        const companies = await readAll<Company>(ctx.api, '/v1/companies');
        const role = selectField('Role', 'role', Object.entries(roles));
        role.control.value = user.role;
        const moduleBoxes = checkboxes(
          'Modules',
          'modules',
          Object.entries(modules).map(([value, label]) => ({ value, label, checked: user.modules.includes(value) })),
        );
        const companyBoxes = checkboxes(
          'Companies',
          'companyIds',
          companies.map((c) => ({ value: c.id, label: c.name, checked: user.companyIds.includes(c.id) })),
        );
        const form = h(
          'form',
          { class: 'panel' },
          h('h3', {}, `Edit ${name}`),
          role.wrapper,
          moduleBoxes.fieldset,
          companyBoxes.fieldset,
          formActions(() => editHost.replaceChildren()),
        );
        const formAlert = apiForm(form, async () => {
          try {
            const updated = await ctx.api<User>('PATCH', `/v1/users/${encodeURIComponent(user.id)}`, {
              role: role.control.value,
              modules: moduleBoxes.values(),
              companyIds: companyBoxes.values(),
            });
            item.replaceWith(userItem(updated));
          } catch (error) {
            if (refused(error) !== lastAdministrator) throw error;
            formAlert.textContent = lastAdministrator;
          }
        });
        render(editHost, form);
      } catch (error) {
        alert.textContent = explain(error);
      }
    };
    const confirmDelete = () =>
      render(
        editHost,
        h('span', {}, `Delete ${name}?`),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: async () => {
              alert.textContent = '';
              try {
                await ctx.api('DELETE', `/v1/users/${encodeURIComponent(user.id)}`);
                item.remove();
                void showSeats();
              } catch (error) {
                alert.textContent = refused(error);
                editHost.replaceChildren();
              }
            },
          },
          'Yes, delete',
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => editHost.replaceChildren() }, 'Cancel'),
      );
    const item = h(
      'li',
      { 'aria-label': name },
      h('span', { class: 'name' }, name),
      ' ',
      h('span', { class: 'meta' }, `${user.email} · ${roles[user.role]}`),
      h('span', { class: 'meta' }, user.seats.length ? ` · Seats: ${user.seats.map((s) => modules[s as Seat] ?? s).join(', ')}` : ' · No seat'),
      isAdmin(ctx)
        ? h(
            'div',
            { class: 'actions' },
            seatControls,
            h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${name}`, onclick: () => void openEdit() }, 'Edit'),
            h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${name}`, onclick: confirmDelete }, 'Delete'),
          )
        : null,
      editHost,
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
    formActions(() => host.replaceChildren()),
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
      const form = h('form', { class: 'inline' }, name.wrapper, formActions(showActions));
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
      formActions(() => formHost.replaceChildren()),
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

// ——— Portals: one per company ———

interface Portal {
  slug: string;
  title: string;
  enabled: boolean;
  supportEmail: string;
}

/** The company's portal, or null while it has none (404). */
const readPortal = (ctx: Context, company: Company) =>
  ctx.api<Portal>('GET', `/v1/companies/${encodeURIComponent(company.id)}/portal`).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });

const liveLink = (portal: Portal) => h('a', { href: `/p/${encodeURIComponent(portal.slug)}` }, `Open ${portal.title} (/p/${portal.slug})`);

/** A company's portal: a form for administrators, a summary for everyone else. */
function portalPanel(ctx: Context, company: Company, portal: Portal | null): HTMLElement {
  const id = uid('portal');
  const heading = h('h3', { id }, company.name);
  const link = h('p', { class: 'meta' }, portal ? liveLink(portal) : 'No portal yet.');
  if (!isAdmin(ctx)) {
    return h(
      'section',
      { 'aria-labelledby': id, class: 'panel' },
      heading,
      portal ? h('p', { class: 'meta' }, `${portal.supportEmail} · ${portal.enabled ? 'Enabled' : 'Disabled'}`) : null,
      link,
    );
  }
  const slug = apiField({ label: 'Slug', name: 'slug', required: true, value: portal?.slug ?? '' });
  const title = apiField({ label: 'Title', name: 'title', required: true, value: portal?.title ?? company.name });
  const supportEmail = apiField({ label: 'Support email', name: 'supportEmail', type: 'email', required: true, value: portal?.supportEmail ?? '' });
  const enabledId = uid('enabled');
  const enabled = h('input', { type: 'checkbox', id: enabledId, name: 'enabled', checked: portal?.enabled ?? true });
  const saved = h('p', { role: 'status' });
  const form = h(
    'form',
    {},
    slug.wrapper,
    title.wrapper,
    h('div', { class: 'check' }, enabled, h('label', { for: enabledId }, 'Enabled'), errorSlot('enabled')),
    supportEmail.wrapper,
    h('button', { type: 'submit' }, 'Save'),
    saved,
  );
  apiForm(form, async () => {
    saved.textContent = '';
    const updated = await ctx.api<Portal>('PUT', `/v1/companies/${encodeURIComponent(company.id)}/portal`, {
      slug: slug.control.value.trim(),
      title: title.control.value.trim(),
      enabled: enabled.checked,
      supportEmail: supportEmail.control.value.trim(),
    });
    render(link, liveLink(updated));
    saved.textContent = 'Saved.';
  });
  return h('section', { 'aria-labelledby': id, class: 'panel' }, heading, form, link);
}

export function portalsView(ctx: Context, main: HTMLElement) {
  const host = h('div', { 'aria-busy': 'true' });
  render(main, section('Portals', host));
  void (async () => {
    try {
      const companies = await readAll<Company>(ctx.api, '/v1/companies');
      const panels = await Promise.all(companies.map(async (company) => portalPanel(ctx, company, await readPortal(ctx, company))));
      render(host, panels.length ? panels : h('p', { class: 'empty' }, 'No companies.'));
    } catch (error) {
      render(host, h('p', { role: 'alert', class: 'error' }, explain(error)));
    }
    host.removeAttribute('aria-busy');
  })();
}

// ——— Contacts: who gets alerts and reports, by which method ———

interface ContactMethod {
  id: string;
  type: 'email' | 'sms' | 'phone';
  address: string;
  label: string | null;
}

interface ContactRule {
  id: string;
  methodId: string;
  use: 'alert' | 'report';
  urgencies?: string[];
}

interface Contact {
  id: string;
  name: string;
  kind: 'contact' | 'user';
  companies: 'all' | string[];
  methods: ContactMethod[];
  rules: ContactRule[];
}

const methodTypes = { email: 'Email', sms: 'SMS', phone: 'Phone' } as const;
const urgencyLabels = { low: 'Low', high: 'High', critical: 'Critical' } as const;

/** A labelled select whose API errors show under it. */
function selectField(label: string, name: string, options: [string, string][]) {
  const id = uid(name);
  const control = h(
    'select',
    { id, name },
    options.map(([value, text]) => h('option', { value }, text)),
  );
  return { wrapper: h('div', { class: 'field' }, h('label', { for: id }, label), control, errorSlot(name)), control };
}

function formActions(cancel: () => void) {
  return h(
    'div',
    { class: 'actions' },
    h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel'),
  );
}

export function contactsView(ctx: Context, main: HTMLElement) {
  const contactPath = (c: Contact) => `/v1/contacts/${encodeURIComponent(c.id)}`;
  let companyNames = new Map<string, string>();

  const contactItem = (contact: Contact): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const formHost = h('div');
    // Every change answers differently: the contact as it is now is read again.
    const refresh = async () => item.replaceWith(contactItem(await ctx.api<Contact>('GET', contactPath(contact))));
    const act = (run: () => Promise<unknown>) => async () => {
      alert.textContent = '';
      try {
        await run();
        await refresh();
      } catch (error) {
        alert.textContent = explain(error);
      }
    };
    const methodText = (m: ContactMethod) => `${methodTypes[m.type]}: ${m.address}${m.label ? ` (${m.label})` : ''}`;
    const methods = contact.methods.map((m) =>
      h(
        'li',
        {},
        methodText(m),
        isAdmin(ctx)
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Delete method ${m.address}`,
                onclick: act(() => ctx.api('DELETE', `${contactPath(contact)}/methods/${encodeURIComponent(m.id)}`)),
              },
              'Delete',
            )
          : null,
      ),
    );
    const rules = contact.rules.map((r) => {
      const method = contact.methods.find((m) => m.id === r.methodId);
      const what = r.use === 'alert' ? `Alerts (${(r.urgencies ?? []).map((u) => urgencyLabels[u as keyof typeof urgencyLabels] ?? u).join(', ')})` : 'Reports';
      const text = `${what} to ${method?.address ?? 'a deleted method'}`;
      return h(
        'li',
        {},
        text,
        isAdmin(ctx)
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Delete rule: ${text}`,
                onclick: act(() => ctx.api('DELETE', `${contactPath(contact)}/rules/${encodeURIComponent(r.id)}`)),
              },
              'Delete',
            )
          : null,
      );
    });

    const openMethod = () => {
      const type = selectField('Type', 'type', Object.entries(methodTypes));
      const address = apiField({ label: 'Address', name: 'address', required: true, hint: 'An email address, or a number as +41791234567' });
      const label = apiField({ label: 'Label', name: 'label' });
      const form = h(
        'form',
        { class: 'panel' },
        h('h3', {}, 'Add contact method'),
        type.wrapper,
        address.wrapper,
        label.wrapper,
        formActions(() => formHost.replaceChildren()),
      );
      apiForm(form, async () => {
        await ctx.api('POST', `${contactPath(contact)}/methods`, {
          type: type.control.value,
          address: address.control.value.trim(),
          label: label.control.value.trim() || null,
        });
        await refresh();
      });
      render(formHost, form);
      address.control.focus();
    };

    const openRule = () => {
      const method = selectField(
        'Method',
        'methodId',
        contact.methods.map((m) => [m.id, methodText(m)]),
      );
      const use = selectField('Use', 'use', [
        ['alert', 'Alerts'],
        ['report', 'Reports'],
      ]);
      const urgencyBoxes = checkboxes(
        'Urgencies',
        'urgencies',
        Object.entries(urgencyLabels).map(([value, label]) => ({ value, label })),
      );
      // Reports have no urgency: the boxes are only there for alerts.
      use.control.addEventListener('change', () => {
        urgencyBoxes.fieldset.hidden = use.control.value !== 'alert';
      });
      const form = h(
        'form',
        { class: 'panel' },
        h('h3', {}, 'Add rule'),
        method.wrapper,
        use.wrapper,
        urgencyBoxes.fieldset,
        formActions(() => formHost.replaceChildren()),
      );
      apiForm(form, async () => {
        await ctx.api('POST', `${contactPath(contact)}/rules`, {
          methodId: method.control.value,
          use: use.control.value,
          ...(use.control.value === 'alert' ? { urgencies: urgencyBoxes.values() } : {}),
        });
        await refresh();
      });
      render(formHost, form);
    };

    const confirmDelete = () =>
      render(
        formHost,
        h('span', {}, `Delete ${contact.name}?`),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: act(async () => {
              await ctx.api('DELETE', contactPath(contact));
              item.remove();
            }),
          },
          'Yes, delete',
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => formHost.replaceChildren() }, 'Cancel'),
      );

    const companies = contact.companies === 'all' ? 'All companies' : contact.companies.map((id) => companyNames.get(id) ?? id).join(', ');
    const item = h(
      'li',
      { 'aria-label': contact.name },
      h('span', { class: 'name' }, contact.name),
      h('span', { class: 'meta' }, ` · ${contact.kind === 'user' ? 'User' : 'Contact'} · ${companies}`),
      methods.length ? h('ul', { 'aria-label': `Methods of ${contact.name}` }, methods) : h('p', { class: 'meta' }, 'No methods.'),
      rules.length ? h('ul', { 'aria-label': `Rules of ${contact.name}` }, rules) : null,
      isAdmin(ctx)
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', onclick: openMethod }, 'Add contact method'),
            contact.methods.length ? h('button', { type: 'button', class: 'secondary', onclick: openRule }, 'Add rule') : null,
            // A user's own contact goes with the user.
            contact.kind === 'contact'
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${contact.name}`, onclick: confirmDelete }, 'Delete')
              : null,
          )
        : null,
      formHost,
      alert,
    );
    return item;
  };

  const host = h('div');
  const formHost = h('div');
  render(main, section('Contacts', formHost, host));
  void (async () => {
    try {
      const companies = await readAll<Company>(ctx.api, '/v1/companies');
      companyNames = new Map(companies.map((c) => [c.id, c.name]));
      const contacts = pagedList<Contact>(ctx.api, '/v1/contacts', contactItem, 'No contacts yet.');
      const openAdd = () => {
        const name = apiField({ label: 'Name', name: 'name', required: true });
        const scope = uid('scope');
        const all = h('input', { type: 'radio', name: scope, id: `${scope}-all`, value: 'all', checked: true });
        const one = h('input', { type: 'radio', name: scope, id: `${scope}-one`, value: 'one' });
        const company = selectField(
          'Company',
          'companies',
          companies.map((c) => [c.id, c.name]),
        );
        const form = h(
          'form',
          { class: 'panel' },
          h('h3', {}, 'Add contact'),
          name.wrapper,
          h(
            'fieldset',
            {},
            h('legend', {}, 'Companies'),
            h('div', { class: 'check' }, all, h('label', { for: all.id }, 'All companies')),
            h('div', { class: 'check' }, one, h('label', { for: one.id }, 'This company')),
            company.wrapper,
          ),
          formActions(() => formHost.replaceChildren()),
        );
        apiForm(form, async () => {
          const contact = await ctx.api<Contact>('POST', '/v1/contacts', {
            name: name.control.value.trim(),
            companies: all.checked ? 'all' : [company.control.value],
          });
          formHost.replaceChildren(h('p', { role: 'status' }, `${contact.name} was added.`));
          contacts.list.querySelector('.empty')?.remove();
          contacts.list.prepend(contactItem(contact));
        });
        render(formHost, form);
        name.control.focus();
      };
      render(host, isAdmin(ctx) ? h('button', { type: 'button', onclick: openAdd }, 'Add contact') : null, contacts.element);
    } catch (error) {
      render(host, h('p', { role: 'alert', class: 'error' }, explain(error)));
    }
  })();
}

// ——— Settings: account-wide, and per company with overrides against the effective value ———

type SettingValue = string | number | boolean;
type Settings = Record<string, SettingValue>;

const settingLabels: Record<string, string> = {
  language: 'Language',
  timezone: 'Time zone',
  sessionRecording: 'Session recording',
  queueAlertAfterMinutes: 'Queue alert after (minutes)',
  portalLiveConnect: 'Live connection on portals',
  ticketAutoCloseDays: 'Close solved tickets after (days)',
};
// The settings a company may override (the others are account-wide policy).
const overridableKeys = ['sessionRecording', 'language', 'timezone', 'queueAlertAfterMinutes', 'portalLiveConnect'];
const languageNames: Record<string, string> = {
  en: 'English',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  pt: 'Português',
  nl: 'Nederlands',
  ja: '日本語',
  zh: '中文',
};

const showSetting = (key: string, value: SettingValue) =>
  typeof value === 'boolean' ? (value ? 'On' : 'Off') : key === 'language' ? (languageNames[String(value)] ?? String(value)) : String(value);

/** A control for one setting, labelled with its name, and a way to read the value it holds. */
function settingControl(key: string, value: SettingValue) {
  const id = uid(key);
  const label = h('label', { for: id }, settingLabels[key] ?? key);
  if (typeof value === 'boolean') {
    const control = h('input', { type: 'checkbox', id, name: key, checked: value });
    return { wrapper: h('div', { class: 'check' }, control, label, errorSlot(key)), read: (): SettingValue => control.checked };
  }
  if (key === 'language') {
    const control = h(
      'select',
      { id, name: key },
      Object.entries(languageNames).map(([code, name]) => h('option', { value: code, selected: code === value }, name)),
    );
    return { wrapper: h('div', { class: 'field' }, label, control, errorSlot(key)), read: (): SettingValue => control.value };
  }
  const numeric = typeof value === 'number';
  const control = h('input', { type: numeric ? 'number' : 'text', id, name: key, value: String(value) });
  // An empty or unparsable number goes to the API as text, to be refused next to its field.
  const read = (): SettingValue =>
    numeric && control.value.trim() !== '' && Number.isFinite(Number(control.value)) ? Number(control.value) : control.value.trim();
  return { wrapper: h('div', { class: 'field' }, label, control, errorSlot(key)), read };
}

function accountSettings(ctx: Context, settings: Settings, changed: (settings: Settings) => void) {
  const id = uid('account-settings');
  const heading = h('h3', { id }, 'Account-wide');
  if (!isAdmin(ctx)) {
    return h(
      'section',
      { 'aria-labelledby': id, class: 'panel' },
      heading,
      h(
        'dl',
        { class: 'settings' },
        Object.entries(settings).flatMap(([key, value]) => [h('dt', {}, settingLabels[key] ?? key), h('dd', {}, showSetting(key, value))]),
      ),
    );
  }
  const controls = Object.entries(settings).map(([key, value]) => ({ key, ...settingControl(key, value) }));
  const saved = h('p', { role: 'status' });
  const form = h(
    'form',
    {},
    controls.map((c) => c.wrapper),
    h('button', { type: 'submit' }, 'Save'),
    saved,
  );
  apiForm(form, async () => {
    saved.textContent = '';
    const updated = await ctx.api<Settings>('PATCH', '/v1/settings', Object.fromEntries(controls.map((c) => [c.key, c.read()])));
    saved.textContent = 'Saved.';
    changed(updated);
  });
  return h('section', { 'aria-labelledby': id, class: 'panel' }, heading, form);
}

interface CompanySettings {
  overrides: Settings;
  effective: Settings;
}

function companySettings(ctx: Context, company: Company, account: Settings, current: CompanySettings): HTMLElement {
  const id = uid('company-settings');
  const path = `/v1/companies/${encodeURIComponent(company.id)}/settings`;
  const patch = async (body: Record<string, SettingValue | null>) => {
    const updated = await ctx.api<CompanySettings>('PATCH', path, body);
    panel.replaceWith(companySettings(ctx, company, account, updated));
  };
  const rows = overridableKeys.map((key) => {
    const label = settingLabels[key] ?? key;
    const overridden = Object.hasOwn(current.overrides, key);
    const effective = current.effective[key] ?? account[key] ?? '';
    const summary = h(
      'p',
      { class: 'meta' },
      overridden
        ? `${label}: ${showSetting(key, effective)} for this company (account setting: ${showSetting(key, account[key] ?? '')})`
        : `${label}: ${showSetting(key, effective)} (account setting)`,
    );
    if (!isAdmin(ctx)) return h('li', {}, summary);
    const control = settingControl(key, effective);
    const fallBack = async () => {
      alert.textContent = '';
      try {
        // null removes the override: the company falls back to the account's value.
        await patch({ [key]: null });
      } catch (error) {
        alert.textContent = explain(error);
      }
    };
    const form = h(
      'form',
      { class: 'inline' },
      control.wrapper,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', 'aria-label': `Override ${label} for ${company.name}` }, 'Override'),
        overridden
          ? h(
              'button',
              { type: 'button', class: 'secondary', 'aria-label': `Use account setting for ${label} in ${company.name}`, onclick: fallBack },
              'Use account setting',
            )
          : null,
      ),
    );
    const alert = apiForm(form, () => patch({ [key]: control.read() }));
    return h('li', {}, summary, form);
  });
  const panel = h('section', { 'aria-labelledby': id, class: 'panel' }, h('h3', { id }, company.name), h('ul', { class: 'list' }, rows));
  return panel;
}

export function settingsView(ctx: Context, main: HTMLElement) {
  const host = h('div', { 'aria-busy': 'true' });
  render(main, section('Settings', host));
  const companiesHost = h('div');
  const failed = (error: unknown) => render(host, h('p', { role: 'alert', class: 'error' }, explain(error)));
  // The company panels show the account's values beside their own: they follow its changes.
  const showCompanies = async (account: Settings) => {
    const companies = await readAll<Company>(ctx.api, '/v1/companies');
    const panels = await Promise.all(
      companies.map(async (c) => companySettings(ctx, c, account, await ctx.api<CompanySettings>('GET', `/v1/companies/${encodeURIComponent(c.id)}/settings`))),
    );
    render(companiesHost, panels);
  };
  const show = async (account: Settings) => {
    await showCompanies(account);
    render(
      host,
      accountSettings(ctx, account, (updated) => void showCompanies(updated).catch(failed)),
      h('h3', {}, 'Per company'),
      companiesHost,
    );
    host.removeAttribute('aria-busy');
  };
  ctx.api<Settings>('GET', '/v1/settings').then(show).catch(failed);
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
