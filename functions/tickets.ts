import { actorOf, created, ok, resourceHandler } from '../shared/http/pipeline.js';
import { createStaffTicket, getTicket, listMessages, listTickets, updateTicket } from '../shared/tickets/tickets.js';
import { addMessage } from '../shared/tickets/conversation.js';

export const handler = resourceHandler('tickets', {
  'GET /v1/tickets': async (req) => ok(await listTickets(req.principal, req.query)),
  'POST /v1/tickets': async (req) => created(await createStaffTicket(req.principal, actorOf(req), req.body)),
  'GET /v1/tickets/{ticketId}': async (req) => ok(await getTicket(req.principal, req.params.ticketId)),
  'PATCH /v1/tickets/{ticketId}': async (req) => ok(await updateTicket(req.principal, req.params.ticketId, req.body)),
  'GET /v1/tickets/{ticketId}/messages': async (req) => ok(await listMessages(req.principal, req.params.ticketId, req.query)),
  'POST /v1/tickets/{ticketId}/messages': async (req) => created(await addMessage(req.principal, req.params.ticketId, req.body.body)),
});
