import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireStatus, useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { asGroup, asGroups, entraGroup, entraUser, errorSchema, filterQuery, groupSchema, listSchema, memberIdsOf, scimClient } from '../support/scim.js';

const api = useApi();
const { scim, scimToken, patch, createUser, directory } = scimClient(api);

const createGroup = async (token: string, body: unknown) => asGroup(requireStatus(await scim(token, 'POST', '/Groups', body), 201, 'SCIM group'));
const findGroups = (token: string, filter: string, extra = '') => scim(token, 'GET', `/Groups?${filterQuery(filter)}${extra}`);
const members = async (token: string, id: string) => memberIdsOf(await scim(token, 'GET', `/Groups/${id}`));
const patchGroup = (token: string, id: string, operations: unknown[]) => patch(token, `/Groups/${id}`, operations);

describe('SCIM Groups as Entra ID provisions them', () => {
  it('creates an end-user group of the account, with its externalId, its URI in Location, visible in /v1', async () => {
    const { account, token } = await directory(0);
    const body = entraGroup('Group1DisplayName', [], '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    const created = await scim(token, 'POST', '/Groups', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(created.body).toMatchObject({ schemas: [groupSchema], displayName: 'Group1DisplayName', externalId: body.externalId, members: [] });
    const { id } = asGroup(created);
    expect(created.headers.get('location')).toBe(asGroup(created).meta.location);
    expect(asGroup(created).meta.location).toMatch(new RegExp(`/scim/v2/Groups/${id}$`));
    const groups = await api.call('GET', '/v1/end-user-groups', { token: account.token });
    expect(groups.body.items).toEqual([expect.objectContaining({ id, name: 'Group1DisplayName' })]);
  });

  it('answers a GET with excludedAttributes=members without members, and Entra’s "Test Connection" query with no results', async () => {
    const { token, ids } = await directory(1);
    const { id } = await createGroup(token, entraGroup('Readers', [ids[0]!]));
    const got = await scim(token, 'GET', `/Groups/${id}?excludedAttributes=members`);
    expect(got.body).toMatchObject({ id, displayName: 'Readers', externalId: expect.any(String) });
    expect(asGroup(got).members).toBeUndefined();
    expect(await members(token, id)).toEqual([ids[0]]);
    const none = await findGroups(token, `displayName eq "${randomUUID()}"`, '&excludedAttributes=members');
    expect(none.body).toEqual({ schemas: [listSchema], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('finds a group by displayName (any case), externalId and id, and by and-combinations, each a key read', async () => {
    const { token, ids } = await directory(2);
    const { id } = await createGroup(token, entraGroup('Field Engineers', [ids[0]!], 'grp-ext-1'));
    for (const filter of [
      'displayName eq "field engineers"',
      'externalId eq "grp-ext-1"',
      'externalId eq grp-ext-1',
      `id eq "${id}"`,
      'displayName eq "Field Engineers" and externalId eq "grp-ext-1"',
      `id eq "${id}" and members eq "${ids[0]}"`,
    ]) {
      const found = await findGroups(token, filter, '&excludedAttributes=members');
      expect(found.status, filter).toBe(200);
      expect(asGroups(found), filter).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Field Engineers' }] });
      expect(asGroups(found).Resources[0]!.members).toBeUndefined();
    }
    for (const filter of [
      'displayName eq "Field Engineers" and externalId eq "other"',
      `id eq "${id}" and members eq "${ids[1]}"`,
      'externalId eq "GRP-EXT-1"',
    ])
      expect(asGroups(await findGroups(token, filter)).totalResults, filter).toBe(0);
  });

  it('refuses filters it cannot answer by key with 400 invalidFilter', async () => {
    const { token } = await directory(0);
    for (const filter of ['displayName sw "F"', 'displayName eq "a" or displayName eq "b"', `members eq "${randomUUID()}"`, 'meta.created gt "2020-01-01"']) {
      const res = await findGroups(token, filter);
      expect(res.status, filter).toBe(400);
      expect(res.body, filter).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidFilter' });
    }
  });

  it('pages the account’s groups in name order', async () => {
    const { token } = await directory(0);
    for (const name of ['Charlie', 'alpha', 'Bravo']) await createGroup(token, entraGroup(name));
    const first = asGroups(await scim(token, 'GET', '/Groups?startIndex=1&count=2&excludedAttributes=members'));
    const second = asGroups(await scim(token, 'GET', '/Groups?startIndex=3&count=2'));
    expect(first).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect([...first.Resources, ...second.Resources].map((g) => g.displayName)).toEqual(['alpha', 'Bravo', 'Charlie']);
  });

  it('answers a PATCH with 204 No Content, as Microsoft’s guide asks', async () => {
    const { token, ids } = await directory(1);
    const { id } = await createGroup(token, entraGroup('Quiet'));
    const res = await patchGroup(token, id, [{ op: 'Add', path: 'members', value: [{ $ref: null, value: ids[0] }] }]);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
  });

  it('replaces a group with PUT, and deletes it: a later GET is 404, its members are in no group and its name is free', async () => {
    const { account, token, ids } = await directory(2);
    const { id } = await createGroup(token, entraGroup('Put', [ids[0]!]));
    const put = await scim(token, 'PUT', `/Groups/${id}`, entraGroup('Put again', [ids[1]!], 'put-ext'));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Put again', externalId: 'put-ext', members: [{ value: ids[1] }] });
    expect(await members(token, id)).toEqual([ids[1]]);
    expect((await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token })).body.groupIds).toEqual([]);

    const deleted = await scim(token, 'DELETE', `/Groups/${id}`);
    expect(deleted.status).toBe(204);
    expect((await scim(token, 'GET', `/Groups/${id}`)).body).toMatchObject({ schemas: [errorSchema], status: '404' });
    expect((await api.call('GET', `/v1/end-users/${ids[1]}`, { token: account.token })).body.groupIds).toEqual([]);
    expect(asGroups(await findGroups(token, 'externalId eq "put-ext"')).totalResults).toBe(0);
    await createGroup(token, entraGroup('PUT AGAIN', [], 'put-ext'));
  });

  it('takes a deleted User out of their groups', async () => {
    const { token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Leavers', ids));
    expect((await scim(token, 'DELETE', `/Users/${ids[0]}`)).status).toBe(204);
    expect(await members(token, id)).toEqual([ids[1], ids[2]].sort());
  });
});

describe('SCIM Group displayName is unique per account, case-insensitively', () => {
  it('refuses a second group of the same displayName (any case) with 409 uniqueness', async () => {
    const { token } = await directory(0);
    await createGroup(token, entraGroup('Support'));
    const again = await scim(token, 'POST', '/Groups', entraGroup('SUPPORT'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [errorSchema], status: '409', scimType: 'uniqueness' });
  });

  it('lets one of several concurrent creates of one displayName win; the others get 409 uniqueness', async () => {
    const { token } = await directory(0);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => scim(token, 'POST', '/Groups', entraGroup(i % 2 ? 'RACE' : 'race'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body).toMatchObject({ schemas: [errorSchema], scimType: 'uniqueness' });
    expect(asGroups(await scim(token, 'GET', '/Groups')).totalResults).toBe(1);
  });

  it('lets one of two concurrent renames to one displayName win', async () => {
    const { token } = await directory(0);
    const one = await createGroup(token, entraGroup('One'));
    const two = await createGroup(token, entraGroup('Two'));
    const results = await Promise.all([
      patchGroup(token, one.id, [{ op: 'Replace', path: 'displayName', value: 'Same' }]),
      patchGroup(token, two.id, [{ op: 'replace', value: { displayName: 'SAME' } }]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ schemas: [errorSchema], scimType: 'uniqueness' });
    expect(asGroups(await findGroups(token, 'displayName eq "same"')).totalResults).toBe(1);
  });

  it('holds across /v1 and SCIM, frees a name when a group is renamed, and allows a change of case', async () => {
    const { account, token } = await directory(0);
    const { id } = await createGroup(token, entraGroup('Managers'));
    const viaV1 = await api.call('POST', '/v1/end-user-groups', { token: account.token, body: { name: 'MANAGERS' } });
    expect(viaV1.status).toBe(409);
    expect((await patchGroup(token, id, [{ op: 'replace', path: 'displayName', value: 'managers' }])).status).toBe(204);
    expect((await patchGroup(token, id, [{ op: 'replace', path: 'displayName', value: 'Leads' }])).status).toBe(204);
    expect((await api.call('POST', '/v1/end-user-groups', { token: account.token, body: { name: 'Managers' } })).status).toBe(201);
    expect((await scim(token, 'POST', '/Groups', entraGroup('leads'))).status).toBe(409);
  });
});

describe('SCIM Group externalId', () => {
  it('is kept and returned, changed by path and path-less, taken away by remove, and found by filter', async () => {
    const { token } = await directory(0);
    const { id } = await createGroup(token, entraGroup('External', [], 'first-ext'));
    expect(asGroup(await scim(token, 'GET', `/Groups/${id}`)).externalId).toBe('first-ext');
    expect((await patchGroup(token, id, [{ op: 'Replace', path: 'externalId', value: 'second-ext' }])).status).toBe(204);
    expect(asGroups(await findGroups(token, 'externalId eq "first-ext"')).totalResults).toBe(0);
    expect(asGroups(await findGroups(token, 'externalId eq "second-ext"')).Resources.map((g) => g.id)).toEqual([id]);
    await patchGroup(token, id, [{ op: 'replace', value: { externalId: 'third-ext', displayName: 'External' } }]);
    expect(asGroup(await scim(token, 'GET', `/Groups/${id}`)).externalId).toBe('third-ext');
    await patchGroup(token, id, [{ op: 'remove', path: 'externalId' }]);
    expect(asGroup(await scim(token, 'GET', `/Groups/${id}`))).not.toHaveProperty('externalId');
    expect(asGroups(await findGroups(token, 'externalId eq "third-ext"')).totalResults).toBe(0);
  });

  it('is unique in the directory (409 uniqueness)', async () => {
    const { token } = await directory(0);
    await createGroup(token, entraGroup('First', [], 'dup-ext'));
    const res = await scim(token, 'POST', '/Groups', entraGroup('Second', [], 'dup-ext'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ scimType: 'uniqueness' });
    expect(asGroups(await findGroups(token, 'displayName eq "Second"')).totalResults).toBe(0);
  });
});

/**
 * Member changes in both of Entra's dialects (Microsoft's "Known issues and resolutions with SCIM 2.0
 * protocol compliance"): without the aadOptscim062020 flag members leave by a value list; with it,
 * by a `members[value eq "…"]` path. RFC 7644 §3.5.2's examples use the latter.
 */
const memberDialects = [
  {
    name: 'without the aadOptscim062020 flag',
    add: (ids: string[]) => [{ op: 'Add', path: 'members', value: ids.map((value) => ({ $ref: null, value })) }],
    remove: (ids: string[]) => [{ op: 'Remove', path: 'members', value: ids.map((value) => ({ value })) }],
    replace: (ids: string[]) => [{ op: 'Replace', path: 'members', value: ids.map((value) => ({ value })) }],
  },
  {
    name: 'with the aadOptscim062020 flag',
    add: (ids: string[]) => [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    remove: (ids: string[]) => ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
    replace: (ids: string[]) => [{ op: 'replace', value: { members: ids.map((value) => ({ value })) } }],
  },
];

describe.each(memberDialects)('Entra’s Group member PATCH $name', (dialect) => {
  it('adds members, one or several at once, and shows them in the end users’ groupIds', async () => {
    const { account, token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Adds'));
    expect((await patchGroup(token, id, dialect.add([ids[0]!]))).status).toBe(204);
    expect((await patchGroup(token, id, dialect.add([ids[1]!, ids[2]!, ids[0]!]))).status).toBe(204);
    expect(await members(token, id)).toEqual([...ids].sort());
    expect((await api.call('GET', `/v1/end-users/${ids[2]}`, { token: account.token })).body.groupIds).toEqual([id]);
  });

  it('removes members, one or several at once', async () => {
    const { token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Removes', ids));
    expect((await patchGroup(token, id, dialect.remove([ids[0]!]))).status).toBe(204);
    expect((await patchGroup(token, id, dialect.remove([ids[1]!, ids[0]!]))).status).toBe(204);
    expect(await members(token, id)).toEqual([ids[2]]);
  });

  it('replaces the members', async () => {
    const { account, token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Replaces', [ids[0]!, ids[1]!]));
    expect((await patchGroup(token, id, dialect.replace([ids[1]!, ids[2]!]))).status).toBe(204);
    expect(await members(token, id)).toEqual([ids[1], ids[2]].sort());
    expect((await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token })).body.groupIds).toEqual([]);
  });
});

describe('SCIM Group PATCH as RFC 7644 §3.5.2 shows it', () => {
  it('removes all members, then removes one and adds another in one request, and renames by a path-less replace', async () => {
    const { token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Rfc', [ids[0]!, ids[1]!]));
    await patchGroup(token, id, [
      { op: 'remove', path: `members[value eq "${ids[0]}"]` },
      { op: 'add', path: 'members', value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${ids[2]}`, value: ids[2] }] },
    ]);
    expect(await members(token, id)).toEqual([ids[1], ids[2]].sort());
    expect((await patchGroup(token, id, [{ op: 'remove', path: 'members' }])).status).toBe(204);
    expect(await members(token, id)).toEqual([]);
    expect((await patchGroup(token, id, [{ op: 'Replace', value: { id, displayName: 'After' } }])).status).toBe(204);
    expect(asGroup(await scim(token, 'GET', `/Groups/${id}`)).displayName).toBe('After');
    expect(asGroups(await findGroups(token, 'displayName eq "Rfc"')).totalResults).toBe(0);
  });
});

describe('A SCIM Group PATCH is all or nothing', () => {
  it('refuses a member that is not a User of the directory with 400 invalidValue, changing nothing of the request', async () => {
    const { account, token, ids } = await directory(3);
    const { id } = await createGroup(token, entraGroup('Strict', [ids[0]!]));
    const mixed = await patchGroup(token, id, [
      { op: 'replace', path: 'displayName', value: 'Renamed' },
      { op: 'add', path: 'members', value: [{ value: ids[1] }, { value: 'eu_nobody' }] },
    ]);
    expect(mixed.status).toBe(400);
    expect(mixed.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidValue' });
    const unchanged = asGroup(await scim(token, 'GET', `/Groups/${id}`));
    expect(unchanged).toMatchObject({ displayName: 'Strict', members: [{ value: ids[0] }] });
    expect((await api.call('GET', `/v1/end-users/${ids[1]}`, { token: account.token })).body.groupIds).toEqual([]);

    for (const operations of [
      [{ op: 'remove', path: 'members[value eq "eu_nobody"]' }],
      [{ op: 'Remove', path: 'members', value: [{ value: ids[0] }, { value: 'eu_nobody' }] }],
      [{ op: 'Replace', path: 'members', value: [{ value: ids[2] }, { value: 'eu_nobody' }] }],
    ]) {
      const res = await patchGroup(token, id, operations);
      expect(res.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidValue' });
      expect(await members(token, id)).toEqual([ids[0]]);
    }
  });

  it('takes members of another directory of the account as invalid values, and never touches them', async () => {
    const { account, token, ids } = await directory(1);
    const other = requireStatus(await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'Other' } }), 201, 'company').body;
    const otherToken = await scimToken(account, other.id);
    const stranger = await createUser(otherToken, entraUser(`stranger-${randomUUID()}@example.test`));
    const { id } = await createGroup(token, entraGroup('Shared', [ids[0]!]));
    expect((await patchGroup(otherToken, id, [{ op: 'add', path: 'members', value: [{ value: stranger.id }] }])).status).toBe(204);
    // This directory sees only its own member, and its replacement leaves the other directory's alone.
    expect(await members(token, id)).toEqual([ids[0]]);
    expect((await patchGroup(token, id, [{ op: 'add', path: 'members', value: [{ value: stranger.id }] }])).body).toMatchObject({ scimType: 'invalidValue' });
    expect((await patchGroup(token, id, [{ op: 'replace', path: 'members', value: [] }])).status).toBe(204);
    expect(await members(otherToken, id)).toEqual([stranger.id]);
  });

  it('adds and removes more members in one request than one transaction holds', async () => {
    const { account, token, ids } = await directory(60);
    const { id } = await createGroup(token, entraGroup('Large', ids.slice(0, 5)));
    expect((await patchGroup(token, id, [{ op: 'replace', path: 'members', value: ids.slice(5).map((value) => ({ value })) }])).status).toBe(204);
    expect(await members(token, id)).toEqual(ids.slice(5).sort());
    expect((await api.call('GET', `/v1/end-users/${ids[59]}`, { token: account.token })).body.groupIds).toEqual([id]);
    expect((await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token })).body.groupIds).toEqual([]);
  });

  it('undoes what a large request wrote when its last part fails: a rename to a taken displayName with 60 new members', async () => {
    const { account, token, ids } = await directory(60);
    await createGroup(token, entraGroup('Taken'));
    const { id } = await createGroup(token, entraGroup('Mine'));
    const res = await patchGroup(token, id, [
      { op: 'add', path: 'members', value: ids.map((value) => ({ value })) },
      { op: 'replace', path: 'displayName', value: 'TAKEN' },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [errorSchema], scimType: 'uniqueness' });
    expect(asGroup(await scim(token, 'GET', `/Groups/${id}`))).toMatchObject({ displayName: 'Mine', members: [] });
    expect((await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token })).body.groupIds).toEqual([]);
    const trail = await api.call('GET', '/v1/audit-events?resource=end_user_group&limit=100', { token: account.token });
    expect(trail.body.items.filter((e) => e.resourceId === id && e.fields && 'membersAdded' in e.fields)).toEqual([]);
  });
});

describe('SCIM tenant isolation for Groups', () => {
  it('shows a token nothing of another account’s groups, and lets no group take another account’s users', async () => {
    const mine = await directory(2);
    const theirs = await directory(1);
    const { id } = await createGroup(mine.token, entraGroup('Private', mine.ids, 'private-ext'));
    expect((await scim(theirs.token, 'GET', `/Groups/${id}`)).status).toBe(404);
    expect((await patchGroup(theirs.token, id, [{ op: 'add', path: 'members', value: [{ value: theirs.ids[0] }] }])).status).toBe(404);
    expect((await scim(theirs.token, 'PUT', `/Groups/${id}`, entraGroup('Stolen'))).status).toBe(404);
    expect((await scim(theirs.token, 'DELETE', `/Groups/${id}`)).status).toBe(404);
    for (const filter of ['displayName eq "Private"', 'externalId eq "private-ext"', `id eq "${id}"`])
      expect(asGroups(await findGroups(theirs.token, filter)).totalResults, filter).toBe(0);
    expect(asGroups(await scim(theirs.token, 'GET', '/Groups')).totalResults).toBe(0);
    const res = await scim(theirs.token, 'POST', '/Groups', entraGroup('Thieves', [mine.ids[0]!]));
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidValue' });
    // The same name in another account is another group.
    expect((await scim(theirs.token, 'POST', '/Groups', entraGroup('Private'))).status).toBe(201);
  });

  it('does not accept a new account’s signed-up admin as a group member through SCIM', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const res = await scim(token, 'POST', '/Groups', entraGroup('Admins', [account.adminId]));
    expect(res.body).toMatchObject({ scimType: 'invalidValue' });
  });
});
