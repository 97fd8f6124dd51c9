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
      const concrete = path.replace(/\{\w+\}/g, 'x1');
      expect(resolveRoute(method, concrete)).toMatchObject({ key });
    }
  });
});

describe('The OpenAPI document', () => {
  it('describes every route of the route table', () => {
    const doc = openApiDocument();
    for (const key of Object.keys(routes)) {
      const { method, path } = splitRouteKey(key);
      expect(doc.paths[path]?.[method.toLowerCase()], key).toBeDefined();
    }
  });

  it('takes request bodies from the validating schemas', () => {
    const doc = openApiDocument();
    const signUp = doc.paths['/v1/accounts']!.post as { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } };
    expect(signUp.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'slug', 'admin']));
  });
});
