import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { openApiDocument } from '../../shared/http/openapi.js';
import { routes, splitRouteKey, type RouteDefinition } from '../../shared/http/routes.js';
import { responseProblem } from '../support/openapi-responses.js';
import { generateOpenApiTypes, openApiTypesFile } from '../support/openapi-types.js';

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv2020) => Ajv2020;

type Schema = {
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  items?: Schema;
  format?: string;
  type?: string | string[];
  $ref?: string;
  examples?: unknown[];
};

const document = openApiDocument() as unknown as {
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: unknown; $ref?: string }> }>>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.values(document.paths).flatMap((byMethod) => Object.values(byMethod));

describe('The OpenAPI document', () => {
  it("passes Redocly's recommended lint rules without an error", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it('names every operation with a unique camelCase identifier', () => {
    const ids = Object.values(routes).map((route) => (route as RouteDefinition).operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('says where the API is served', () => {
    expect(document.servers.length).toBeGreaterThan(0);
  });

  it("describes every route's success bodies, with no body for 204, and its errors in the shared Error shape", () => {
    for (const [key, value] of Object.entries(routes)) {
      const route = value as RouteDefinition;
      // SCIM answers in its own protocol: not part of this document.
      if (route.protocol) continue;
      const { method, path } = splitRouteKey(key);
      const { responses } = document.paths[path]![method.toLowerCase()]!;
      const success = Object.keys(responses).filter((s) => s.startsWith('2'));
      expect(success, key).toEqual(Object.keys(route.responses).sort());
      for (const status of success) expect(responses[status]!.content === undefined, `${key} ${status}`).toBe(status === '204');
      for (const status of Object.keys(responses).filter((s) => s.startsWith('4'))) {
        expect(responses[status]!.$ref, `${key} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
    expect(operations.find((o) => o.operationId === 'createCompany')!.responses).toHaveProperty('201');
    expect(Object.keys(operations.find((o) => o.operationId === 'logIn')!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  });

  it('describes every …At field as a date-time (nullable only where it may be unset)', () => {
    const offenders: string[] = [];
    const walk = (schema: Schema, where: string) => {
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (name.endsWith('At')) {
          const variants = property.anyOf ?? [property];
          if (!variants.every((v) => v.format === 'date-time' || v.type === 'null')) offenders.push(`${where}.${name}`);
        }
        walk(property, `${where}.${name}`);
      }
      for (const variant of schema.anyOf ?? []) walk(variant, where);
      if (schema.items) walk(schema.items, `${where}[]`);
    };
    for (const [id, schema] of Object.entries(document.components.schemas)) walk(schema, id);
    expect(offenders).toEqual([]);
  });

  it('matches the committed types of the typed test client (regenerate with `npm run openapi:types`)', async () => {
    expect(await readFile(openApiTypesFile, 'utf8')).toBe(await generateOpenApiTypes());
  });

  it('gives examples of the main resources that match their own schemas', () => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ components: document.components }, 'openapi.json');
    for (const id of ['Company', 'User', 'Ticket', 'Portal', 'PortalRequest', 'Error']) {
      const schema = document.components.schemas[id]!;
      expect(schema.examples?.length, id).toBeGreaterThan(0);
      const validate = ajv.compile({ $ref: `openapi.json#/components/schemas/${id}` });
      for (const example of schema.examples!) expect(validate(example) ? [] : validate.errors, id).toEqual([]);
    }
  });
});

describe('Checking responses against the document', () => {
  const company = { id: 'cmp_1', name: 'Acme', description: '', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  const json = 'application/json; charset=utf-8';

  it('accepts a response that matches its operation and status, extra fields included', () => {
    expect(responseProblem('GET', '/v1/companies/cmp_1', 200, json, { ...company, extra: true })).toBeUndefined();
    expect(responseProblem('POST', '/v1/queue/claim', 204, null, undefined)).toBeUndefined();
  });

  it('refuses a body that does not match, naming the field', () => {
    const problem = responseProblem('GET', '/v1/companies?limit=1', 200, json, {
      items: [{ ...company, createdAt: '2026-01-01T00:00:00.000Z#q_1' }],
      nextCursor: null,
    });
    expect(problem).toMatch(/listCompanies/);
    expect(problem).toMatch(/\/items\/0\/createdAt/);
  });

  it('refuses a status the operation does not describe', () => {
    expect(responseProblem('GET', '/v1/companies/cmp_1', 500, json, { error: { code: 'internal_error', message: 'x', details: [] } })).toMatch(
      /does not describe status 500/,
    );
  });

  it('checks the catch-all answers against the error shape, and leaves local-only routes alone', () => {
    expect(responseProblem('GET', '/v1/nothing-here', 404, json, { error: { code: 'not_found', message: 'x', details: [] } })).toBeUndefined();
    expect(responseProblem('GET', '/v1/nothing-here', 404, json, { message: 'x' })).toMatch(/Error/);
    expect(responseProblem('GET', '/_local/outbox', 200, json, { anything: true })).toBeUndefined();
  });
});
