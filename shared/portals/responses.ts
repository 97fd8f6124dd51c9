import * as z from 'zod';
import { instant, named } from '../http/responses.js';
import { languages } from '../settings/schema.js';
import { exampleTicket, ticketSchema } from '../tickets/responses.js';

export const portalSchema = named(
  'Portal',
  z.looseObject({ companyId: z.string(), slug: z.string(), title: z.string(), enabled: z.boolean(), supportEmail: z.string(), updatedAt: instant }),
  {
    examples: [
      {
        companyId: 'cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m',
        slug: 'acme-help',
        title: 'Acme Help Desk',
        enabled: true,
        supportEmail: 'help@acme.example',
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
    ],
  },
);

export const publicPortalSchema = named(
  'PublicPortal',
  z.looseObject({
    title: z.string(),
    companyName: z.string(),
    language: z.enum(languages).describe("The company's effective language"),
    techniciansAvailable: z.int().min(0).describe('Technicians a request made now would be connected to'),
  }),
  { examples: [{ title: 'Acme Help Desk', companyName: 'Acme GmbH', language: 'de', techniciansAvailable: 2 }] },
);

export const portalRequestSchema = named(
  'PortalRequest',
  z.looseObject({
    ticket: ticketSchema,
    queue: z.looseObject({ position: z.int().min(1).describe('1 = next, within the company') }).nullable(),
    liveTechnician: z.looseObject({ id: z.string(), firstName: z.string() }).nullable(),
    chatToken: z
      .string()
      .describe("What the customer's browser presents to the live channel for this ticket (that ticket only, until it is closed, at most 24 hours)"),
  }),
  {
    examples: [
      {
        ticket: exampleTicket,
        queue: null,
        liveTechnician: { id: 'usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p', firstName: 'Ada' },
        chatToken: 'eyJhbGciOiJIUzI1NiJ9.eyJhY2MiOiJhY2NfLi4uIiwidGt0IjoidGt0Xy4uLiJ9.c2lnbmF0dXJl',
      },
    ],
  },
);
