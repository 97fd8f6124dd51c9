import { ApiError } from '../shared/api.ts';
import { h, render, uid } from '../shared/dom.ts';
import { actionButton, apiField, apiForm, askToDelete, checkboxes, errorSlot, explain, FieldError, formActions, section, selectField } from './forms.ts';
import { t } from './i18n.ts';
import { pagedList, progress, readAll } from './lists.ts';
import { type Context, isAdmin, type Me } from './session.ts';

interface User extends Me {
  modules: string[];
}

export interface Company {
  id: string;
  name: string;
  description: string;
}

interface Account {
  seatLimits: Record<Seat, number>;
  seatsUsed: Record<Seat, number>;
}

const moduleIds = ['remote_support', 'service_desk', 'monitoring', 'reports'] as const;
type Seat = 'remote_support' | 'service_desk';
const seatModules: Seat[] = ['remote_support', 'service_desk'];
const roleIds = ['administrator', 'technician'] as const;

export const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`.trim();
const moduleName = (id: string) => t.modules[id as keyof typeof t.modules] ?? id;

/** The account's companies, to offer as checkboxes or a choice (a handful per account). */
export const readCompanies = (ctx: Context) => readAll<Company>(ctx.api, '/v1/companies');

// ——— Users ———

/** The API's refusal to leave the account without an administrator: a conflict about the role. */
const isLastAdministrator = (error: unknown) => error instanceof ApiError && error.status === 409 && error.details.some((d) => d.path === 'role');

export function usersView(ctx: Context, main: HTMLElement) {
  const seats = h('p', { class: 'seats', role: 'status' });
  const showSeats = async () => {
    try {
      const account = await ctx.api<Account>('GET', '/v1/account');
      seats.textContent = seatModules.map((m) => t.seatsUsed(moduleName(m), account.seatsUsed[m], account.seatLimits[m])).join(' · ');
    } catch (error) {
      seats.textContent = explain(error);
    }
  };
  void showSeats();

  const userItem = (user: User): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const name = fullName(user);
    const seatControls = (isAdmin(ctx) ? seatModules : []).map((m) => {
      const has = user.seats.includes(m);
      return actionButton(
        {
          text: has ? t.takeSeat(moduleName(m)) : t.giveSeat(moduleName(m)),
          name: has ? t.takeSeatFrom(moduleName(m), name) : t.giveSeatTo(moduleName(m), name),
          busy: t.working,
        },
        async () => {
          alert.textContent = '';
          try {
            // Giving answers the user, taking answers 204.
            const updated = await ctx.api<User | undefined>(has ? 'DELETE' : 'PUT', `/v1/users/${encodeURIComponent(user.id)}/seats/${m}`);
            item.replaceWith(userItem(updated ?? { ...user, seats: user.seats.filter((s) => s !== m) }));
            void showSeats();
          } catch (error) {
            alert.textContent = error instanceof ApiError && error.code === 'seat_limit_reached' ? t.noSeatLeft(moduleName(m)) : explain(error);
          }
        },
      );
    });
    const editHost = h('div');
    const openEdit = async () => {
      alert.textContent = '';
      try {
        const companies = await readCompanies(ctx);
        const role = selectField(
          t.role,
          'role',
          roleIds.map((r) => [r, t.roles[r]]),
          user.role,
        );
        const moduleBoxes = checkboxes(
          t.modulesLegend,
          'modules',
          moduleIds.map((value) => ({ value, label: moduleName(value), checked: user.modules.includes(value) })),
        );
        const companyBoxes = checkboxes(
          t.companiesLegend,
          'companyIds',
          companies.map((c) => ({ value: c.id, label: c.name, checked: user.companyIds.includes(c.id) })),
        );
        const form = h(
          'form',
          { class: 'panel' },
          h('h3', {}, t.editNamed(name)),
          role.wrapper,
          moduleBoxes.fieldset,
          companyBoxes.fieldset,
          formActions(() => editHost.replaceChildren()),
        );
        apiForm(form, async () => {
          try {
            const updated = await ctx.api<User>('PATCH', `/v1/users/${encodeURIComponent(user.id)}`, {
              role: role.control.value,
              modules: moduleBoxes.values(),
              companyIds: companyBoxes.values(),
            });
            item.replaceWith(userItem(updated));
          } catch (error) {
            if (error instanceof ApiError && error.code === 'company_required') throw new FieldError('companyIds', t.needsCompany);
            if (isLastAdministrator(error)) throw new FieldError('role', t.lastAdministrator);
            throw error;
          }
        });
        render(editHost, form);
        role.control.focus();
      } catch (error) {
        alert.textContent = explain(error);
      }
    };
    const confirmDelete = () =>
      askToDelete({
        host: editHost,
        alert,
        name,
        remove: async () => {
          await ctx.api('DELETE', `/v1/users/${encodeURIComponent(user.id)}`);
          item.remove();
          void showSeats();
        },
        cancel: () => editHost.replaceChildren(),
        refused: (error) => (isLastAdministrator(error) ? t.lastAdministrator : explain(error)),
      });
    const item = h(
      'li',
      { 'aria-label': name },
      h('span', { class: 'name' }, name),
      ' ',
      h('span', { class: 'meta' }, `${user.email} · ${t.roles[user.role]}`),
      h('span', { class: 'meta' }, ` · ${user.seats.length ? t.seatsList(user.seats.map(moduleName).join(t.listSeparator)) : t.noSeat}`),
      isAdmin(ctx)
        ? h(
            'div',
            { class: 'actions' },
            seatControls,
            h('button', { type: 'button', class: 'secondary', 'aria-label': t.editNamed(name), onclick: () => void openEdit() }, t.edit),
            h('button', { type: 'button', class: 'secondary', 'aria-label': t.deleteNamed(name), onclick: confirmDelete }, t.delete),
          )
        : null,
      editHost,
      alert,
    );
    return item;
  };

  const users = pagedList<User>(ctx.api, '/v1/users', userItem, t.noUsers);
  const formHost = h('div');
  const add = isAdmin(ctx)
    ? actionButton({ text: t.addUser, busy: t.loading, kind: 'primary' }, () =>
        openAddUser(ctx, formHost, (u) => {
          users.add(userItem(u));
          void showSeats();
        }),
      )
    : null;
  render(main, section(t.users, seats, add, formHost, users.element));
}

async function openAddUser(ctx: Context, host: HTMLElement, added: (user: User) => void) {
  let companies: Awaited<ReturnType<typeof readCompanies>>;
  try {
    companies = await readCompanies(ctx);
  } catch (error) {
    render(host, h('p', { role: 'alert', class: 'error' }, explain(error)));
    return;
  }
  const email = apiField({ label: t.email, name: 'email', type: 'email', required: true, autocomplete: 'off' });
  const firstName = apiField({ label: t.firstName, name: 'firstName', required: true });
  const lastName = apiField({ label: t.lastName, name: 'lastName', required: true });
  const password = apiField({ label: t.password, name: 'password', type: 'password', required: true, autocomplete: 'new-password' });
  const role = selectField(
    t.role,
    'role',
    roleIds.map((r) => [r, t.roles[r]]),
    'technician',
  );
  const moduleBoxes = checkboxes(
    t.modulesLegend,
    'modules',
    moduleIds.map((value) => ({ value, label: moduleName(value) })),
  );
  const companyBoxes = checkboxes(
    t.companiesLegend,
    'companyIds',
    companies.map((c) => ({ value: c.id, label: c.name, checked: companies.length === 1 })),
  );
  const form = h(
    'form',
    { class: 'panel' },
    h('h3', {}, t.addUser),
    email.wrapper,
    firstName.wrapper,
    lastName.wrapper,
    password.wrapper,
    role.wrapper,
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
      role: role.control.value,
      modules: moduleBoxes.values(),
      companyIds: companyBoxes.values(),
    });
    host.replaceChildren(h('p', { role: 'status' }, t.wasAdded(fullName(user))));
    added(user);
  });
  render(host, form);
  email.control.focus();
}

// ——— Companies ———

export function companiesView(ctx: Context, main: HTMLElement) {
  const companyItem = (company: Company): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const actions = h('div', { class: 'actions' });
    const showActions = () =>
      render(
        actions,
        h('button', { type: 'button', class: 'secondary', 'aria-label': t.renameNamed(company.name), onclick: rename }, t.rename),
        h('button', { type: 'button', class: 'secondary', 'aria-label': t.deleteNamed(company.name), onclick: confirmDelete }, t.delete),
      );
    const rename = () => {
      const name = apiField({ label: t.name, name: 'name', required: true, value: company.name });
      const form = h('form', { class: 'inline' }, name.wrapper, formActions(showActions));
      apiForm(form, async () => {
        const updated = await ctx.api<Company>('PATCH', `/v1/companies/${encodeURIComponent(company.id)}`, { name: name.control.value.trim() });
        item.replaceWith(companyItem(updated));
      });
      render(actions, form);
      name.control.focus();
    };
    const confirmDelete = () =>
      askToDelete({
        host: actions,
        alert,
        name: company.name,
        remove: async () => {
          await ctx.api('DELETE', `/v1/companies/${encodeURIComponent(company.id)}`);
          item.remove();
        },
        cancel: showActions,
        refused: (error) => (error instanceof ApiError && error.code === 'company_required' ? t.companyRequired : explain(error)),
      });
    if (isAdmin(ctx)) showActions();
    const item = h(
      'li',
      { 'aria-label': company.name },
      h('span', { class: 'name' }, company.name),
      company.description ? h('span', { class: 'meta' }, ` · ${company.description}`) : null,
      ' · ',
      h('a', { href: `#devices/${encodeURIComponent(company.id)}`, 'aria-label': t.devicesOf(company.name) }, t.devices),
      isAdmin(ctx) ? actions : null,
      alert,
    );
    return item;
  };

  const companies = pagedList<Company>(ctx.api, '/v1/companies', companyItem, t.noCompanies);
  const formHost = h('div');
  const openAdd = () => {
    const name = apiField({ label: t.name, name: 'name', required: true });
    const description = apiField({ label: t.description, name: 'description' });
    const form = h(
      'form',
      { class: 'panel' },
      h('h3', {}, t.addCompany),
      name.wrapper,
      description.wrapper,
      formActions(() => formHost.replaceChildren()),
    );
    apiForm(form, async () => {
      const company = await ctx.api<Company>('POST', '/v1/companies', {
        name: name.control.value.trim(),
        ...(description.control.value.trim() ? { description: description.control.value.trim() } : {}),
      });
      formHost.replaceChildren(h('p', { role: 'status' }, t.wasAdded(company.name)));
      companies.add(companyItem(company));
    });
    render(formHost, form);
    name.control.focus();
  };
  const add = isAdmin(ctx) ? h('button', { type: 'button', onclick: openAdd }, t.addCompany) : null;
  render(main, section(t.companies, add, formHost, companies.element));
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

