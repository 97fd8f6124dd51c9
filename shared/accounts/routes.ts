import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { signUpBody, updateAccountBody } from './schema.js';
import { accountSchema, signUpSchema } from './responses.js';

export const accountResources = {
  accounts: { table: 'readWrite', tokens: true },
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
} as const satisfies Record<string, RouteDefinition>;
