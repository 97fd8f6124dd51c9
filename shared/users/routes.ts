import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { updateMeBody } from './schema.js';

export const userResources = {
  me: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const userRoutes = {
  'GET /v1/me': { resource: 'me', access: 'signed_in', summary: 'The signed-in user' },
  'PATCH /v1/me': { resource: 'me', access: 'signed_in', summary: 'Change your own name or email', body: updateMeBody },
} as const satisfies Record<string, RouteDefinition>;
