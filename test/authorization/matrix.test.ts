import { beforeAll, describe, expect, it } from 'vitest';
import { routes, splitRouteKey } from '../../shared/http/routes.js';
import { useApi } from '../support/api.js';
import { buildWorld, personas, type World } from './world.js';
import type { MatrixEntry } from './matrix.js';
import { platformEntries } from './platform-entries.js';
import { serviceDeskEntries } from './service-desk-entries.js';
import { notificationEntries } from './notification-entries.js';
import { contactsEntries } from './contacts-entries.js';
import { teamsEntries } from './teams-entries.js';

const api = useApi();

/** Every concept's rows; a route without a row fails the first test below. */
const entries: Record<string, MatrixEntry> = { ...platformEntries, ...serviceDeskEntries, ...notificationEntries, ...contactsEntries, ...teamsEntries };

let world: World;
beforeAll(async () => {
  world = await buildWorld(api);
}, 120_000);

describe('The authorisation matrix', () => {
  it('has a row for every route of the route table, and no row for a route that does not exist', () => {
    expect(Object.keys(entries).sort()).toEqual(Object.keys(routes).sort());
  });

  for (const key of Object.keys(routes)) {
    it(`answers ${key} with the contract's status for each caller`, async () => {
      const entry = entries[key];
      expect(entry, `no matrix row for ${key}`).toBeDefined();
      // An `ANY` route (SCIM's) takes every method: it is probed with GET.
      const method = splitRouteKey(key).method.replace(/^ANY$/, 'GET');
      const actual: Record<string, number> = {};
      for (const persona of personas) {
        const request = await entry!.request(world, persona);
        const res = await api.callRaw(method, request.path, { token: world.tokens[persona], body: request.body });
        actual[persona] = res.status;
      }
      expect(actual).toEqual(entry!.expect);
    });
  }
});
