import { ApiError } from '../shared/api.ts';
import { h, render, uid } from '../shared/dom.ts';
import { type Company, readCompanies } from './configure.ts';
import { apiField, apiForm, askToDelete, checkboxes, explain, FieldError, formActions, section, selectField } from './forms.ts';
import { t } from './i18n.ts';
import { pagedList, progress } from './lists.ts';
import { type Context, isAdmin } from './session.ts';

interface Device {
  id: string;
  name: string;
  companyIds: string[];
  group: string;
  kind: 'workstation' | 'server' | 'mobile' | 'other';
  os: string;
}

const kinds = ['workstation', 'server', 'mobile', 'other'] as const;

/** Where a company's inventory is, optionally narrowed to one device group. */
export const devicesHref = (companyId: string, group?: string) => `#devices/${encodeURIComponent(companyId)}${group ? `/${encodeURIComponent(group)}` : ''}`;

/**
 * Each company's device inventory (`#devices/<companyId>[/<group>]`), page by page; administrators
 * add, change and delete devices there, everyone else reads.
 */
export function devicesView(ctx: Context, main: HTMLElement, companyId?: string, group?: string) {
  const host = h('div', { 'aria-busy': 'true' });
  const status = progress();
  render(main, section(t.devices, status.element, host));
  status
    .track(() => readCompanies(ctx))
    .then(
      (companies) => {
        const company = companies.find((c) => c.id === companyId) ?? companies[0];
        if (company) inventory(ctx, host, companies, company, group ?? '');
        else render(host, h('p', { class: 'empty' }, t.noCompanies));
      },
      (error: unknown) => render(host, h('p', { role: 'alert', class: 'error' }, explain(error))),
    )
    .finally(() => host.removeAttribute('aria-busy'));
}

function inventory(ctx: Context, host: HTMLElement, companies: Company[], company: Company, group: string) {
  const companyNames = new Map(companies.map((c) => [c.id, c.name]));
  const pageStatus = h('p', { role: 'status' });

  // Choosing what to see changes nothing: a search form, for technicians too.
  const chosen = selectField(
    t.company,
    'company',
    companies.map((c) => [c.id, c.name]),
    company.id,
  );
  const groupField = apiField({ label: t.group, name: 'group', value: group, hint: t.groupFilterHint });
  const finder = h(
    'form',
    { role: 'search', 'aria-label': t.findDevices, class: 'inline' },
    chosen.wrapper,
    groupField.wrapper,
    h('button', { type: 'submit', class: 'secondary' }, t.show),
  );
  finder.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = devicesHref(chosen.control.value, groupField.control.value.trim());
  });

  const heading = h('h3', {}, group ? t.devicesOfGroup(company.name, group) : t.devicesOf(company.name));
  const allGroups = group ? h('p', {}, h('a', { href: devicesHref(company.id) }, t.allGroups)) : null;
  const path = `/v1/companies/${encodeURIComponent(company.id)}/devices${group ? `?group=${encodeURIComponent(group)}` : ''}`;
  // A device changed so that it no longer belongs to this list leaves it, and the page says so.
  const belongsHere = (device: Device) => device.companyIds.includes(company.id) && (!group || device.group === group);

  const deviceItem = (device: Device): HTMLElement => {
    const alert = h('p', { role: 'alert', class: 'error' });
    const editHost = h('div');
    const others = device.companyIds.filter((id) => id !== company.id).map((id) => companyNames.get(id) ?? id);
    const replace = (updated: Device) => {
      if (belongsHere(updated)) item.replaceWith(deviceItem(updated));
      else {
        item.remove();
        pageStatus.textContent = t.noLongerListed(updated.name);
      }
    };
    const item = h(
      'li',
      { 'aria-label': device.name },
      h('span', { class: 'name' }, device.name),
      h('span', { class: 'meta' }, ` · ${t.kinds[device.kind]}${device.os ? ` · ${device.os}` : ''} · `),
      device.group ? h('a', { href: devicesHref(company.id, device.group) }, t.groupNamed(device.group)) : h('span', { class: 'meta' }, t.noGroup),
      others.length ? h('span', { class: 'meta' }, ` · ${t.alsoIn(others.join(t.listSeparator))}`) : null,
      isAdmin(ctx)
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': t.editNamed(device.name),
                onclick: () => deviceForm(ctx, editHost, companies, { device, company }, replace),
              },
              t.edit,
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': t.deleteNamed(device.name),
                onclick: () =>
                  askToDelete({
                    host: editHost,
                    alert,
                    name: device.name,
                    remove: async () => {
                      await ctx.api('DELETE', `/v1/devices/${encodeURIComponent(device.id)}`);
                      item.remove();
                      pageStatus.textContent = t.wasDeleted(device.name);
                    },
                    cancel: () => editHost.replaceChildren(),
                  }),
              },
              t.delete,
            ),
          )
        : null,
      editHost,
      alert,
    );
    return item;
  };

  const devices = pagedList<Device>(ctx.api, path, deviceItem, group ? t.noDevicesInGroup : t.noDevices);
  const formHost = h('div');
  const add = isAdmin(ctx)
    ? h(
        'button',
        {
          type: 'button',
          onclick: () =>
            deviceForm(ctx, formHost, companies, { company }, (device) => {
              formHost.replaceChildren(h('p', { role: 'status' }, t.wasAdded(device.name)));
              if (belongsHere(device)) devices.add(deviceItem(device));
            }),
        },
        t.addDevice,
      )
    : null;
  render(host, finder, heading, allGroups, add, formHost, pageStatus, devices.element);
}

/** The form to add a device to a company, or to change one: name, kind, system, group, companies. */
function deviceForm(ctx: Context, host: HTMLElement, companies: Company[], of: { company: Company; device?: Device }, saved: (device: Device) => void) {
  const { device, company } = of;
  const name = apiField({ label: t.name, name: 'name', required: true, value: device?.name });
  const kind = selectField(
    t.kind,
    'kind',
    kinds.map((k) => [k, t.kinds[k]]),
    device?.kind ?? 'workstation',
  );
  const os = apiField({ label: t.os, name: 'os', value: device?.os });
  const group = apiField({ label: t.group, name: 'group', value: device?.group });
  const companyBoxes = checkboxes(
    t.companiesLegend,
    'companyIds',
    companies.map((c) => ({ value: c.id, label: c.name, checked: device ? device.companyIds.includes(c.id) : c.id === company.id })),
  );
  const headingId = uid('device-form');
  const form = h(
    'form',
    { class: 'panel', 'aria-labelledby': headingId },
    h('h4', { id: headingId }, device ? t.editNamed(device.name) : t.addDevice),
    name.wrapper,
    kind.wrapper,
    os.wrapper,
    group.wrapper,
    companyBoxes.fieldset,
    formActions(() => host.replaceChildren()),
  );
  apiForm(form, async () => {
    const body = {
      name: name.control.value.trim(),
      kind: kind.control.value,
      os: os.control.value.trim(),
      group: group.control.value.trim(),
      companyIds: companyBoxes.values(),
    };
    try {
      const result = device
        ? await ctx.api<Device>('PATCH', `/v1/devices/${encodeURIComponent(device.id)}`, body)
        : await ctx.api<Device>('POST', '/v1/devices', body);
      if (device) host.replaceChildren();
      saved(result);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'company_required') throw new FieldError('companyIds', t.needsCompany);
      throw error;
    }
  });
  render(host, form);
  name.control.focus();
}
