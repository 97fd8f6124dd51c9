import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { loginBody, portalLoginBody } from '../accounts/schema.js';
import { setPasswordBody } from '../end-users/schema.js';
import { loginSchema } from '../accounts/responses.js';

export const authResources = {
  auth: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const authRoutes = {
  'POST /v1/auth/login': {
    resource: 'auth',
    access: 'public',
    summary: 'Sign in with account slug, email and password',
    body: loginBody,
    issuesToken: true,
    operationId: 'logIn',
    responses: { 200: loginSchema },
    errors: [401, 429],
  },
  'POST /v1/auth/set-password': {
    resource: 'auth',
    access: 'public',
    summary: "Set an end user's password with the single-use link token from the set-password email",
    body: setPasswordBody,
    operationId: 'setPassword',
    responses: { 204: null },
    errors: [429],
  },
  'POST /v1/portals/{slug}/login': {
    resource: 'auth',
    access: 'public',
    summary: "Sign in on a customer portal, for the end users of the portal's account",
    body: portalLoginBody,
    params: z.object({ slug: z.string().max(63) }),
    issuesToken: true,
    operationId: 'logInToPortal',
    responses: { 200: loginSchema },
    errors: [401, 429],
  },
} as const satisfies Record<string, RouteDefinition>;
