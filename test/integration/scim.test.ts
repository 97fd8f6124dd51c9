import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireStatus, useApi, type RawResponse } from '../support/api.js';
import { password, signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { setPasswordToken } from '../support/service-desk.js';

const api = useApi();

const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface ScimUserBody {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  name: { givenName: string; familyName: string };
  emails: { value: string }[];
  meta: { location: string };
}

interface ListBody {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimUserBody[];
}

async function scimToken(account: SignedUpAccount, companyId = account.defaultCompanyId): Promise<string> {
  const res = requireStatus(
    await api.call('POST', '/v1/scim-tokens', { token: account.token, body: { companyId, description: 'Entra ID' } }),
    201,
    'SCIM token',
  );
  return res.body.token;
}

const scim = (token: string, method: string, path: string, body?: unknown) =>
  api.callRaw(method, `/scim/v2${path}`, { token, ...(body !== undefined && { body, headers: { 'content-type': 'application/scim+json' } }) });

/** A user as Entra ID's provisioning service creates one (Microsoft's SCIM tutorial, "Create User"). */
const entraUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [userSchema, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId: `ext-${randomUUID()}`,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'Young', givenName: 'Jenny' },
  roles: [],
  ...extra,
});

const user = (res: RawResponse) => res.body as ScimUserBody;
const list = (res: RawResponse) => res.body as ListBody;

describe('SCIM tokens', () => {
  it('shows the secret once, lists tokens without it, and revokes one at once', async () => {
    const account = await signUpAccount(api);
    const created = await api.call('POST', '/v1/scim-tokens', { token: account.token, body: { companyId: account.defaultCompanyId, description: 'Entra ID' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ companyId: account.defaultCompanyId, description: 'Entra ID', token: expect.stringMatching(/^dst\./) });
    const secret = created.body.token;

    const listed = await api.call('GET', '/v1/scim-tokens', { token: account.token });
    expect(listed.body.items).toEqual([
      { id: created.body.id, companyId: account.defaultCompanyId, description: 'Entra ID', createdAt: created.body.createdAt },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret.split('.')[2]);

    expect((await scim(secret, 'GET', '/Users')).status).toBe(200);
    expect((await api.call('DELETE', `/v1/scim-tokens/${created.body.id}`, { token: account.token })).status).toBe(204);
    const revoked = await scim(secret, 'GET', '/Users');
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ schemas: [errorSchema], status: '401' });
    expect((await api.callRaw('DELETE', `/v1/scim-tokens/${created.body.id}`, { token: account.token })).status).toBe(404);
  });

  it('refuses a token for a company of another account', async () => {
    const account = await signUpAccount(api);
    const other = await signUpAccount(api);
    const res = await api.call('POST', '/v1/scim-tokens', { token: account.token, body: { companyId: other.defaultCompanyId, description: 'x' } });
    expect(res.status).toBe(404);
  });

  it('answers a missing or wrong bearer with 401 in SCIM’s error shape', async () => {
    for (const token of [undefined, 'dst.nope.nope', 'not-a-token']) {
      const res = await api.callRaw('GET', '/scim/v2/Users', token ? { token } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [errorSchema], status: '401' });
    }
  });
});

