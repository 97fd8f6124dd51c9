import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { enterpriseSchema, entraUser, errorSchema, groupSchema, listSchema, scimClient, userSchema } from '../support/scim.js';

const api = useApi();
const { scim, scimToken } = scimClient(api);

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

  it('answers a missing or wrong bearer, or a staff token, with 401 in SCIM’s error shape', async () => {
    const account = await signUpAccount(api);
    for (const token of [undefined, 'dst.nope.nope', 'not-a-token', account.token]) {
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
    expect(config.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false } });
    for (const path of ['/ResourceTypes', '/Schemas']) {
      const res = await scim(token, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: [listSchema] });
    }
  });

  it('describes Users with the enterprise extension, and Groups', async () => {
    const token = await scimToken(await signUpAccount(api));
    const types = (await scim(token, 'GET', '/ResourceTypes')).body as {
      Resources: { name: string; schema: string; schemaExtensions?: { schema: string }[] }[];
    };
    expect(types.Resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'User', schema: userSchema, schemaExtensions: [expect.objectContaining({ schema: enterpriseSchema })] }),
        expect.objectContaining({ name: 'Group', schema: groupSchema }),
      ]),
    );
    const schemas = (await scim(token, 'GET', '/Schemas')).body as { Resources: { id: string }[] };
    expect(schemas.Resources.map((s) => s.id)).toEqual(expect.arrayContaining([userSchema, enterpriseSchema, groupSchema]));
  });
});

describe('SCIM errors', () => {
  it('answers unknown paths 404 and wrong methods 405, in SCIM’s error shape', async () => {
    const token = await scimToken(await signUpAccount(api));
    for (const [method, path, status] of [
      ['GET', '', '404'],
      ['GET', '/Nothing', '404'],
      ['GET', `/Users/${'x'.repeat(2000)}`, '404'],
      ['GET', '/Users/eu_1/extra', '404'],
      ['DELETE', '/Users', '405'],
      ['PUT', '/Groups', '405'],
      ['POST', '/Schemas', '405'],
    ] as const) {
      const res = await scim(token, method, path);
      expect(res.status, `${method} ${path}`).toBe(Number(status));
      expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [errorSchema], status });
    }
  });

  it('answers malformed percent-encoding in the path with 400 in SCIM’s error shape', async () => {
    const token = await scimToken(await signUpAccount(api));
    const res = await scim(token, 'GET', '/Users/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidPath' });
  });

  it('accepts application/json, refuses other media types with 415 and malformed JSON with 400 invalidSyntax', async () => {
    const token = await scimToken(await signUpAccount(api));
    const asJson = await api.callRaw('POST', '/scim/v2/Users', {
      token,
      body: entraUser('plain.json@example.test'),
      headers: { 'content-type': 'application/json' },
    });
    expect(asJson.status).toBe(201);
    const text = await api.callRaw('POST', '/scim/v2/Users', { token, rawBody: 'userName=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ schemas: [errorSchema], status: '415' });
    const broken = await api.callRaw('POST', '/scim/v2/Users', { token, rawBody: '{"userName":', headers: { 'content-type': 'application/scim+json' } });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'invalidSyntax' });
  });
});
