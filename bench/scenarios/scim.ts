import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';

const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A User as Entra ID creates one (Microsoft's SCIM guide, "Create User"). */
const entraUser = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId: randomUUID(),
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: userName }],
  name: { familyName: 'Sync', givenName: 'Bench' },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Bench' },
});

/** Entra's replace of several attributes (the aadOptscim062020 dialect). */
const entraUserPatch = (familyName: string) => ({
  schemas: [patchSchema],
  Operations: [{ op: 'replace', value: { 'name.familyName': familyName, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Ops' } }],
});

const addMembers = (ids: string[]) => ({ schemas: [patchSchema], Operations: [{ op: 'Add', path: 'members', value: ids.map((value) => ({ value })) }] });

const filterUserName = (userName: string) => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

/** The sustained mix's rate and length: Microsoft asks a gallery SCIM endpoint for at least 25 requests a second per tenant. */
const sustainedRate = 30;
const sustainedSeconds = 15;

/**
 * Directory sync: what Entra ID's requests cost (one each, after a warm-up), then a sync-like mix
 * under sustained load against one token. Each load connection provisions users as Entra does: it
 * looks the userName up, creates the User, updates it, and adds it to a group.
 */
export async function scimScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const admin = context.adminToken;
  const company = await system.call('POST', '/v1/companies', { token: admin, body: { name: 'Directory' } });
  const created = await system.call('POST', '/v1/scim-tokens', { token: admin, body: { companyId: company.body.id, description: 'Bench' } });
  const token = created.body.token as string;
  const call = (method: string, path: string, body?: unknown) => system.call(method, path, { token, ...(body !== undefined && { body }) });
  const createUser = async (userName: string) => {
    const res = await call('POST', '/scim/v2/Users', entraUser(userName));
    if (res.status !== 201) throw new Error(`SCIM user: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  await createUser('warm@directory.test');
  const user = await createUser('jenny.young@directory.test');
  record('POST /scim/v2/Users (create user, enterprise extension)', user);
  await call('GET', filterUserName('warm@directory.test'));
  record('GET /scim/v2/Users?filter=userName eq (found)', await call('GET', filterUserName('JENNY.YOUNG@directory.test')));
  record('GET /scim/v2/Users?filter=userName eq (Test Connection: none)', await call('GET', filterUserName(randomUUID())));
  record('PATCH /scim/v2/Users/{id} (path-less replace of 2 attributes)', await call('PATCH', `/scim/v2/Users/${user.body.id}`, entraUserPatch('Young')));

  const members = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(`member${i}@directory.test`).then((r) => r.body.id as string)));
  await call('POST', '/scim/v2/Groups', { displayName: 'Warm', members: [] });
  const group = await call('POST', '/scim/v2/Groups', { displayName: 'Engineers', externalId: randomUUID(), members: [] });
  record('POST /scim/v2/Groups (create group)', group);
  const groupPath = `/scim/v2/Groups/${group.body.id}`;
  record('PATCH /scim/v2/Groups/{id} (add 10 members)', await call('PATCH', groupPath, addMembers(members.slice(0, 10))));
  record(
    'PATCH /scim/v2/Groups/{id} (remove 10 members by members[value eq])',
    await call('PATCH', groupPath, {
      schemas: [patchSchema],
      Operations: members.slice(0, 10).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
    }),
  );
  record(
    'PATCH /scim/v2/Groups/{id} (replace with 20 members)',
    await call('PATCH', groupPath, { schemas: [patchSchema], Operations: [{ op: 'replace', path: 'members', value: members.map((value) => ({ value })) }] }),
  );
  record(
    'GET /scim/v2/Groups?filter=displayName eq&excludedAttributes=members',
    await call('GET', `/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "engineers"')}&excludedAttributes=members`),
  );
  record('GET /scim/v2/Groups/{id} (20 members)', await call('GET', groupPath));

  const load = await sustainedMix(system, token, groupPath);
  console.log(
    `\nSCIM sync mix under sustained load (autocannon, ${sustainedRate} req/s asked, ${sustainedSeconds} s, one token: GET filter userName, POST user, PATCH user, PATCH group members)\n`,
  );
  console.log('| requests | req/s achieved | p50 ms | p99 ms | non-2xx |');
  console.log('|----------|----------------|--------|--------|---------|');
  console.log(
    `| ${load.requests.total} | ${(load.requests.total / sustainedSeconds).toFixed(1)} | ${load.latency.p50} | ${load.latency.p99} | ${load.non2xx} |\n`,
  );
}

/** Each connection, in order: look a new userName up (none), create it, update it, add it to the group. */
function sustainedMix(system: BenchSystem, token: string, groupPath: string) {
  interface Cycle {
    userName?: string;
    id?: string;
  }
  return autocannon({
    url: system.baseUrl,
    connections: 4,
    duration: sustainedSeconds,
    overallRate: sustainedRate,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    requests: [
      {
        method: 'GET',
        setupRequest: (req, context) => {
          const cycle = context as Cycle;
          cycle.userName = `sync-${randomUUID()}@directory.test`;
          return { ...req, path: filterUserName(cycle.userName) };
        },
      },
      {
        method: 'POST',
        path: '/scim/v2/Users',
        setupRequest: (req, context) => ({ ...req, body: JSON.stringify(entraUser((context as Cycle).userName!)) }),
        onResponse: (status, body, context) => {
          if (status === 201) (context as Cycle).id = (JSON.parse(body) as { id: string }).id;
        },
      },
      {
        method: 'PATCH',
        setupRequest: (req, context) => ({ ...req, path: `/scim/v2/Users/${(context as Cycle).id}`, body: JSON.stringify(entraUserPatch('Synced')) }),
      },
      {
        method: 'PATCH',
        path: groupPath,
        setupRequest: (req, context) => ({ ...req, body: JSON.stringify(addMembers([(context as Cycle).id!])) }),
      },
    ],
  });
}
