import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import * as z from 'zod';
import { loginBody, portalLoginBody, signUpBody, updateAccountBody } from './schema.js';
import { auditQuery } from '../audit/schema.js';
import { setPasswordBody } from '../end-users/schema.js';
import { auditEventPageSchema } from '../audit/responses.js';
import { accountSchema, loginSchema, signUpSchema } from './responses.js';

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
    issuesToken: true,
    operationId: 'signUp',
    responses: { 201: signUpSchema },
    errors: [409, 429],
  },
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
  'GET /v1/account': {
    resource: 'accounts',
    access: 'staff',
    summary: 'The account: seat limits and seats used',
    operationId: 'getAccount',
    responses: { 200: accountSchema },
  },
  'PATCH /v1/account': {
    resource: 'accounts',
    access: 'admin',
    summary: 'Rename the account or change seat limits',
    body: updateAccountBody,
    operationId: 'updateAccount',
    responses: { 200: accountSchema },
  },
  'GET /v1/audit-events': {
    resource: 'audit',
    access: 'admin',
    summary: 'The audit trail, newest first (?resource=, ?actorId=)',
    query: auditQuery,
    operationId: 'listAuditEvents',
    responses: { 200: auditEventPageSchema },
  },
} as const satisfies Record<string, RouteDefinition>;
