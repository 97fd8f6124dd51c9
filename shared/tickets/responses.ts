import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

const exampleTicket = {
  id: 'tkt_7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r7t',
  number: 42,
  subject: 'The printer on floor 2 is offline',
  status: 'open' as const,
  channel: 'portal' as const,
  companyId: 'cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m',
  endUserId: 'eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r',
  assigneeId: 'usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p',
  createdAt: '2026-03-03T08:00:00.000Z',
  updatedAt: '2026-03-03T08:02:00.000Z',
};

export const ticketSchema = named(
  'Ticket',
  z.looseObject({
    id: z.string(),
    number: z.int().min(1).describe('1, 2, 3… per account'),
    subject: z.string(),
    status: z.enum(['queued', 'open', 'pending', 'solved', 'closed']),
    channel: z.enum(['portal', 'email', 'staff', 'teams']),
    companyId: z.string(),
    endUserId: z.string(),
    assigneeId: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
    queuedAt: instant.optional().describe('While the ticket waits in the queue: since when'),
  }),
  { examples: [exampleTicket] },
);

export const ticketPageSchema = pageOf('Ticket', ticketSchema);

export const ticketMessageSchema = named(
  'TicketMessage',
  z.looseObject({
    id: z.string(),
    author: z.looseObject({ type: z.enum(['staff', 'end_user']), id: z.string() }),
    body: z.string(),
    createdAt: instant,
  }),
);

export const ticketMessagePageSchema = pageOf('TicketMessage', ticketMessageSchema);

export const queueEntrySchema = named(
  'QueueEntry',
  z.looseObject({ ticketId: z.string(), number: z.int(), subject: z.string(), companyId: z.string(), waitingSince: instant }),
);

export const queueEntryPageSchema = pageOf('QueueEntry', queueEntrySchema);

export const claimSchema = named('QueueClaim', z.looseObject({ ticket: ticketSchema }), { examples: [{ ticket: exampleTicket }] });

export { exampleTicket };
