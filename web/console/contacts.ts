import { h, render, uid } from '../shared/dom.ts';
import { type Company, readCompanies } from './configure.ts';
import { actionButton, apiField, apiForm, askToDelete, checkboxes, explain, formActions, section, selectField } from './forms.ts';
import { t } from './i18n.ts';
import { pagedList, progress, readAll } from './lists.ts';
import { type Context, isAdmin, type Me } from './session.ts';

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
  userId?: string;
  companies: 'all' | string[];
  methods: ContactMethod[];
  rules: ContactRule[];
}

const methodTypes = ['email', 'sms', 'phone'] as const;
const urgencies = ['low', 'high', 'critical'] as const;

const contactPath = (c: Contact) => `/v1/contacts/${encodeURIComponent(c.id)}`;
const methodText = (m: ContactMethod) => `${t.methodTypes[m.type]}: ${m.address}${m.label ? ` (${m.label})` : ''}`;

/** Who gets alerts and reports, by which method: contacts with no login, and every user's own contact. */
export function contactsView(ctx: Context, main: HTMLElement) {
  const host = h('div', { 'aria-busy': 'true' });
  const status = progress();
  const formHost = h('div');
  render(main, section(t.contacts, status.element, formHost, host));
  status
    .track(() =>
      // A user's own email method is the user's address, changed only by them: administrators need to know which one it is.
      Promise.all([readCompanies(ctx), isAdmin(ctx) ? readAll<Me>(ctx.api, '/v1/users') : Promise.resolve([])]),
    )
    .then(
      ([companies, users]) => {
        const list = contactList(ctx, companies, new Map(users.map((u) => [u.id, u.email.toLowerCase()])));
        const add = isAdmin(ctx) ? h('button', { type: 'button', onclick: () => openAddContact(ctx, formHost, companies, list) }, t.addContact) : null;
        render(host, add, list.element);
      },
      (error: unknown) => render(host, h('p', { role: 'alert', class: 'error' }, explain(error))),
    )
    .finally(() => host.removeAttribute('aria-busy'));
}

/** Adding a contact: a name, and the companies it may access (all of the account's, or one). */
function openAddContact(ctx: Context, formHost: HTMLElement, companies: Company[], contacts: ReturnType<typeof contactList>) {
  const name = apiField({ label: t.name, name: 'name', required: true });
  const scope = uid('scope');
  const all = h('input', { type: 'radio', name: scope, id: `${scope}-all`, value: 'all', checked: true });
  const one = h('input', { type: 'radio', name: scope, id: `${scope}-one`, value: 'one' });
  const company = selectField(
    t.company,
    'companies',
    companies.map((c) => [c.id, c.name]),
  );
  const form = h(
    'form',
    { class: 'panel' },
    h('h3', {}, t.addContact),
    name.wrapper,
    h(
      'fieldset',
      {},
      h('legend', {}, t.companiesLegend),
      h('div', { class: 'check' }, all, h('label', { for: all.id }, t.allCompanies)),
      h('div', { class: 'check' }, one, h('label', { for: one.id }, t.thisCompany)),
      company.wrapper,
    ),
    formActions(() => formHost.replaceChildren()),
  );
  apiForm(form, async () => {
    const contact = await ctx.api<Contact>('POST', '/v1/contacts', {
      name: name.control.value.trim(),
      companies: all.checked ? 'all' : [company.control.value],
    });
    formHost.replaceChildren(h('p', { role: 'status' }, t.wasAdded(contact.name)));
    contacts.add(contacts.item(contact));
  });
  render(formHost, form);
  name.control.focus();
}

