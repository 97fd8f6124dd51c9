import { accountResources, accountRoutes } from '../accounts/routes.js';
import { authResources, authRoutes } from '../auth/routes.js';
import { auditResources, auditRoutes } from '../audit/routes.js';
import { userResources, userRoutes } from '../users/routes.js';
import { companyResources, companyRoutes } from '../companies/routes.js';
import { deviceResources, deviceRoutes } from '../devices/routes.js';
import { portalResources, portalRoutes } from '../portals/routes.js';
import { endUserResources, endUserRoutes } from '../end-users/routes.js';
import { ticketResources, ticketRoutes } from '../tickets/routes.js';
import { alertResources, alertRoutes } from '../alerts/routes.js';
import { integrationResources, integrationRoutes } from '../integrations/routes.js';
import { reportResources, reportRoutes } from '../reports/routes.js';
import { contactResources, contactRoutes } from '../contacts/routes.js';
import { settingsResources, settingsRoutes } from '../settings/routes.js';
import { pageResources, pageRoutes } from '../pages/routes.js';
import { scimResources, scimRoutes } from '../scim/routes.js';
import { teamsResources, teamsRoutes } from '../teams/routes.js';
import type { ResourceDefinition, RouteDefinition } from './route-types.js';
import { ValidationFailed } from '../errors.js';
import { healthSchema, openApiSchema } from './responses.js';

export type { Access, ResourceDefinition, RouteDefinition } from './route-types.js';

/**
 * The route table: method + path → resource handler, with who may call it and the schemas that
 * validate it. Each concept declares its own routes and resources beside its domain code; this
 * module joins them. It is data (schemas, no handler code), read by the CDK stack, the local
 * server, the OpenAPI document and the request pipeline, so a route cannot exist in one and not
 * the others.
 */
const platformResources = {
  health: { table: 'none', tokens: false },
  openapi: { table: 'none', tokens: false },
  fallback: { table: 'none', tokens: false },
} as const satisfies Record<string, ResourceDefinition>;

const platformRoutes = {
  'GET /health': {
    resource: 'health',
    access: 'public',
    summary: 'Liveness: the API can serve requests',
    operationId: 'getHealth',
    responses: { 200: healthSchema },
  },
  'GET /v1/openapi.json': {
    resource: 'openapi',
    access: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    operationId: 'getOpenApiDocument',
    responses: { 200: openApiSchema },
  },
} as const satisfies Record<string, RouteDefinition>;

export const resources = {
  ...platformResources,
  ...accountResources,
  ...authResources,
  ...auditResources,
  ...userResources,
  ...companyResources,
  ...deviceResources,
  ...portalResources,
  ...endUserResources,
  ...ticketResources,
  ...alertResources,
  ...integrationResources,
  ...reportResources,
  ...contactResources,
  ...settingsResources,
  ...pageResources,
  ...scimResources,
  ...teamsResources,
} satisfies Record<string, ResourceDefinition>;

export type ResourceName = keyof typeof resources;

export const routes = {
  ...platformRoutes,
  ...accountRoutes,
  ...authRoutes,
  ...auditRoutes,
  ...userRoutes,
  ...companyRoutes,
  ...deviceRoutes,
  ...portalRoutes,
  ...endUserRoutes,
  ...ticketRoutes,
  ...alertRoutes,
  ...integrationRoutes,
  ...reportRoutes,
  ...contactRoutes,
  ...settingsRoutes,
  ...pageRoutes,
  ...scimRoutes,
  ...teamsRoutes,
} satisfies Record<string, RouteDefinition & { resource: ResourceName }>;

export type RouteKey = keyof typeof routes;

/**
 * Catch-all for anything the table does not name: 404 for an unknown path, 405 for a known path
 * with the wrong method. API Gateway sends it `$default`; the local server sends it what it cannot match.
 */
export const fallbackRouteKey = '$default';

export function splitRouteKey(key: string): { method: string; path: string } {
  const [method, path] = key.split(' ') as [string, string];
  return { method, path };
}

/** A path segment decoded; malformed percent-encoding (`%E0%A4%A`) is the caller's mistake, not a crash. */
function decodeSegment(name: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationFailed('The path is not valid.', [{ path: name, message: 'Malformed percent-encoding' }]);
  }
}

/**
 * Matches a concrete path against a route path (`/v1/users/{userId}`), returning its parameters. A
 * last segment `{name+}` (API Gateway's greedy parameter) takes the rest of the path, one segment or
 * more, as sent: the protocol route it ends reads (and decodes) its own paths.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const have = path.split('/');
  const greedy = /^\{(\w+)\+\}$/.exec(want.at(-1)!)?.[1];
  const fixed = greedy ? want.length - 1 : want.length;
  if (greedy ? !have.slice(fixed).some(Boolean) : have.length !== fixed) return undefined;
  const raw: [string, string][] = [];
  for (let i = 0; i < fixed; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (!h) return undefined;
      raw.push([w.slice(1, -1), h]);
    } else if (w !== h) return undefined;
  }
  // Decoded only once the whole path matches: a bad segment of a path this route does not name is not its error.
  const params = Object.fromEntries(raw.map(([name, segment]) => [name, decodeSegment(name, segment)]));
  return greedy ? { ...params, [greedy]: have.slice(fixed).join('/') } : params;
}

/**
 * The route a request names: its key and path parameters, or the methods its path allows. A literal
 * segment beats a parameter (`/v1/end-users/bulk` before `/v1/end-users/{endUserId}`); an `ANY`
 * route takes every method.
 */
export function resolveRoute(method: string, path: string): { key: RouteKey; params: Record<string, string> } | { allowed: string[] } {
  const allowed = new Set<string>();
  let best: { key: RouteKey; params: Record<string, string> } | undefined;
  for (const key of Object.keys(routes) as RouteKey[]) {
    const route = splitRouteKey(key);
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method !== method && route.method !== 'ANY') {
      allowed.add(route.method);
      continue;
    }
    if (!best || Object.keys(params).length < Object.keys(best.params).length) best = { key, params };
  }
  return best ?? { allowed: [...allowed] };
}
