import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { requireStatus, useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';
import { asUser, asUsers, enterpriseSchema, entraUser, errorSchema, filterQuery, listSchema, scimClient, userSchema } from '../support/scim.js';
import { addPortal, setPasswordToken } from '../support/service-desk.js';
import { deliverMail } from '../support/mail.js';

const api = useApi();
const { scim, scimToken, patch, createUser } = scimClient(api);

const freshToken = async () => scimToken(await signUpAccount(api));
const findUsers = (token: string, filter: string) => scim(token, 'GET', `/Users?${filterQuery(filter)}`);

describe('SCIM Users as Entra ID provisions them', () => {
  it('answers Entra’s "Test Connection" query for a random id, userName or externalId with 200 and an empty ListResponse', async () => {
    const token = await freshToken();
    for (const filter of [`userName eq "${randomUUID()}"`, `externalId eq "${randomUUID()}"`, `id eq "${randomUUID()}"`]) {
      const res = await findUsers(token, filter);
      expect(res.status, filter).toBe(200);
      expect(res.body).toEqual({ schemas: [listSchema], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    }
  });

  it('creates a strong end user of the token’s company with the directory’s names, its URI in Location and meta.location', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const body = entraUser('Test_User_dfeef4c5@testuser.com', { externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef' });
    const created = await scim(token, 'POST', '/Users', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const id = asUser(created).id;
    expect(created.headers.get('location')).toBe(asUser(created).meta.location);
    expect(asUser(created).meta.location).toMatch(new RegExp(`/scim/v2/Users/${id}$`));
    expect(asUser(created)).toMatchObject({
      userName: body.userName,
      externalId: body.externalId,
      active: true,
      name: { givenName: 'Jenny', familyName: 'Young' },
      emails: [{ value: body.userName, type: 'work', primary: true }],
      meta: { resourceType: 'User' },
    });
    const endUser = await api.call('GET', `/v1/end-users/${id}`, { token: account.token });
    expect(endUser.body).toMatchObject({ firstName: 'Jenny', lastName: 'Young', association: 'strong', companyId: account.defaultCompanyId });
    expect(asUser(await scim(token, 'GET', `/Users/${id}`))).toMatchObject({ id, userName: body.userName });
  });

  it('answers a GET of an unknown User with 404 in SCIM’s error shape', async () => {
    const token = await freshToken();
    const res = await scim(token, 'GET', '/Users/5171a35d82074e068ce2');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '404' });
  });

  it('never derives names from the address', async () => {
    const token = await freshToken();
    const created = await scim(token, 'POST', '/Users', { schemas: [userSchema], userName: 'claire.johnson@myorg.org' });
    expect(created.status).toBe(201);
    expect(asUser(created).name).toMatchObject({ givenName: '', familyName: '' });
  });

  it('pages the list with startIndex and count (RFC 7644 §3.4.2.4)', async () => {
    const token = await freshToken();
    for (let i = 0; i < 3; i++) await createUser(token, entraUser(`page${i}@example.test`));
    const first = asUsers(await scim(token, 'GET', '/Users?startIndex=1&count=2'));
    const second = asUsers(await scim(token, 'GET', '/Users?startIndex=3&count=2'));
    expect(first).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(second).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
    expect(new Set([...first.Resources, ...second.Resources].map((u) => u.id)).size).toBe(3);
    expect(asUsers(await scim(token, 'GET', '/Users?count=0'))).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    expect(asUsers(await scim(token, 'GET', '/Users?startIndex=9'))).toMatchObject({ totalResults: 3, startIndex: 9, Resources: [] });
    const bad = await scim(token, 'GET', '/Users?count=many');
    expect(bad.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidValue' });
  });

  it('replaces a user with PUT (RFC 7644 §3.5.1), moving its userName', async () => {
    const token = await freshToken();
    const { id } = await createUser(token, entraUser('old.name@example.test'));
    const put = await scim(
      token,
      'PUT',
      `/Users/${id}`,
      entraUser('new.name@example.test', { externalId: 'put-ext', name: { givenName: 'New', familyName: 'Name' } }),
    );
    expect(put.status).toBe(200);
    expect(asUser(put)).toMatchObject({ userName: 'new.name@example.test', externalId: 'put-ext', emails: [{ value: 'new.name@example.test' }] });
    expect(asUsers(await findUsers(token, 'userName eq "old.name@example.test"')).totalResults).toBe(0);
    expect(asUsers(await findUsers(token, 'userName eq "new.name@example.test"')).totalResults).toBe(1);
  });

  it('deletes a user: a later GET is 404, and the userName is free again', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const body = entraUser('leaver@example.test');
    const { id } = await createUser(token, body);
    const deleted = await scim(token, 'DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await scim(token, 'GET', `/Users/${id}`)).body).toMatchObject({ schemas: [errorSchema], status: '404' });
    expect((await api.callRaw('GET', `/v1/end-users/${id}`, { token: account.token })).status).toBe(404);
    expect((await scim(token, 'POST', '/Users', body)).status).toBe(201);
  });

  it('frees the userName and externalId when an administrator deletes the end user in the API, so the directory can provision them again', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const body = entraUser('removed.by.admin@example.test', { externalId: 'ext-removed' });
    const { id } = await createUser(token, body);
    expect((await api.call('DELETE', `/v1/end-users/${id}`, { token: account.token })).status).toBe(204);
    expect((await scim(token, 'GET', `/Users/${id}`)).status).toBe(404);
    expect(asUsers(await findUsers(token, 'userName eq "removed.by.admin@example.test"')).totalResults).toBe(0);
    const again = await scim(token, 'POST', '/Users', body);
    expect(again.status).toBe(201);
    expect(asUsers(await findUsers(token, 'externalId eq "ext-removed"')).Resources.map((u) => u.id)).toEqual([asUser(again).id]);
  });

  it('refuses a second user with the same userName (any case) with 409 uniqueness, also when both arrive at once', async () => {
    const token = await freshToken();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        scim(
          token,
          'POST',
          '/Users',
          entraUser(i % 2 ? 'TWIN@example.test' : 'twin@example.test', { emails: [{ primary: true, value: `twin-${randomUUID()}@example.test` }] }),
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body).toMatchObject({ schemas: [errorSchema], status: '409', scimType: 'uniqueness' });
    expect(asUsers(await scim(token, 'GET', '/Users')).totalResults).toBe(1);
  });

  it('sends the set-password email, and a deactivated user can no longer sign in until reactivated', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const email = 'signs.in@example.test';
    const { id } = await createUser(token, entraUser(email));
    expect((await api.call('POST', '/v1/auth/set-password', { body: { token: await setPasswordToken(api, email), password } })).status).toBe(204);
    const login = () => api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } });
    const session = await login();
    expect(session.status).toBe(200);

    await patch(token, `/Users/${id}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
    expect((await login()).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: session.body.token })).status).toBe(401);
    // Still returned while inactive.
    expect(asUser(await scim(token, 'GET', `/Users/${id}`)).active).toBe(false);

    await patch(token, `/Users/${id}`, [{ op: 'Replace', path: 'active', value: 'True' }]);
    expect((await login()).status).toBe(200);
  });
});

describe('SCIM User lookups by filter', () => {
  it('finds a user by userName (any case), externalId (quoted or not), id and work email, each a key read', async () => {
    const token = await freshToken();
    const body = entraUser('Jenny.Young@example.test', { externalId: 'jyoung' });
    const { id } = await createUser(token, body);
    for (const filter of [
      'userName eq "JENNY.YOUNG@EXAMPLE.TEST"',
      'externalId eq "jyoung"',
      'externalId eq jyoung',
      `id eq "${id}"`,
      'emails[type eq "work"].value eq "jenny.young@example.test"',
      'emails.value eq "Jenny.Young@example.test"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jenny.young@example.test"',
    ]) {
      const found = await findUsers(token, filter);
      expect(found.status, filter).toBe(200);
      expect(asUsers(found), filter).toMatchObject({ schemas: [listSchema], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id }] });
    }
    // externalId is case-exact (RFC 7643: caseExact true).
    expect(asUsers(await findUsers(token, 'externalId eq "JYOUNG"')).totalResults).toBe(0);
  });

  it('combines equality terms with and: the user must hold them all', async () => {
    const token = await freshToken();
    const { id } = await createUser(token, entraUser('both@example.test', { externalId: 'both-ext' }));
    expect(asUsers(await findUsers(token, 'userName eq "both@example.test" and externalId eq "both-ext"')).Resources.map((u) => u.id)).toEqual([id]);
    expect(asUsers(await findUsers(token, 'userName eq "both@example.test" and externalId eq "other"')).totalResults).toBe(0);
    expect(asUsers(await findUsers(token, `id eq "${id}" and emails[type eq "work"].value eq "both@example.test"`)).totalResults).toBe(1);
  });

  it('refuses filters it cannot answer by key with 400 invalidFilter, in SCIM’s error shape', async () => {
    const token = await freshToken();
    for (const filter of [
      'userName sw "j"',
      'userName eq "a" or userName eq "b"',
      'not (userName eq "a")',
      'title eq "Boss"',
      'name.familyName co "O\'Malley"',
      'active eq true',
      'userName eq',
    ]) {
      const res = await findUsers(token, filter);
      expect(res.status, filter).toBe(400);
      expect(res.body, filter).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidFilter' });
    }
  });
});

describe('SCIM attributes and excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it('returns only the attributes asked for, or all but the excluded ones, on a User and on the list', async () => {
    const token = await freshToken();
    const { id } = await createUser(token, entraUser('few.attrs@example.test', { [enterpriseSchema]: { department: 'Sales', costCenter: 'C1' } }));
    const only = (await scim(token, 'GET', `/Users/${id}?attributes=userName`)).body as Record<string, unknown>;
    expect(Object.keys(only).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    const without = (await scim(token, 'GET', `/Users/${id}?excludedAttributes=emails,name`)).body as Record<string, unknown>;
    expect(without).not.toHaveProperty('emails');
    expect(without).not.toHaveProperty('name');
    expect(without).toHaveProperty('userName');

    const sub = (await scim(token, 'GET', `/Users/${id}?attributes=name.givenName,emails.value`)).body as Record<string, unknown>;
    expect(sub).toMatchObject({ name: { givenName: 'Jenny' }, emails: [{ value: 'few.attrs@example.test' }] });
    expect(sub.name).not.toHaveProperty('familyName');
    const extension = (await scim(token, 'GET', `/Users/${id}?attributes=${enterpriseSchema}:department`)).body as Record<string, unknown>;
    expect(extension[enterpriseSchema]).toEqual({ department: 'Sales' });
    expect(extension).not.toHaveProperty('userName');

    const listed = asUsers(await scim(token, 'GET', `/Users?${filterQuery('userName eq "few.attrs@example.test"')}&attributes=userName,externalId`));
    expect(Object.keys(listed.Resources[0]!).sort()).toEqual(['externalId', 'id', 'meta', 'schemas', 'userName']);
  });
});

describe('SCIM enterprise extension', () => {
  const enterprise = { employeeNumber: '701984', costCenter: '4130', organization: 'Universal Studios', division: 'Theme Park', department: 'Tour Operations' };

  it('keeps what a User is created with and returns it on GET and in the list', async () => {
    const token = await freshToken();
    const { id: managerId } = await createUser(token, entraUser('boss@example.test'));
    const created = await createUser(token, entraUser('staff@example.test', { [enterpriseSchema]: { ...enterprise, manager: { value: managerId } } }));
    expect(created.schemas).toEqual([userSchema, enterpriseSchema]);
    expect(created[enterpriseSchema]).toMatchObject({ ...enterprise, manager: { value: managerId } });
    expect(asUser(await scim(token, 'GET', `/Users/${created.id}`))[enterpriseSchema]).toMatchObject({ ...enterprise, manager: { value: managerId } });
    const listed = asUsers(await scim(token, 'GET', '/Users')).Resources.find((u) => u.id === created.id)!;
    expect(listed[enterpriseSchema]).toMatchObject(enterprise);
    const byManager = await findUsers(token, `id eq "${created.id}" and ${enterpriseSchema}:manager.value eq "${managerId}"`);
    expect(asUsers(byManager).totalResults).toBe(1);
  });

  it('changes extension attributes by their URN paths, by a path-less replace, and takes them away', async () => {
    const token = await freshToken();
    const { id: managerId } = await createUser(token, entraUser('manager@example.test'));
    const { id } = await createUser(token, entraUser('ext.user@example.test'));
    const added = await patch(token, `/Users/${id}`, [
      { op: 'Add', path: `${enterpriseSchema}:department`, value: 'Sales' },
      // Entra sends the manager as the bare id.
      { op: 'Add', path: `${enterpriseSchema}:manager`, value: managerId },
    ]);
    expect(added.status).toBe(200);
    expect(asUser(added)[enterpriseSchema]).toMatchObject({ department: 'Sales', manager: { value: managerId } });

    await patch(token, `/Users/${id}`, [{ op: 'replace', value: { [`${enterpriseSchema}:costCenter`]: 'C9', [enterpriseSchema]: { division: 'North' } } }]);
    expect(asUser(await scim(token, 'GET', `/Users/${id}`))[enterpriseSchema]).toMatchObject({ department: 'Sales', costCenter: 'C9', division: 'North' });

    await patch(token, `/Users/${id}`, [
      { op: 'Remove', path: `${enterpriseSchema}:department` },
      { op: 'Remove', path: `${enterpriseSchema}:manager` },
    ]);
    const after = asUser(await scim(token, 'GET', `/Users/${id}`))[enterpriseSchema]!;
    expect(after).not.toHaveProperty('department');
    expect(after).not.toHaveProperty('manager');
  });

  it('takes the manager in the form of Microsoft’s sample request: path "manager" with a value list', async () => {
    const token = await freshToken();
    const { id: managerId } = await createUser(token, entraUser('sample.manager@example.test'));
    const { id } = await createUser(token, entraUser('sample.report@example.test'));
    const res = await patch(token, `/Users/${id}`, [{ op: 'Add', path: 'manager', value: [{ $ref: `https://x/scim/Users/${managerId}`, value: managerId }] }]);
    expect(res.status).toBe(200);
    expect(asUser(res)[enterpriseSchema]).toMatchObject({ manager: { value: managerId } });
  });

  it('drops the extension a PUT no longer carries', async () => {
    const token = await freshToken();
    const { id } = await createUser(token, entraUser('put.ext@example.test', { [enterpriseSchema]: enterprise }));
    const put = await scim(token, 'PUT', `/Users/${id}`, { schemas: [userSchema], userName: 'put.ext@example.test' });
    expect(put.status).toBe(200);
    expect(asUser(put)).not.toHaveProperty(enterpriseSchema);
    expect(asUser(put).schemas).toEqual([userSchema]);
  });
});

