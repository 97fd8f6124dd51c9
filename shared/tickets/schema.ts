import * as z from 'zod';
import { emailAddress, multiLineText, oneLineText, pageQuery } from '../http/schemas.js';

export const ticketStatuses = ['queued', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

const id = z.string().min(1).max(64);
const subject = oneLineText.min(1).max(200);
const body = multiLineText.min(1).max(20_000);

export const createTicketBody = z
  .strictObject({
    companyId: id,
    subject,
    description: body,
    endUserId: id.optional(),
    requesterEmail: emailAddress.optional(),
    assigneeId: id.optional(),
  })
  .refine((b) => !!b.endUserId !== !!b.requesterEmail, { message: 'Give either endUserId or requesterEmail', path: ['endUserId'] });

/** Staff move a ticket between working states; only the queue puts one in `queued`. */
export const updateTicketBody = z
  .strictObject({
    status: z.enum(['open', 'pending', 'solved', 'closed']),
    assigneeId: id.nullable(),
    subject,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const listTicketsQuery = pageQuery.extend({
  status: z.enum(ticketStatuses).optional(),
  companyId: id.optional(),
  endUserId: id.optional(),
  assigneeId: id.optional(),
});

export const addMessageBody = z.strictObject({ body });

export const queueQuery = pageQuery.extend({ companyId: id.optional() });

export const portalRequestBody = z.strictObject({
  email: emailAddress,
  name: oneLineText.min(1).max(200).optional(),
  subject,
  description: multiLineText.min(1).max(10_000),
});

export type CreateTicketInput = z.infer<typeof createTicketBody>;
export type UpdateTicketInput = z.infer<typeof updateTicketBody>;
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;
export type PortalRequestInput = z.infer<typeof portalRequestBody>;