const liveLink = (portal: Portal) => h('a', { href: `/p/${encodeURIComponent(portal.slug)}` }, t.openPortal(portal.title, portal.slug));

/** A company's portal: a form for administrators, a summary for everyone else. */
function portalPanel(ctx: Context, company: Company, portal: Portal | null): HTMLElement[] {
  const link = h('p', { class: 'meta' }, portal ? liveLink(portal) : t.noPortal);
  if (!isAdmin(ctx)) {
    return portal ? [h('p', { class: 'meta' }, `${portal.supportEmail} · ${portal.enabled ? t.enabled : t.disabled}`), link] : [link];
  }
  const slug = apiField({ label: t.slug, name: 'slug', required: true, value: portal?.slug ?? '' });
  const title = apiField({ label: t.title, name: 'title', required: true, value: portal?.title ?? company.name });
  const supportEmail = apiField({ label: t.supportEmail, name: 'supportEmail', type: 'email', required: true, value: portal?.supportEmail ?? '' });
  const enabledId = uid('enabled');
  const enabled = h('input', { type: 'checkbox', id: enabledId, name: 'enabled', checked: portal?.enabled ?? true });
  const saved = h('p', { role: 'status' });
  const form = h(
    'form',
    {},
    slug.wrapper,
    title.wrapper,
    h('div', { class: 'check' }, enabled, h('label', { for: enabledId }, t.enabled), errorSlot('enabled')),
    supportEmail.wrapper,
    h('button', { type: 'submit' }, t.save),
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
    saved.textContent = t.saved;
  });
  return [form, link];
}

