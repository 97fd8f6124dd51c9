import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { loginBody, signUpBody } from './schema.js';

export const accountResources = {
  accounts: { table: 'readWrite', tokens: true },
  auth: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const accountRoutes = {
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
} as const satisfies Record<string, RouteDefinition>;