function contactList(ctx: Context, companies: Company[], userEmails: Map<string, string>) {
  const companyNames = new Map(companies.map((c) => [c.id, c.name]));

  const contactItem = (contact: Contact): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const formHost = h('div');
    // Every change answers differently: the contact as it is now is read again.
    const refresh = async () => item.replaceWith(contactItem(await ctx.api<Contact>('GET', contactPath(contact))));
    const deleting = (name: string, path: string) =>
      actionButton({ text: t.delete, name, busy: t.deleting }, async () => {
        alert.textContent = '';
        try {
          await ctx.api('DELETE', `${contactPath(contact)}${path}`);
          await refresh();
        } catch (error) {
          alert.textContent = explain(error);
        }
      });
    const userEmail = contact.userId ? userEmails.get(contact.userId) : undefined;
    // The user's own address: its type and address follow the user (only its label is the administrator's).
    const isOwnEmail = (m: ContactMethod) => m.type === 'email' && userEmail !== undefined && m.address.toLowerCase() === userEmail;

    const methods = contact.methods.map((m) =>
      h(
        'li',
        {},
        methodText(m),
        isAdmin(ctx)
          ? [
              h('button', { type: 'button', class: 'secondary', 'aria-label': t.editMethodNamed(m.address), onclick: () => openEditMethod(m) }, t.edit),
              isOwnEmail(m) ? null : deleting(t.deleteMethodNamed(m.address), `/methods/${encodeURIComponent(m.id)}`),
            ]
          : null,
      ),
    );
    const rules = contact.rules.map((r) => {
      const method = contact.methods.find((m) => m.id === r.methodId);
      const what =
        r.use === 'alert' ? t.alertsWith((r.urgencies ?? []).map((u) => t.urgencies[u as keyof typeof t.urgencies] ?? u).join(t.listSeparator)) : t.uses.report;
      const text = t.ruleText(what, method?.address ?? t.deletedMethod);
      return h('li', {}, text, isAdmin(ctx) ? deleting(t.deleteRuleNamed(text), `/rules/${encodeURIComponent(r.id)}`) : null);
    });

    const methodForm = (heading: string, method: ContactMethod | undefined, send: (body: Record<string, unknown>) => Promise<unknown>) => {
      const own = method !== undefined && isOwnEmail(method);
      const type = selectField(
        t.type,
        'type',
        methodTypes.map((m) => [m, t.methodTypes[m]]),
        method?.type,
      );
      const address = apiField({ label: t.address, name: 'address', required: true, hint: t.addressHint, value: method?.address });
      const label = apiField({ label: t.label, name: 'label', value: method?.label ?? '' });
      const form = h(
        'form',
        { class: 'panel' },
        h('h4', {}, heading),
        own ? h('p', { class: 'meta' }, methodText(method), ' · ', t.ownEmailNote) : [type.wrapper, address.wrapper],
        label.wrapper,
        formActions(() => formHost.replaceChildren()),
      );
      apiForm(form, async () => {
        await send({
          ...(own ? {} : { type: type.control.value, address: address.control.value.trim() }),
          label: label.control.value.trim() || null,
        });
        await refresh();
      });
      render(formHost, form);
      (own ? label : address).control.focus();
    };
    const openAddMethod = () => methodForm(t.addMethod, undefined, (body) => ctx.api('POST', `${contactPath(contact)}/methods`, body));
    const openEditMethod = (m: ContactMethod) =>
      methodForm(t.editMethodNamed(m.address), m, (body) => ctx.api('PATCH', `${contactPath(contact)}/methods/${encodeURIComponent(m.id)}`, body));

    const openRule = () => {
      const method = selectField(
        t.method,
        'methodId',
        contact.methods.map((m) => [m.id, methodText(m)]),
      );
      const use = selectField(t.use, 'use', [
        ['alert', t.uses.alert],
        ['report', t.uses.report],
      ]);
      const urgencyBoxes = checkboxes(
        t.urgenciesLegend,
        'urgencies',
        urgencies.map((value) => ({ value, label: t.urgencies[value] })),
      );
      // Reports have no urgency: the boxes are only there for alerts.
      use.control.addEventListener('change', () => {
        urgencyBoxes.fieldset.hidden = use.control.value !== 'alert';
      });
      const form = h(
        'form',
        { class: 'panel' },
        h('h4', {}, t.addRule),
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
      method.control.focus();
    };

    const openRename = () => {
      const name = apiField({ label: t.name, name: 'name', required: true, value: contact.name });
      const form = h(
        'form',
        { class: 'panel' },
        h('h4', {}, t.renameNamed(contact.name)),
        name.wrapper,
        formActions(() => formHost.replaceChildren()),
      );
      apiForm(form, async () => {
        await ctx.api('PATCH', contactPath(contact), { name: name.control.value.trim() });
        await refresh();
      });
      render(formHost, form);
      name.control.focus();
    };

    const confirmDelete = () =>
      askToDelete({
        host: formHost,
        alert,
        name: contact.name,
        remove: async () => {
          await ctx.api('DELETE', contactPath(contact));
          item.remove();
        },
        cancel: () => formHost.replaceChildren(),
      });

    const reach = contact.companies === 'all' ? t.allCompanies : contact.companies.map((id) => companyNames.get(id) ?? id).join(t.listSeparator);
    // A user's contact goes with the user: its name is theirs (My account), its companies their access.
    const isContact = contact.kind === 'contact';
    const item = h(
      'li',
      { 'aria-label': contact.name },
      h('span', { class: 'name' }, contact.name),
      h('span', { class: 'meta' }, ` · ${isContact ? t.kindContact : t.kindUser} · ${reach}`),
      isContact ? null : h('p', { class: 'meta' }, t.userContactNote),
      methods.length ? h('ul', { 'aria-label': t.methodsOf(contact.name) }, methods) : h('p', { class: 'meta' }, t.noMethods),
      rules.length ? h('ul', { 'aria-label': t.rulesOf(contact.name) }, rules) : null,
      isAdmin(ctx)
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', onclick: openAddMethod }, t.addMethod),
            contact.methods.length ? h('button', { type: 'button', class: 'secondary', onclick: openRule }, t.addRule) : null,
            isContact
              ? [
                  h('button', { type: 'button', class: 'secondary', 'aria-label': t.renameNamed(contact.name), onclick: openRename }, t.rename),
                  h('button', { type: 'button', class: 'secondary', 'aria-label': t.deleteNamed(contact.name), onclick: confirmDelete }, t.delete),
                ]
              : null,
          )
        : null,
      formHost,
      alert,
    );
    return item;
  };

  return { ...pagedList<Contact>(ctx.api, '/v1/contacts', contactItem, t.noContacts), item: contactItem };
}
