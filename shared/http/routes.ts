import type { ZodType } from 'zod';
import { loginBody, signUpBody } from '../accounts/schema.js';
import { updateMeBody } from '../users/schema.js';

/**
 * The route table: method + path → resource handler, with who may call it and the schemas that
 * validate it. It is data (schemas, no handler code), read by the CDK stack, the local server, the
 * OpenAPI document and the request pipeline, so a route cannot exist in one and not the others.
 */
export type Access = 'public' | 'signed_in' | 'staff' | 'admin';

export interface RouteDefinition {
  resource: ResourceName;
  access: Access;
  summary: string;
  body?: ZodType;
  query?: ZodType;
}

export interface ResourceDefinition {
  /** Table actions the resource's function is granted: least privilege per function. */
  table: 'none' | 'read' | 'readWrite';
  /** Outbound channels the function may use. */
  sends?: ('email' | 'sms')[];
  /** Needs the token signing secret (signs or verifies tokens). */
  tokens: boolean;
}

export const resources = {
  health: { table: 'none', tokens: false },
  openapi: { table: 'none', tokens: false },
  fallback: { table: 'none', tokens: false },
  accounts: { table: 'readWrite', tokens: true },
  auth: { table: 'readWrite', tokens: true },
  me: { table: 'readWrite', tokens: true },
} satisfies Record<string, ResourceDefinition>;

export type ResourceName = keyof typeof resources;

export const routes = {
  'GET /health': { resource: 'health', access: 'public', summary: 'Liveness: the API can serve requests' },
  'GET /v1/openapi.json': { resource: 'openapi', access: 'public', summary: 'This API as an OpenAPI 3.1 document' },
  'POST /v1/accounts': {
    resource: 'accounts',
    access: 'public',
    summary: 'Sign up: create an account, its first company and its first administrator',
    body: signUpBody,
  },
  'POST /v1/auth/login': {
    resource: 'auth',
    access: 'public',
    summary: 'Sign in with account slug, email and password',
    body: loginBody,
  },
  'GET /v1/me': { resource: 'me', access: 'signed_in', summary: 'The signed-in user' },
  'PATCH /v1/me': {
    resource: 'me',
    access: 'signed_in',
    summary: 'Change your own name or email',
    body: updateMeBody,
  },
} as const satisfies Record<string, RouteDefinition>;

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

/** Matches a concrete path against a route path (`/v1/users/{userId}`), returning its parameters. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (!h) return undefined;
      params[w.slice(1, -1)] = decodeURIComponent(h);
    } else if (w !== h) return undefined;
  }
  return params;
}

/** The route a request names: its key and path parameters, or the methods its path allows. */
export function resolveRoute(
  method: string,
  path: string,
): { key: RouteKey; params: Record<string, string> } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const key of Object.keys(routes) as RouteKey[]) {
    const route = splitRouteKey(key);
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { key, params };
    allowed.push(route.method);
  }
  return { allowed };
}