describe('SCIM discovery', () => {
  it('serves ServiceProviderConfig, and ResourceTypes and Schemas as ListResponses', async () => {
    const token = await scimToken(await signUpAccount(api));
    const config = await scim(token, 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    for (const path of ['/ResourceTypes', '/Schemas']) {
      const res = await scim(token, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
    }
  });

  it('answers unknown paths 404 and wrong methods 405, in SCIM’s error shape', async () => {
    const token = await scimToken(await signUpAccount(api));
    expect((await scim(token, 'GET', '/Nothing')).body).toMatchObject({ schemas: [errorSchema], status: '404' });
    expect((await scim(token, 'DELETE', '/Users')).body).toMatchObject({ schemas: [errorSchema], status: '405' });
    expect((await scim(token, 'GET', `/Users/${'x'.repeat(2000)}`)).body).toMatchObject({ schemas: [errorSchema], status: '404' });
  });
});

describe('SCIM Users as Entra ID provisions them', () => {
  it('answers Entra’s "Test Connection" query for a random userName with 200 and no results', async () => {
    const token = await scimToken(await signUpAccount(api));
    const res = await scim(token, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('creates a strong end user of the token’s company with the directory’s names, found by id, userName and externalId', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const body = entraUser('Test_User_dfeef4c5@testuser.com', { externalId: 'jyoung' });
    const created = await scim(token, 'POST', '/Users', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const id = user(created).id;
    expect(created.headers.get('location')).toBe(user(created).meta.location);
    expect(user(created)).toMatchObject({ userName: body.userName, externalId: 'jyoung', active: true, name: { givenName: 'Jenny', familyName: 'Young' } });

    const endUser = await api.call('GET', `/v1/end-users/${id}`, { token: account.token });
    expect(endUser.body).toMatchObject({ firstName: 'Jenny', lastName: 'Young', association: 'strong', companyId: account.defaultCompanyId });

    expect(user(await scim(token, 'GET', `/Users/${id}`))).toMatchObject({ id, userName: body.userName });
    for (const filter of [`userName eq "${body.userName.toUpperCase()}"`, 'externalId eq "jyoung"', 'externalId eq jyoung']) {
      const found = await scim(token, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(list(found), filter).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    }
  });

  it('never derives names from the address', async () => {
    const token = await scimToken(await signUpAccount(api));
    const created = await scim(token, 'POST', '/Users', { schemas: [userSchema], userName: 'claire.johnson@myorg.org' });
    expect(created.status).toBe(201);
    expect(user(created).name).toMatchObject({ givenName: '', familyName: '' });
  });

  it('pages the list with startIndex and count', async () => {
    const token = await scimToken(await signUpAccount(api));
    for (let i = 0; i < 3; i++) requireStatus(await scim(token, 'POST', '/Users', entraUser(`page${i}@example.test`)), 201, 'create');
    const first = list(await scim(token, 'GET', '/Users?startIndex=1&count=2'));
    const second = list(await scim(token, 'GET', '/Users?startIndex=3&count=2'));
    expect(first).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(second).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
    expect(new Set([...first.Resources, ...second.Resources].map((u) => u.id)).size).toBe(3);
  });

  it('understands Entra’s PATCH: op in any case, "False" strings, path-less replace of several attributes', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const id = user(await scim(token, 'POST', '/Users', entraUser('patch.me@example.test'))).id;

    const renamed = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: [patchSchema],
      Operations: [
        { op: 'Replace', path: 'name.familyName', value: 'Smith' },
        { op: 'replace', value: { 'name.givenName': 'Jane', displayName: 'Jane Smith' } },
        { op: 'Add', path: 'externalId', value: 'new-ext' },
      ],
    });
    expect(renamed.status).toBe(200);
    expect(user(renamed)).toMatchObject({ externalId: 'new-ext', name: { givenName: 'Jane', familyName: 'Smith' } });

    const deactivated = await scim(token, 'PATCH', `/Users/${id}`, { schemas: [patchSchema], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(user(deactivated).active).toBe(false);
    // Still returned while inactive.
    expect(user(await scim(token, 'GET', `/Users/${id}`)).active).toBe(false);
    const reactivated = await scim(token, 'PATCH', `/Users/${id}`, { schemas: [patchSchema], Operations: [{ op: 'REPLACE', value: { active: 'True' } }] });
    expect(user(reactivated).active).toBe(true);
    expect(list(await scim(token, 'GET', `/Users?filter=${encodeURIComponent('externalId eq "new-ext"')}`)).totalResults).toBe(1);

    const endUser = await api.call('GET', `/v1/end-users/${id}`, { token: account.token });
    expect(endUser.body).toMatchObject({ firstName: 'Jane', lastName: 'Smith' });
  });

  it('sends the set-password email, and a deactivated user can no longer sign in until reactivated', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const email = 'signs.in@example.test';
    const id = user(await scim(token, 'POST', '/Users', entraUser(email))).id;
    expect((await api.call('POST', '/v1/auth/set-password', { body: { token: await setPasswordToken(api, email), password } })).status).toBe(204);
    const login = () => api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } });
    const session = await login();
    expect(session.status).toBe(200);

    await scim(token, 'PATCH', `/Users/${id}`, { schemas: [patchSchema], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect((await login()).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: session.body.token })).status).toBe(401);

    await scim(token, 'PATCH', `/Users/${id}`, { schemas: [patchSchema], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect((await login()).status).toBe(200);
  });

  it('accepts Entra’s enterprise extension and email paths in a PATCH', async () => {
    const token = await scimToken(await signUpAccount(api));
    const id = user(await scim(token, 'POST', '/Users', entraUser('ext.user@example.test'))).id;
    const res = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: [patchSchema],
      Operations: [
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Sales' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'moved@example.test' },
      ],
    });
    expect(res.status).toBe(200);
    expect(user(res).emails).toEqual([expect.objectContaining({ value: 'moved@example.test' })]);
  });

  it('returns only the attributes asked for, or all but the excluded ones', async () => {
    const token = await scimToken(await signUpAccount(api));
    const id = user(await scim(token, 'POST', '/Users', entraUser('few.attrs@example.test'))).id;
    const only = (await scim(token, 'GET', `/Users/${id}?attributes=userName`)).body as Record<string, unknown>;
    expect(Object.keys(only).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    const without = (await scim(token, 'GET', `/Users/${id}?excludedAttributes=emails,name`)).body as Record<string, unknown>;
    expect(without).not.toHaveProperty('emails');
    expect(without).toHaveProperty('userName');
  });

  it('replaces a user with PUT, moving its userName', async () => {
    const token = await scimToken(await signUpAccount(api));
    const id = user(await scim(token, 'POST', '/Users', entraUser('old.name@example.test'))).id;
    const put = await scim(
      token,
      'PUT',
      `/Users/${id}`,
      entraUser('new.name@example.test', { externalId: 'put-ext', name: { givenName: 'New', familyName: 'Name' } }),
    );
    expect(put.status).toBe(200);
    expect(user(put)).toMatchObject({ userName: 'new.name@example.test', emails: [{ value: 'new.name@example.test' }] });
    expect(list(await scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "old.name@example.test"')}`)).totalResults).toBe(0);
    expect(list(await scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "new.name@example.test"')}`)).totalResults).toBe(1);
  });

  it('deletes a user: a later GET is 404, and the userName is free again', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const body = entraUser('leaver@example.test');
    const id = user(await scim(token, 'POST', '/Users', body)).id;
    expect((await scim(token, 'DELETE', `/Users/${id}`)).status).toBe(204);
    const gone = await scim(token, 'GET', `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: [errorSchema], status: '404' });
    expect((await api.callRaw('GET', `/v1/end-users/${id}`, { token: account.token })).status).toBe(404);
    expect((await scim(token, 'POST', '/Users', body)).status).toBe(201);
  });

  it('refuses a second user with the same userName with 409 uniqueness, also when both arrive at once', async () => {
    const token = await scimToken(await signUpAccount(api));
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        scim(token, 'POST', '/Users', entraUser('twin@example.test', { emails: [{ primary: true, value: `twin-${randomUUID()}@example.test` }] })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body).toMatchObject({ schemas: [errorSchema], status: '409', scimType: 'uniqueness' });
    expect(list(await scim(token, 'GET', '/Users')).totalResults).toBe(1);
  });

  it('refuses a body that is not SCIM’s media type or JSON with 415', async () => {
    const token = await scimToken(await signUpAccount(api));
    const res = await api.callRaw('POST', '/scim/v2/Users', { token, rawBody: 'userName=x', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '415' });
  });
});

describe('SCIM tenant isolation', () => {
  it('shows a token nothing of another account', async () => {
    const a = await signUpAccount(api);
    const b = await signUpAccount(api);
    const tokenA = await scimToken(a);
    const tokenB = await scimToken(b);
    const id = user(await scim(tokenA, 'POST', '/Users', entraUser('shared@example.test', { externalId: 'same-ext' }))).id;
    expect((await scim(tokenB, 'GET', `/Users/${id}`)).status).toBe(404);
    expect((await scim(tokenB, 'PATCH', `/Users/${id}`, { schemas: [patchSchema], Operations: [{ op: 'replace', value: { active: false } }] })).status).toBe(
      404,
    );
    expect((await scim(tokenB, 'DELETE', `/Users/${id}`)).status).toBe(404);
    expect(list(await scim(tokenB, 'GET', '/Users')).totalResults).toBe(0);
    expect(list(await scim(tokenB, 'GET', `/Users?filter=${encodeURIComponent('externalId eq "same-ext"')}`)).totalResults).toBe(0);
    // The same person may be provisioned in both accounts.
    expect((await scim(tokenB, 'POST', '/Users', entraUser('shared@example.test', { externalId: 'same-ext' }))).status).toBe(201);
    expect(user(await scim(tokenA, 'GET', `/Users/${id}`)).id).toBe(id);
  });
});

describe('Promotion of a weak end user', () => {
  it('makes the weak end user with the address the SCIM User: same id, strong, directory names, tickets kept', async () => {
    const account = await signUpAccount(api);
    const weak = requireStatus(
      await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'claire.johnson@myorg.org', companyId: account.defaultCompanyId } }),
      201,
      'weak end user',
    ).body;
    expect(weak).toMatchObject({ association: 'weak', firstName: 'Claire', lastName: 'Johnson' });
    const ticket = requireStatus(
      await api.call('POST', '/v1/tickets', {
        token: account.token,
        body: { companyId: account.defaultCompanyId, subject: 'Printer', description: 'It jams.', endUserId: weak.id },
      }),
      201,
      'ticket',
    ).body;
    // Not a SCIM resource until promoted.
    expect(list(await scim(await scimToken(account), 'GET', '/Users')).totalResults).toBe(0);

    const token = await scimToken(account);
    const promoted = await scim(
      token,
      'POST',
      '/Users',
      entraUser('CJ@myorg.org', {
        emails: [{ primary: true, type: 'work', value: 'Claire.Johnson@myorg.org' }],
        name: { givenName: 'Clara', familyName: 'Johnsson' },
      }),
    );
    expect(promoted.status).toBe(201);
    expect(user(promoted).id).toBe(weak.id);
    const endUser = await api.call('GET', `/v1/end-users/${weak.id}`, { token: account.token });
    expect(endUser.body).toMatchObject({ id: weak.id, association: 'strong', firstName: 'Clara', lastName: 'Johnsson' });
    const kept = await api.call('GET', `/v1/tickets/${ticket.id}`, { token: account.token });
    expect(kept.body).toMatchObject({ endUserId: weak.id });
  });

  it('does not take over a staff user’s address', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const res = await scim(token, 'POST', '/Users', entraUser(account.adminEmail));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ scimType: 'uniqueness' });
  });
});

const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';

interface ScimGroupBody {
  id: string;
  displayName: string;
  members?: { value: string }[];
}

const group = (res: RawResponse) => res.body as ScimGroupBody;
const memberIds = (res: RawResponse) => (group(res).members ?? []).map((m) => m.value).sort();

/** A directory with three provisioned users and a token. */
async function directory() {
  const account = await signUpAccount(api);
  const token = await scimToken(account);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push(user(requireStatus(await scim(token, 'POST', '/Users', entraUser(`member${i}-${randomUUID()}@example.com`)), 201, 'user')).id);
  return { account, token, ids };
}

/** A group as Entra ID creates one (Microsoft's SCIM tutorial, "Create Group"). */
const entraGroup = (displayName: string, members: string[] = []) => ({
  schemas: [groupSchema, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId: randomUUID(),
  displayName,
  members: members.map((value) => ({ value })),
  meta: { resourceType: 'Group' },
});

const patchGroup = (token: string, id: string, Operations: unknown[]) => scim(token, 'PATCH', `/Groups/${id}`, { schemas: [patchSchema], Operations });

describe('SCIM Groups as Entra ID provisions them', () => {
  it('creates an end-user group of the account with its members, visible in /v1 and found by displayName case-insensitively', async () => {
    const { account, token, ids } = await directory();
    const created = await scim(token, 'POST', '/Groups', entraGroup('Group1DisplayName', [ids[0]!]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schemas: [groupSchema], displayName: 'Group1DisplayName', members: [{ value: ids[0] }] });
    const id = group(created).id;

    const groups = await api.call('GET', '/v1/end-user-groups', { token: account.token });
    expect(groups.body.items).toEqual([expect.objectContaining({ id, name: 'Group1DisplayName' })]);
    const endUser = await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token });
    expect(endUser.body.groupIds).toEqual([id]);

    const found = await scim(token, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "group1displayname"')}&excludedAttributes=members`);
    expect(found.status).toBe(200);
    expect(list(found)).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Group1DisplayName' }] });
    expect((found.body as { Resources: ScimGroupBody[] }).Resources[0]!.members).toBeUndefined();
    const none = await scim(token, 'GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${randomUUID()}"`)}`);
    expect(list(none)).toMatchObject({ totalResults: 0, Resources: [] });

    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[0]]);
    expect(group(await scim(token, 'GET', `/Groups/${id}?excludedAttributes=members`)).members).toBeUndefined();
  });

  it('refuses a second group of the same displayName (any case) with 409 uniqueness', async () => {
    const { token } = await directory();
    requireStatus(await scim(token, 'POST', '/Groups', entraGroup('Support')), 201, 'group');
    const again = await scim(token, 'POST', '/Groups', entraGroup('SUPPORT'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [errorSchema], scimType: 'uniqueness' });
  });

  it('adds members with a value list, in either dialect', async () => {
    const { token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Adds'))).id;
    expect((await patchGroup(token, id, [{ op: 'Add', path: 'members', value: [{ value: ids[0] }] }])).status).toBe(200);
    expect((await patchGroup(token, id, [{ op: 'add', path: 'members', value: [{ value: ids[1] }, { value: ids[2] }] }])).status).toBe(200);
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([...ids].sort());
  });

  it('removes members by a value list and by members[value eq "…"]', async () => {
    const { token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Removes', ids))).id;
    // Without the aadOptscim062020 flag: a value list.
    expect((await patchGroup(token, id, [{ op: 'Remove', path: 'members', value: [{ value: ids[0] }] }])).status).toBe(200);
    // With it: a filter path.
    expect((await patchGroup(token, id, [{ op: 'remove', path: `members[value eq "${ids[1]}"]` }])).status).toBe(200);
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[2]]);
  });

  it('replaces members and the displayName, by path and path-less, in either dialect', async () => {
    const { account, token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Before', [ids[0]!, ids[1]!]))).id;
    expect((await patchGroup(token, id, [{ op: 'Replace', path: 'members', value: [{ value: ids[2] }] }])).status).toBe(200);
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[2]]);
    const endUser = await api.call('GET', `/v1/end-users/${ids[0]}`, { token: account.token });
    expect(endUser.body.groupIds).toEqual([]);

    expect((await patchGroup(token, id, [{ op: 'replace', path: 'displayName', value: 'Middle' }])).body).toMatchObject({ displayName: 'Middle' });
    expect((await patchGroup(token, id, [{ op: 'Replace', value: { id, displayName: 'After' } }])).body).toMatchObject({ displayName: 'After' });
    const found = await scim(token, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "after"')}`);
    expect(list(found).Resources.map((g) => g.id)).toEqual([id]);
    expect(list(await scim(token, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "Before"')}`)).totalResults).toBe(0);
  });

  it('refuses a member that is not a User of the directory with 400 invalidValue, changing nothing', async () => {
    const { token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Strict', [ids[0]!]))).id;
    const res = await patchGroup(token, id, [{ op: 'add', path: 'members', value: [{ value: ids[1] }, { value: 'eu_nobody' }] }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [errorSchema], scimType: 'invalidValue' });
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[0]]);
    const remove = await patchGroup(token, id, [{ op: 'remove', path: 'members[value eq "eu_nobody"]' }]);
    expect(remove.status).toBe(400);
    expect(remove.body).toMatchObject({ scimType: 'invalidValue' });
  });

  it('replaces a group with PUT, and deletes it: a later GET is 404 and its members are in no group', async () => {
    const { account, token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Put', [ids[0]!]))).id;
    const put = await scim(token, 'PUT', `/Groups/${id}`, entraGroup('Put again', [ids[1]!]));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Put again' });
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[1]]);

    expect((await scim(token, 'DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await scim(token, 'GET', `/Groups/${id}`)).status).toBe(404);
    expect((await api.call('GET', `/v1/end-users/${ids[1]}`, { token: account.token })).body.groupIds).toEqual([]);
  });

  it('takes a deleted User out of their groups', async () => {
    const { token, ids } = await directory();
    const id = group(await scim(token, 'POST', '/Groups', entraGroup('Leavers', ids))).id;
    expect((await scim(token, 'DELETE', `/Users/${ids[0]}`)).status).toBe(204);
    expect(memberIds(await scim(token, 'GET', `/Groups/${id}`))).toEqual([ids[1], ids[2]].sort());
  });

  it('shows a token nothing of another account’s groups', async () => {
    const mine = await directory();
    const theirs = await directory();
    const id = group(await scim(mine.token, 'POST', '/Groups', entraGroup('Private', mine.ids))).id;
    expect((await scim(theirs.token, 'GET', `/Groups/${id}`)).status).toBe(404);
    expect((await patchGroup(theirs.token, id, [{ op: 'add', path: 'members', value: [{ value: theirs.ids[0] }] }])).status).toBe(404);
    expect((await scim(theirs.token, 'DELETE', `/Groups/${id}`)).status).toBe(404);
    expect(list(await scim(theirs.token, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "Private"')}`)).totalResults).toBe(0);
    expect(list(await scim(theirs.token, 'GET', '/Groups')).totalResults).toBe(0);
    // Nor can a group take another account's users as members.
    const res = await scim(theirs.token, 'POST', '/Groups', entraGroup('Thieves', [mine.ids[0]!]));
    expect(res.status).toBe(400);
  });
});
