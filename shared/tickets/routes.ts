import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { putPortalBody } from '../portals/schema.js';
import { bulkEndUsersBody, createEndUserBody, createGroupBody, listEndUsersQuery, updateEndUserBody } from '../end-users/schema.js';
import { addMessageBody, createTicketBody, listTicketsQuery, portalRequestBody, queueQuery, updateTicketBody } from './schema.js';

export const ticketResources = {
  portals: { table: 'readWrite', tokens: true, sends: ['email', 'sms'] },
  'end-users': { table: 'readWrite', tokens: true, sends: ['email'] },
  tickets: { table: 'readWrite', tokens: true, sends: ['email'] },
  queue: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

const slugParams = z.object({ slug: z.string().max(63) });

export const ticketRoutes = {
  'GET /v1/companies/{companyId}/portal': { resource: 'portals', access: 'staff', summary: "A company's customer portal" },
  'PUT /v1/companies/{companyId}/portal': { resource: 'portals', access: 'admin', summary: "Set a company's customer portal", body: putPortalBody },
  'GET /v1/portals/{slug}': { resource: 'portals', access: 'public', summary: 'A portal as customers see it', params: slugParams },
  'POST /v1/portals/{slug}/requests': {
    resource: 'portals',
    access: 'public',
    summary: 'A customer asks a question: live technician or queue',
    body: portalRequestBody,
    params: slugParams,
  },

  'GET /v1/end-users': { resource: 'end-users', access: 'staff', summary: 'End users (?email= finds one)', query: listEndUsersQuery },
  'POST /v1/end-users': { resource: 'end-users', access: 'admin', summary: 'Create an end user (strong: set-password email)', body: createEndUserBody },
  'POST /v1/end-users/bulk': { resource: 'end-users', access: 'admin', summary: 'Create many weak end users at once', body: bulkEndUsersBody },
  'GET /v1/end-users/{endUserId}': { resource: 'end-users', access: 'staff', summary: 'One end user' },
  'PATCH /v1/end-users/{endUserId}': { resource: 'end-users', access: 'admin', summary: 'Change an end user', body: updateEndUserBody },
  'DELETE /v1/end-users/{endUserId}': { resource: 'end-users', access: 'admin', summary: 'Delete an end user' },
  'GET /v1/end-user-groups': { resource: 'end-users', access: 'staff', summary: 'End-user groups by name', query: pageQuery },
  'POST /v1/end-user-groups': { resource: 'end-users', access: 'admin', summary: 'Create an end-user group', body: createGroupBody },
  'GET /v1/end-user-groups/{groupId}/members': { resource: 'end-users', access: 'staff', summary: "A group's members", query: pageQuery },
  'PUT /v1/end-user-groups/{groupId}/members/{endUserId}': { resource: 'end-users', access: 'admin', summary: 'Add an end user to a group' },
  'DELETE /v1/end-user-groups/{groupId}/members/{endUserId}': { resource: 'end-users', access: 'admin', summary: 'Remove an end user from a group' },

  'GET /v1/tickets': { resource: 'tickets', access: 'signed_in', summary: 'Tickets, newest first (end users: their own)', query: listTicketsQuery },
  'POST /v1/tickets': { resource: 'tickets', access: 'staff', summary: 'Open a ticket for an end user', body: createTicketBody },
  'GET /v1/tickets/{ticketId}': { resource: 'tickets', access: 'signed_in', summary: 'One ticket' },
  'PATCH /v1/tickets/{ticketId}': { resource: 'tickets', access: 'staff', summary: "Change a ticket's status, assignee or subject", body: updateTicketBody },
  'GET /v1/tickets/{ticketId}/messages': { resource: 'tickets', access: 'signed_in', summary: "A ticket's messages, oldest first", query: pageQuery },
  'POST /v1/tickets/{ticketId}/messages': { resource: 'tickets', access: 'signed_in', summary: 'Add a message to a ticket', body: addMessageBody },

  'GET /v1/queue': { resource: 'queue', access: 'staff', summary: 'Waiting items of your companies, oldest first', query: queueQuery },
  'POST /v1/queue/claim': { resource: 'queue', access: 'staff', summary: 'Take the oldest waiting item (204 when none)' },
} as const satisfies Record<string, RouteDefinition>;
