import { describe, expect, it } from 'vitest';
import createClient from 'openapi-fetch';
import { useApi } from '../support/api.js';
import { password, uniqueSlug } from '../support/fixtures.js';
import type { paths } from '../support/openapi.js';

const api = useApi();

describe('A client generated from the OpenAPI document', () => {
  it('signs up, creates and lists companies and reads the ticket list, typed end to end', async () => {
    const client = createClient<paths>({ baseUrl: api.baseUrl });
    const slug = uniqueSlug('typed');

    const signUp = await client.POST('/v1/accounts', {
      body: { name: 'Typed Ltd', slug, admin: { email: `admin@${slug}.test`, password, firstName: 'Ty', lastName: 'Ped' } },
    });
    expect(signUp.response.status).toBe(201);
    const headers = { authorization: `Bearer ${signUp.data!.token}` };
    expect(signUp.data!.account.slug).toBe(slug);

    const created = await client.POST('/v1/companies', { headers, body: { name: 'Globex' } });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'Globex', description: '' });

    const listed = await client.GET('/v1/companies', { headers, params: { query: { limit: 10 } } });
    expect(listed.data!.items.map((company) => company.name)).toEqual(['Default', 'Globex']);
    expect(listed.data!.nextCursor).toBeNull();

    const tickets = await client.GET('/v1/tickets', { headers, params: { query: { companyId: created.data!.id } } });
    expect(tickets.data).toEqual({ items: [], nextCursor: null });
  });

  it('gets errors in the documented shape', async () => {
    const client = createClient<paths>({ baseUrl: api.baseUrl });
    const missing = await client.GET('/v1/companies/{companyId}', { params: { path: { companyId: 'cmp_nope' } } });
    expect(missing.response.status).toBe(401);
    expect(missing.error!.error.code).toBe('unauthenticated');
  });
});
