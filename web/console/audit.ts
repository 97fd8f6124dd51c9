import { h, render } from '../shared/dom.ts';
import { fullName } from './configure.ts';
import { explain, section, selectField } from './forms.ts';
import { locale, t } from './i18n.ts';
import { pagedList, progress, readAll } from './lists.ts';
import type { Context, Me } from './session.ts';

interface AuditEvent {
  id: string;
  actorId: string | null;
  at: string;
  resourceType: string;
  resourceId: string;
  action: string;
  fields?: Record<string, { from?: unknown; to?: unknown }>;
}

/** What `?resource=` filters by: every kind of resource the API records. */
const resourceTypes = [
  'account',
  'company',
  'contact',
  'device',
  'end_user',
  'end_user_group',
  'integration_key',
  'portal',
  'report_subscription',
  'scim_token',
  'scim_user',
  'seat',
  'settings',
  'user',
] as const;

const pageSize = 20;

/**
 * The audit trail, newest first as the API gives it, narrowed by resource and by who acted
 * (`#audit/<resource>/<actorId>`, so a filtered view can be linked), older pages behind "Load more".
 * Read-only for everyone.
 */
export function auditView(ctx: Context, main: HTMLElement, resource = '', actorId = '') {
  const host = h('div', { 'aria-busy': 'true' });
  const status = progress();
  render(main, section(t.auditTrail, status.element, host));
  // The API keeps the trail for administrators (403 for anyone else): say so instead of asking.
  if (ctx.me.role !== 'administrator') {
    host.removeAttribute('aria-busy');
    render(host, h('p', {}, t.auditAdminsOnly));
    return;
  }
  status
    .track(() => readAll<Me>(ctx.api, '/v1/users'))
    .then(
      (users) => {
        const names = new Map(users.map((u) => [u.id, fullName(u)]));
        const actor = (id: string | null) => (id ? (names.get(id) ?? t.formerUser) : t.theSystem);
        const resourceName = (type: string) => t.resourceTypes[type] ?? type;

        const resourceChoice = selectField(
          t.resourceFilter,
          'resource',
          [['', t.anyResource], ...resourceTypes.map((r) => [r, resourceName(r)] as const)],
          resource,
        );
        const actorChoice = selectField(t.actorFilter, 'actorId', [['', t.anyone], ...users.map((u) => [u.id, fullName(u)] as const)], actorId);
        const filters = h(
          'form',
          { role: 'search', 'aria-label': t.filterAudit, class: 'inline' },
          resourceChoice.wrapper,
          actorChoice.wrapper,
          h('button', { type: 'submit', class: 'secondary' }, t.show),
        );
        filters.addEventListener('submit', (event) => {
          event.preventDefault();
          const chosen = [resourceChoice.control.value, actorChoice.control.value].map(encodeURIComponent);
          location.hash = chosen.some(Boolean) ? `#audit/${chosen.join('/')}` : '#audit';
        });

        const query = new URLSearchParams({ limit: String(pageSize) });
        if (resource) query.set('resource', resource);
        if (actorId) query.set('actorId', actorId);
        const eventItem = (event: AuditEvent) => {
          const fields = Object.keys(event.fields ?? {});
          return h(
            'li',
            {},
            h('time', { datetime: event.at }, new Date(event.at).toLocaleString(locale())),
            ' ',
            h(
              'span',
              { class: 'name' },
              t.auditEvent(actor(event.actorId), t.auditActions[event.action] ?? event.action, resourceName(event.resourceType), event.resourceId),
            ),
            fields.length ? h('span', { class: 'meta' }, ` · ${fields.join(', ')}`) : null,
          );
        };
        const events = pagedList<AuditEvent>(ctx.api, `/v1/audit-events?${query}`, eventItem, t.nothingRecorded);
        render(host, filters, events.element);
      },
      (error: unknown) => render(host, h('p', { role: 'alert', class: 'error' }, explain(error))),
    )
    .finally(() => host.removeAttribute('aria-busy'));
}
