import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { putPortalBody } from '../portals/schema.js';
import { bulkEndUsersBody, createEndUserBody, createGroupBody, listEndUsersQuery, updateEndUserBody } from '../end-users/schema.js';
import { addMessageBody, createTicketBody, listTicketsQuery, portalRequestBody, queueQuery, updateTicketBody } from './schema.js';
import { portalRequestSchema, portalSchema, publicPortalSchema } from '../portals/responses.js';
import { bulkEndUsersSchema, endUserGroupPageSchema, endUserGroupSchema, endUserPageSchema, endUserSchema } from '../end-users/responses.js';
import { claimSchema, queueEntryPageSchema, ticketMessagePageSchema, ticketMessageSchema, ticketPageSchema, ticketSchema } from './responses.js';

export const ticketResources = {
  portals: { table: 'readWrite', tokens: true, sends: ['email', 'sms'] },
  'end-users': { table: 'readWrite', tokens: true, sends: ['email'] },
  tickets: { table: 'readWrite', tokens: true, sends: ['email'] },
  queue: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

const slugParams = z.object({ slug: z.string().max(63) });

export const ticketRoutes = {
  'GET /v1/companies/{companyId}/portal': {
    resource: 'portals',
    access: 'staff',
    summary: "A company's customer portal",
    operationId: 'getCompanyPortal',
    responses: { 200: portalSchema },
  },
  'PUT /v1/companies/{companyId}/portal': {
    resource: 'portals',
    access: 'admin',
    summary: "Set a company's customer portal",
    body: putPortalBody,
    operationId: 'putCompanyPortal',
    responses: { 200: portalSchema },
  },
  'GET /v1/portals/{slug}': {
    resource: 'portals',
    access: 'public',
    summary: 'A portal as customers see it',
    params: slugParams,
    operationId: 'getPublicPortal',
    responses: { 200: publicPortalSchema },
  },
  'POST /v1/portals/{slug}/requests': {
    resource: 'portals',
    access: 'public',
    summary: 'A customer asks a question: live technician or queue',
    body: portalRequestBody,
    params: slugParams,
    operationId: 'submitPortalRequest',
    responses: { 201: portalRequestSchema },
    errors: [429],
  },

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

  'GET /v1/tickets': {
    resource: 'tickets',
    access: 'signed_in',
    summary: 'Tickets, newest first (end users: their own)',
    query: listTicketsQuery,
    operationId: 'listTickets',
    responses: { 200: ticketPageSchema },
    errors: [404],
  },
  'POST /v1/tickets': {
    resource: 'tickets',
    access: 'staff',
    summary: 'Open a ticket for an end user',
    body: createTicketBody,
    operationId: 'createTicket',
    responses: { 201: ticketSchema },
    errors: [404],
  },
  'GET /v1/tickets/{ticketId}': {
    resource: 'tickets',
    access: 'signed_in',
    summary: 'One ticket',
    operationId: 'getTicket',
    responses: { 200: ticketSchema },
  },
  'PATCH /v1/tickets/{ticketId}': {
    resource: 'tickets',
    access: 'staff',
    summary: "Change a ticket's status, assignee or subject",
    body: updateTicketBody,
    operationId: 'updateTicket',
    responses: { 200: ticketSchema },
  },
  'GET /v1/tickets/{ticketId}/messages': {
    resource: 'tickets',
    access: 'signed_in',
    summary: "A ticket's messages, oldest first",
    query: pageQuery,
    operationId: 'listTicketMessages',
    responses: { 200: ticketMessagePageSchema },
  },
  'POST /v1/tickets/{ticketId}/messages': {
    resource: 'tickets',
    access: 'signed_in',
    summary: 'Add a message to a ticket',
    body: addMessageBody,
    operationId: 'addTicketMessage',
    responses: { 201: ticketMessageSchema },
  },

  'GET /v1/queue': {
    resource: 'queue',
    access: 'staff',
    summary: 'Waiting items of your companies, oldest first',
    query: queueQuery,
    operationId: 'listQueue',
    responses: { 200: queueEntryPageSchema },
    errors: [404],
  },
  'POST /v1/queue/claim': {
    resource: 'queue',
    access: 'staff',
    summary: 'Take the oldest waiting item (204 when none)',
    operationId: 'claimQueueItem',
    responses: { 200: claimSchema, 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
