import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { bulkEndUsersBody, createEndUserBody, createGroupBody, listEndUsersQuery, updateEndUserBody } from './schema.js';
import { bulkEndUsersSchema, endUserGroupPageSchema, endUserGroupSchema, endUserPageSchema, endUserSchema } from './responses.js';

export const endUserResources = {
  'end-users': { table: 'readWrite', tokens: true, sends: ['email'] },
} as const satisfies Record<string, ResourceDefinition>;

export const endUserRoutes = {
  'GET /v1/end-users': {
    resource: 'end-users',
    access: 'staff',
    summary: 'End users (?email= finds one)',
    query: listEndUsersQuery,
    operationId: 'listEndUsers',
    responses: { 200: endUserPageSchema },
  },
  'POST /v1/end-users': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Create an end user (strong: set-password email)',
    body: createEndUserBody,
    operationId: 'createEndUser',
    responses: { 201: endUserSchema },
    errors: [404],
  },
  'POST /v1/end-users/bulk': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Create many weak end users at once',
    body: bulkEndUsersBody,
    operationId: 'createEndUsersInBulk',
    responses: { 200: bulkEndUsersSchema },
    errors: [404],
  },
  'GET /v1/end-users/{endUserId}': {
    resource: 'end-users',
    access: 'staff',
    summary: 'One end user',
    operationId: 'getEndUser',
    responses: { 200: endUserSchema },
  },
  'PATCH /v1/end-users/{endUserId}': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Change an end user',
    body: updateEndUserBody,
    operationId: 'updateEndUser',
    responses: { 200: endUserSchema },
  },
  'DELETE /v1/end-users/{endUserId}': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Delete an end user',
    operationId: 'deleteEndUser',
    responses: { 204: null },
  },
  'POST /v1/end-users/{endUserId}/invitation': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Send a strong end user a new set-password email (earlier links die)',
    operationId: 'inviteEndUser',
    responses: { 204: null },
  },
  'GET /v1/end-user-groups': {
    resource: 'end-users',
    access: 'staff',
    summary: 'End-user groups by name',
    query: pageQuery,
    operationId: 'listEndUserGroups',
    responses: { 200: endUserGroupPageSchema },
  },
  'POST /v1/end-user-groups': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Create an end-user group',
    body: createGroupBody,
    operationId: 'createEndUserGroup',
    responses: { 201: endUserGroupSchema },
  },
  'GET /v1/end-user-groups/{groupId}/members': {
    resource: 'end-users',
    access: 'staff',
    summary: "A group's members",
    query: pageQuery,
    operationId: 'listEndUserGroupMembers',
    responses: { 200: endUserPageSchema },
  },
  'PUT /v1/end-user-groups/{groupId}/members/{endUserId}': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Add an end user to a group',
    operationId: 'addEndUserGroupMember',
    responses: { 200: endUserSchema },
  },
  'DELETE /v1/end-user-groups/{groupId}/members/{endUserId}': {
    resource: 'end-users',
    access: 'admin',
    summary: 'Remove an end user from a group',
    operationId: 'removeEndUserGroupMember',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
