import { h, render, uid } from '../shared/dom.ts';
import type { Context } from './configure.ts';
import { explain, pagedList, readAll } from './session.ts';

interface AuditEvent {
  id: string;
  actorId: string | null;
  at: string;
  resourceType: string;
  resourceId: string;
  action: string;
  fields?: Record<string, { from?: unknown; to?: unknown }>;
}

interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

const actions: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  sign_in: 'signed in to',
  sign_in_failed: 'failed to sign in to',
};

/** The audit trail, newest first as the API gives it, older pages behind "Load more". Read-only for everyone. */
export function auditView(ctx: Context, main: HTMLElement) {
  const id = uid('section');
  const host = h('div');
  render(main, h('section', { 'aria-labelledby': id }, h('h2', { id }, 'Audit trail'), host));
  // The API keeps the trail for administrators (403 for anyone else): say so instead of asking.
  if (ctx.me.role !== 'administrator') {
    render(host, h('p', {}, 'Only administrators see the audit trail.'));
    return;
  }
  void (async () => {
    let names = new Map<string, string>();
    try {
      const users = await readAll<Person>(ctx.api, '/v1/users');
      names = new Map(users.map((u) => [u.id, `${u.firstName} ${u.lastName}`.trim()]));
    } catch (error) {
      render(host, h('p', { role: 'alert', class: 'error' }, explain(error)));
      return;
    }
    const actor = (actorId: string | null) => (actorId ? (names.get(actorId) ?? 'A former user') : 'The system');
    const eventItem = (event: AuditEvent) => {
      const fields = Object.keys(event.fields ?? {});
      return h(
        'li',
        {},
        h('time', { datetime: event.at }, new Date(event.at).toLocaleString()),
        ' ',
        h('span', { class: 'name' }, `${actor(event.actorId)} ${actions[event.action] ?? event.action} ${event.resourceType} ${event.resourceId}`),
        fields.length ? h('span', { class: 'meta' }, ` · ${fields.join(', ')}`) : null,
      );
    };
    render(host, pagedList<AuditEvent>(ctx.api, '/v1/audit-events?limit=20', eventItem, 'Nothing recorded yet.').element);
  })();
}