/**
 * A panel per company, read page by page with the companies' cursors; each panel reads its own
 * part (`load`) and shows it is loading meanwhile.
 */
export function companyPanels(ctx: Context, load: (company: Company) => Promise<Node[]>) {
  return pagedList<Company>(
    ctx.api,
    '/v1/companies',
    (company) => {
      const id = uid('company');
      const status = progress();
      const alert = h('p', { role: 'alert', class: 'error' });
      const panel = h('section', { 'aria-labelledby': id, class: 'panel', 'aria-busy': 'true' }, h('h3', { id }, company.name), status.element, alert);
      status
        .track(() => load(company))
        .then(
          (nodes) => panel.append(...nodes),
          (error: unknown) => {
            alert.textContent = explain(error);
          },
        )
        .finally(() => panel.removeAttribute('aria-busy'));
      return h('li', {}, panel);
    },
    t.noCompanies,
  );
}

export function portalsView(ctx: Context, main: HTMLElement) {
  const panels = companyPanels(ctx, async (company) => portalPanel(ctx, company, await readPortal(ctx, company)));
  render(main, section(t.portals, panels.element));
}

// ——— My account: every staff member changes their own name, email and password ———

export function myAccountView(ctx: Context, main: HTMLElement) {
  const firstName = apiField({ label: t.firstName, name: 'firstName', required: true, value: ctx.me.firstName, autocomplete: 'given-name' });
  const lastName = apiField({ label: t.lastName, name: 'lastName', required: true, value: ctx.me.lastName, autocomplete: 'family-name' });
  const email = apiField({ label: t.email, name: 'email', type: 'email', required: true, value: ctx.me.email, autocomplete: 'email' });
  const saved = h('p', { role: 'status' });
  const profile = h(
    'form',
    { class: 'panel' },
    h('h3', {}, t.profile),
    firstName.wrapper,
    lastName.wrapper,
    email.wrapper,
    h('button', { type: 'submit' }, t.save),
    saved,
  );
  apiForm(profile, async () => {
    saved.textContent = '';
    const me = await ctx.api<Me>('PATCH', '/v1/me', {
      firstName: firstName.control.value.trim(),
      lastName: lastName.control.value.trim(),
      email: email.control.value.trim(),
    });
    ctx.meChanged(me);
    saved.textContent = t.saved;
  });

  const current = apiField({ label: t.currentPassword, name: 'currentPassword', type: 'password', required: true, autocomplete: 'current-password' });
  const next = apiField({ label: t.newPassword, name: 'newPassword', type: 'password', required: true, autocomplete: 'new-password' });
  const changed = h('p', { role: 'status' });
  const passwordForm = h(
    'form',
    { class: 'panel' },
    h('h3', {}, t.password),
    current.wrapper,
    next.wrapper,
    h('button', { type: 'submit' }, t.changePassword),
    changed,
  );
  apiForm(passwordForm, async () => {
    changed.textContent = '';
    try {
      const result = await ctx.api<{ token: string }>('PUT', '/v1/me/password', { currentPassword: current.control.value, newPassword: next.control.value });
      ctx.renewToken(result.token);
    } catch (error) {
      // A wrong current password is a 403 with no details: it belongs next to that field.
      if (error instanceof ApiError && error.status === 403) throw new FieldError('currentPassword', t.wrongPassword);
      throw error;
    }
    current.control.value = '';
    next.control.value = '';
    changed.textContent = t.passwordChanged;
  });
  render(main, section(t.myAccount, profile, passwordForm));
}
