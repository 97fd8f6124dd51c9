import * as z from 'zod';
import type { ZodType } from 'zod';
import { routes, splitRouteKey, type RouteDefinition } from './routes.js';
import type { ErrorStatus } from './route-types.js';
import { responseSchemas } from './responses.js';

function jsonSchema(schema: ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function objectProperties(schema: ZodType | undefined) {
  const json = (schema ? jsonSchema(schema) : {}) as { properties?: Record<string, unknown>; required?: string[] };
  return { properties: json.properties ?? {}, required: json.required ?? [] };
}

function queryParameters(schema: ZodType) {
  const { properties, required } = objectProperties(schema);
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: required.includes(name), schema: s }));
}

/** Every path parameter is a string; a route's `params` schema narrows some (a seat's module). */
function pathParameters(path: string, params: ZodType | undefined) {
  const { properties } = objectProperties(params);
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name: name!,
    in: 'path',
    required: true,
    schema: properties[name!] ?? { type: 'string' },
  }));
}

/** The error responses, shared by every operation that can give them (`#/components/responses/<name>`). */
const errorResponses: Record<ErrorStatus, { name: string; description: string }> = {
  400: { name: 'ValidationFailed', description: 'The request is not valid (`validation_failed`): body, query, path, cursor or JSON' },
  401: { name: 'Unauthenticated', description: 'No valid token (`unauthenticated`), or wrong credentials' },
  403: { name: 'Forbidden', description: 'The caller may not do this (`forbidden`, `seat_required`)' },
  404: { name: 'NotFound', description: 'No such resource in the caller’s account and companies (`not_found`)' },
  409: { name: 'Conflict', description: 'Conflicts with the current state (`conflict`, `company_required`, `seat_limit_reached`)' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than 256 KiB (`payload_too_large`)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not `application/json` (`unsupported_media_type`)' },
  429: { name: 'RateLimited', description: 'Too many requests; try again later (`rate_limited`)' },
};

/**
 * The error statuses an operation can give: those its kind implies, plus its own `errors`. Any input
 * can be invalid (400; a POST's Idempotency-Key too); a signed-in route needs a token (401) and a
 * staff or admin route a role (403); a path parameter names something that may not exist (404); a
 * write can conflict with another (409; a POST's reused Idempotency-Key too) unless it only issues
 * a token; a body can be too large (413) or not JSON (415).
 */
function errorStatuses(key: string, route: RouteDefinition): ErrorStatus[] {
  const { method, path } = splitRouteKey(key);
  const statuses = new Set<ErrorStatus>(route.errors ?? []);
  const hasPathParams = path.includes('{');
  if (route.body || route.query || route.params || hasPathParams || method === 'POST') statuses.add(400);
  if (route.access !== 'public') statuses.add(401);
  if (route.access === 'staff' || route.access === 'admin') statuses.add(403);
  if (hasPathParams) statuses.add(404);
  if (method !== 'GET' && !route.issuesToken) statuses.add(409);
  if (route.body) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort();
}

const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function responseName(key: string, schema: ZodType): string {
  const id = responseSchemas.get(schema)?.id;
  if (!id) throw new Error(`${key}: its response schema is not named (use named() from shared/http/responses.ts)`);
  return id;
}

function successResponses(key: string, route: RouteDefinition) {
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.responses) as [string, ZodType | null | undefined][]) {
    if (schema === undefined) continue;
    out[status] =
      schema === null
        ? { description: status === '204' ? 'Done; no body' : 'No body' }
        : {
            description: status === '201' ? 'Created' : 'OK',
            content: { [route.html ? 'text/html' : 'application/json']: { schema: schemaRef(responseName(key, schema)) } },
          };
  }
  return out;
}

/** The response schemas as components, referring to each other by name. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(responseSchemas, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]));
}

/**
 * The API as OpenAPI 3.1, generated from the route table and the very schemas that validate
 * requests and describe responses: there is no second copy to keep in step.
 */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(routes)) {
    const route = value as RouteDefinition;
    // A protocol route (`/scim/v2`) answers in its own protocol, not this API's JSON.
    if (route.protocol) continue;
    const { method, path } = splitRouteKey(key);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.resource],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-access': route.access,
      parameters: [...pathParameters(path, route.params), ...(route.query ? queryParameters(route.query) : [])],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses: {
        ...successResponses(key, route),
        ...Object.fromEntries(errorStatuses(key, route).map((status) => [String(status), { $ref: `#/components/responses/${errorResponses[status].name}` }])),
        ...(route.html ? { 404: { $ref: '#/components/responses/NotFoundPage' } } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Desk Admin API', version: '1.0.0', description: 'Account administration for a remote-support service desk.' },
    servers: [{ url: '/', description: 'This API: paths are relative to where this document is served' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: componentSchemas(),
      responses: {
        ...Object.fromEntries(
          Object.values(errorResponses).map(({ name, description }) => [
            name,
            { description, content: { 'application/json': { schema: schemaRef('Error') } } },
          ]),
        ),
        NotFoundPage: { description: 'No such page: the not-found page', content: { 'text/html': { schema: schemaRef('HtmlPage') } } },
      },
    },
  };
}
