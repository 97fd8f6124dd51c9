import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { addMessageBody, createTicketBody, listTicketsQuery, queueQuery, updateTicketBody } from './schema.js';
import { claimSchema, queueEntryPageSchema, ticketMessagePageSchema, ticketMessageSchema, ticketPageSchema, ticketSchema } from './responses.js';

export const ticketResources = {
  tickets: { table: 'readWrite', tokens: true, sends: ['email', 'teams'] },
  queue: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const ticketRoutes = {
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
