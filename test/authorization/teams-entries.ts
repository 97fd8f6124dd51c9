import { randomUUID } from 'node:crypto';
import { adminWriteInA, everyone, readInC1, type MatrixEntry } from './matrix.js';
import type { World } from './world.js';

/** C1 linked to a tenant of its own, afresh for each caller (an unlink removes the link). */
async function linkedC1(w: World) {
  await w.api.call('PUT', `/v1/companies/${w.c1}/teams`, { token: w.account.token, body: { tenantId: randomUUID() } });
  return { path: `/v1/companies/${w.c1}/teams` };
}

/** Microsoft Teams: the tenant link, and the Bot Framework messaging endpoint. */
export const teamsEntries: Record<string, MatrixEntry> = {
  'GET /v1/companies/{companyId}/teams': { request: linkedC1, expect: readInC1() },
  'PUT /v1/companies/{companyId}/teams': {
    request: (w) => ({ path: `/v1/companies/${w.c1}/teams`, body: { tenantId: randomUUID() } }),
    expect: adminWriteInA(200),
  },
  'DELETE /v1/companies/{companyId}/teams': { request: linkedC1, expect: adminWriteInA(204) },
  // Our own tokens are no Bot Framework tokens: every caller is refused before the activity is read.
  'POST /api/messages': { request: () => ({ path: '/api/messages', body: { type: 'message' } }), expect: everyone(401) },
};
