import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { loginBody, signUpBody, updateAccountBody } from './schema.js';
import { auditQuery } from '../audit/schema.js';
import { setPasswordBody } from '../end-users/schema.js';

export const accountResources = {
  accounts: { table: 'readWrite', tokens: true },
  auth: { table: 'readWrite', tokens: true },
  audit: { table: 'read', tokens: true },
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
  'POST /v1/auth/set-password': {
    resource: 'auth',
    access: 'public',
    summary: "Set an end user's password with the single-use link token from the set-password email",
    body: setPasswordBody,
  },
  'GET /v1/account': { resource: 'accounts', access: 'staff', summary: 'The account: seat limits and seats used' },
  'PATCH /v1/account': { resource: 'accounts', access: 'admin', summary: 'Rename the account or change seat limits', body: updateAccountBody },
  'GET /v1/audit-events': {
    resource: 'audit',
    access: 'admin',
    summary: 'The audit trail, newest first (?resource=, ?actorId=)',
    query: auditQuery,
  },
} as const satisfies Record<string, RouteDefinition>;
