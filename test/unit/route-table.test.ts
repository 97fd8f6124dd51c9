import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/http/openapi.js';
import { resolveRoute, resources, routes, splitRouteKey } from '../../shared/http/routes.js';

describe('The route table and the handlers agree', () => {
  it('has a handler module per resource that serves exactly that resource’s routes', async () => {
    for (const name of Object.keys(resources)) {
      const mod = (await import(`../../functions/${name}.ts`)) as { handler: { routeKeys?: string[] } };
      expect(typeof mod.handler).toBe('function');
      const expected = Object.entries(routes)
        .filter(([, r]) => r.resource === name)
        .map(([k]) => k)
        .sort();
      if (name === 'fallback') expect(expected).toEqual([]);
      else expect(mod.handler.routeKeys?.sort()).toEqual(expected);
    }
  });

  it('resolves every route key back to itself', () => {
    for (const key of Object.keys(routes)) {
      const { method, path } = splitRouteKey(key);
      const concrete = path.replace(/\{\w+\+?\}/g, 'x1');
      expect(resolveRoute(method === 'ANY' ? 'PATCH' : method, concrete)).toMatchObject({ key });
    }
  });

  it('sends every method on every path below /scim/v2 to the SCIM function, the rest of the path as its proxy parameter', () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(resolveRoute(method, '/scim/v2')).toEqual({ key: 'ANY /scim/v2', params: {} });
      expect(resolveRoute(method, '/scim/v2/Users/eu_1')).toEqual({ key: 'ANY /scim/v2/{proxy+}', params: { proxy: 'Users/eu_1' } });
    }
    // Malformed percent-encoding is the SCIM function's to answer (in SCIM's error shape), not the route table's.
    expect(resolveRoute('GET', '/scim/v2/Users/%E0%A4%A')).toMatchObject({ key: 'ANY /scim/v2/{proxy+}', params: { proxy: 'Users/%E0%A4%A' } });
    expect(resolveRoute('GET', '/scim/v2/')).toEqual({ allowed: [] });
    expect(resolveRoute('GET', '/scim/v3/Users')).toEqual({ allowed: [] });
  });
});

describe('The OpenAPI document', () => {
  it('describes every route of the route table but those answering in their own protocol (SCIM)', () => {
    const doc = openApiDocument();
    for (const [key, route] of Object.entries(routes)) {
      const { method, path } = splitRouteKey(key);
      if ('protocol' in route) expect(doc.paths[path], key).toBeUndefined();
      else expect(doc.paths[path]?.[method.toLowerCase()], key).toBeDefined();
    }
  });

  it('takes request bodies from the validating schemas', () => {
    const doc = openApiDocument();
    const signUp = doc.paths['/v1/accounts']!.post as { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } };
    expect(signUp.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'slug', 'admin']));
  });
});
