import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { availabilityBody, changePasswordBody, createUserBody, listUsersQuery, seatModule, updateMeBody, updateUserBody } from './schema.js';

export const userResources = {
  me: { table: 'readWrite', tokens: true },
  users: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

const seatParams = z.object({ userId: z.string(), module: seatModule });

export const userRoutes = {
  'GET /v1/me': { resource: 'me', access: 'signed_in', summary: 'The signed-in user' },
  'PATCH /v1/me': { resource: 'me', access: 'signed_in', summary: 'Change your own name or email', body: updateMeBody },
  'PUT /v1/me/password': {
    resource: 'me',
    access: 'staff',
    summary: 'Change your own password (ends every earlier token; answers with a new one)',
    body: changePasswordBody,
  },
  'PUT /v1/me/availability': {
    resource: 'me',
    access: 'staff',
    summary: 'Available for live connections (lapses after 10 minutes without renewal) or away',
    body: availabilityBody,
  },
  'GET /v1/users': { resource: 'users', access: 'staff', summary: 'Users (technicians see those of their companies)', query: listUsersQuery },
  'POST /v1/users': { resource: 'users', access: 'admin', summary: 'Add a user with their own credentials', body: createUserBody },
  'GET /v1/users/{userId}': { resource: 'users', access: 'staff', summary: 'One user' },
  'PATCH /v1/users/{userId}': {
    resource: 'users',
    access: 'admin',
    summary: "Change a user's role, modules or company access (never their name or email)",
    body: updateUserBody,
  },
  'DELETE /v1/users/{userId}': { resource: 'users', access: 'admin', summary: 'Delete a user and free their seats' },
  'PUT /v1/users/{userId}/seats/{module}': { resource: 'users', access: 'admin', summary: 'Give a technician seat', params: seatParams },
  'DELETE /v1/users/{userId}/seats/{module}': { resource: 'users', access: 'admin', summary: 'Take a technician seat back', params: seatParams },
} as const satisfies Record<string, RouteDefinition>;