/**
 * The two request dialects Entra ID sends at once (Microsoft's "Known issues and resolutions with
 * SCIM 2.0 protocol compliance"): without the aadOptscim062020 flag (capitalised ops, "False"
 * strings, one operation per attribute) and with it (RFC 7644's).
 */
const dialects = [
  {
    name: 'without the aadOptscim062020 flag',
    disable: [{ op: 'Replace', path: 'active', value: 'False' }],
    enable: [{ op: 'Replace', path: 'active', value: 'True' }],
    addString: [{ op: 'Add', path: 'nickName', value: 'Babs' }],
    replaceMany: (email: string) => [
      { op: 'Replace', path: 'displayName', value: 'Gtfd Pkqf' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${enterpriseSchema}:employeeNumber`, value: 'E-1' },
    ],
  },
  {
    name: 'with the aadOptscim062020 flag',
    disable: [{ op: 'replace', path: 'active', value: false }],
    enable: [{ op: 'replace', path: 'active', value: true }],
    addString: [{ op: 'add', path: 'nickName', value: 'Babs' }],
    replaceMany: (email: string) => [
      { op: 'replace', path: 'emails[type eq "work"].value', value: email },
      {
        op: 'replace',
        value: {
          displayName: 'Gtfd Pkqf',
          'name.givenName': 'Gtfd',
          'name.familyName': 'Pkqf',
          externalId: 'Eqpj',
          [`${enterpriseSchema}:employeeNumber`]: 'E-1',
        },
      },
    ],
  },
];

describe.each(dialects)('Entra’s User PATCH $name', (dialect) => {
  it('deactivates and reactivates a user, who is still returned while inactive', async () => {
    const token = await freshToken();
    const { id } = await createUser(token, entraUser(`active-${randomUUID()}@example.test`));
    const disabled = await patch(token, `/Users/${id}`, dialect.disable);
    expect(disabled.status).toBe(200);
    expect(asUser(disabled).active).toBe(false);
    expect(asUser(await scim(token, 'GET', `/Users/${id}`)).active).toBe(false);
    expect(asUser(await patch(token, `/Users/${id}`, dialect.enable)).active).toBe(true);
  });

  it('accepts a single-value string attribute it does not keep, changing nothing', async () => {
    const token = await freshToken();
    const user = await createUser(token, entraUser(`nick-${randomUUID()}@example.test`));
    const res = await patch(token, `/Users/${user.id}`, dialect.addString);
    expect(res.status).toBe(200);
    expect(asUser(res)).toMatchObject({ userName: user.userName, name: user.name });
  });

  it('replaces several attributes at once: names, work email, externalId and the enterprise employeeNumber', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const { id } = await createUser(token, entraUser(`many-${randomUUID()}@example.test`));
    const email = `moved-${randomUUID()}@example.test`;
    const res = await patch(token, `/Users/${id}`, dialect.replaceMany(email));
    expect(res.status).toBe(200);
    const expected = {
      externalId: 'Eqpj',
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      emails: [{ value: email }],
      [enterpriseSchema]: { employeeNumber: 'E-1' },
    };
    expect(asUser(res)).toMatchObject(expected);
    expect(asUser(await scim(token, 'GET', `/Users/${id}`))).toMatchObject(expected);
    expect(asUsers(await findUsers(token, 'externalId eq "Eqpj"')).Resources.map((u) => u.id)).toEqual([id]);
    expect((await api.call('GET', `/v1/end-users/${id}`, { token: account.token })).body).toMatchObject({ firstName: 'Gtfd', lastName: 'Pkqf', email });
  });
});

describe('SCIM User PATCH beyond what is kept', () => {
  it('accepts Entra’s operations on attributes it does not keep (phone numbers, addresses, title, other emails)', async () => {
    const token = await freshToken();
    const user = await createUser(token, entraUser('extra.attrs@example.test'));
    const res = await patch(token, `/Users/${user.id}`, [
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'Replace', path: 'title', value: 'Boss' },
      { op: 'Add', path: 'emails[type eq "other"].value', value: 'alias@example.test' },
      { op: 'Replace', path: 'name.familyName', value: 'Kept' },
    ]);
    expect(res.status).toBe(200);
    expect(asUser(res)).toMatchObject({ name: { familyName: 'Kept' }, emails: [{ value: 'extra.attrs@example.test' }] });
  });

  it('refuses a path that names no attribute with 400 invalidPath, changing nothing', async () => {
    const token = await freshToken();
    const user = await createUser(token, entraUser('bad.path@example.test'));
    const res = await patch(token, `/Users/${user.id}`, [
      { op: 'replace', path: 'name.familyName', value: 'Changed' },
      { op: 'add', path: 'noSuchAttribute', value: 'x' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidPath' });
    expect(asUser(await scim(token, 'GET', `/Users/${user.id}`)).name.familyName).toBe('Young');
  });

  it('refuses a PatchOp without operations with 400 invalidSyntax', async () => {
    const token = await freshToken();
    const user = await createUser(token, entraUser('no.ops@example.test'));
    const res = await patch(token, `/Users/${user.id}`, []);
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidSyntax' });
  });
});

describe('SCIM tenant isolation for Users', () => {
  it('shows a token nothing of another account, and lets both provision the same person', async () => {
    const a = await signUpAccount(api);
    const b = await signUpAccount(api);
    const tokenA = await scimToken(a);
    const tokenB = await scimToken(b);
    const { id } = await createUser(tokenA, entraUser('shared@example.test', { externalId: 'same-ext' }));
    expect((await scim(tokenB, 'GET', `/Users/${id}`)).status).toBe(404);
    expect((await patch(tokenB, `/Users/${id}`, [{ op: 'replace', value: { active: false } }])).status).toBe(404);
    expect((await scim(tokenB, 'DELETE', `/Users/${id}`)).status).toBe(404);
    expect(asUsers(await scim(tokenB, 'GET', '/Users')).totalResults).toBe(0);
    for (const filter of [
      'externalId eq "same-ext"',
      'userName eq "shared@example.test"',
      `id eq "${id}"`,
      'emails[type eq "work"].value eq "shared@example.test"',
    ])
      expect(asUsers(await findUsers(tokenB, filter)).totalResults, filter).toBe(0);
    expect((await scim(tokenB, 'POST', '/Users', entraUser('shared@example.test', { externalId: 'same-ext' }))).status).toBe(201);
    expect(asUser(await scim(tokenA, 'GET', `/Users/${id}`)).id).toBe(id);
  });

  it('shows a company’s token only the users its own directory provisioned', async () => {
    const account = await signUpAccount(api);
    const other = requireStatus(await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'Other' } }), 201, 'company').body;
    const mine = await scimToken(account);
    const theirs = await scimToken(account, other.id);
    const { id } = await createUser(mine, entraUser('mine@example.test'));
    expect((await scim(theirs, 'GET', `/Users/${id}`)).status).toBe(404);
    expect(asUsers(await findUsers(theirs, 'emails[type eq "work"].value eq "mine@example.test"')).totalResults).toBe(0);
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
    const token = await scimToken(account);
    // Not a SCIM resource until promoted.
    expect(asUsers(await scim(token, 'GET', '/Users')).totalResults).toBe(0);
    expect(asUsers(await findUsers(token, 'emails[type eq "work"].value eq "claire.johnson@myorg.org"')).totalResults).toBe(0);

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
    expect(asUser(promoted).id).toBe(weak.id);
    const endUser = await api.call('GET', `/v1/end-users/${weak.id}`, { token: account.token });
    expect(endUser.body).toMatchObject({ id: weak.id, association: 'strong', firstName: 'Clara', lastName: 'Johnsson' });
    expect((await api.call('GET', `/v1/tickets/${ticket.id}`, { token: account.token })).body).toMatchObject({ endUserId: weak.id });
  });

  it('is one person, whichever arrives first, when the directory provisions someone whose first email arrives at the same moment', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const { supportEmail } = await addPortal(api, account);
    for (let round = 0; round < 6; round++) {
      const address = `racing.${round}.${randomUUID().slice(0, 6)}@myorg.org`;
      const [provisioned] = await Promise.all([
        scim(token, 'POST', '/Users', entraUser(address)),
        deliverMail(api, { from: address, to: supportEmail, subject: `VPN ${round}`, text: 'It is down.' }),
      ]);
      expect(provisioned.status, JSON.stringify(provisioned.body)).toBe(201);
      const endUsers = (await api.call('GET', `/v1/end-users?email=${encodeURIComponent(address)}`, { token: account.token })).body.items;
      expect(endUsers).toHaveLength(1);
      expect(endUsers[0]).toMatchObject({ id: asUser(provisioned).id, association: 'strong' });
      await vi.waitFor(async () => {
        const tickets = (await api.call('GET', `/v1/tickets?endUserId=${endUsers[0]!.id}`, { token: account.token })).body.items;
        expect(tickets.map((t) => t.subject)).toEqual([`VPN ${round}`]);
      });
    }
  });

  it('does not take over a staff user’s address', async () => {
    const account = await signUpAccount(api);
    const token = await scimToken(account);
    const res = await scim(token, 'POST', '/Users', entraUser(account.adminEmail));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [errorSchema], scimType: 'uniqueness' });
  });
});
