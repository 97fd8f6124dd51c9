import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { availabilityBody, changePasswordBody, createUserBody, listUsersQuery, seatModule, updateMeBody, updateUserBody } from './schema.js';
import { availabilitySchema, tokenSchema, userPageSchema, userSchema } from './responses.js';
import { meSchema } from '../accounts/responses.js';

export const userResources = {
  me: { table: 'readWrite', tokens: true },
  users: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

const seatParams = z.object({ userId: z.string(), module: seatModule });

export const userRoutes = {
  'GET /v1/me': {
    resource: 'me',
    access: 'signed_in',
    summary: 'The signed-in user',
    operationId: 'getMe',
    responses: { 200: meSchema },
  },
  'PATCH /v1/me': {
    resource: 'me',
    access: 'signed_in',
    summary: 'Change your own name or email',
    body: updateMeBody,
    operationId: 'updateMe',
    responses: { 200: meSchema },
  },
  'PUT /v1/me/password': {
    resource: 'me',
    access: 'staff',
    summary: 'Change your own password (ends every earlier token; answers with a new one)',
    body: changePasswordBody,
    operationId: 'changeMyPassword',
    responses: { 200: tokenSchema },
    errors: [429],
  },
  'PUT /v1/me/availability': {
    resource: 'me',
    access: 'staff',
    summary: 'Available for live connections (lapses after 10 minutes without renewal) or away',
    body: availabilityBody,
    operationId: 'setMyAvailability',
    responses: { 200: availabilitySchema },
  },
  'GET /v1/users': {
    resource: 'users',
    access: 'staff',
    summary: 'Users (technicians see those of their companies)',
    query: listUsersQuery,
    operationId: 'listUsers',
    responses: { 200: userPageSchema },
  },
  'POST /v1/users': {
    resource: 'users',
    access: 'admin',
    summary: 'Add a user with their own credentials',
    body: createUserBody,
    operationId: 'createUser',
    responses: { 201: userSchema },
    errors: [404],
  },
  'GET /v1/users/{userId}': {
    resource: 'users',
    access: 'staff',
    summary: 'One user',
    operationId: 'getUser',
    responses: { 200: userSchema },
  },
  'PATCH /v1/users/{userId}': {
    resource: 'users',
    access: 'admin',
    summary: "Change a user's role, modules or company access (never their name or email)",
    body: updateUserBody,
    operationId: 'updateUser',
    responses: { 200: userSchema },
  },
  'DELETE /v1/users/{userId}': {
    resource: 'users',
    access: 'admin',
    summary: 'Delete a user and free their seats',
    operationId: 'deleteUser',
    responses: { 204: null },
  },
  'PUT /v1/users/{userId}/seats/{module}': {
    resource: 'users',
    access: 'admin',
    summary: 'Give a technician seat',
    params: seatParams,
    operationId: 'giveSeat',
    responses: { 200: userSchema },
  },
  'DELETE /v1/users/{userId}/seats/{module}': {
    resource: 'users',
    access: 'admin',
    summary: 'Take a technician seat back',
    params: seatParams,
    operationId: 'takeSeatBack',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
