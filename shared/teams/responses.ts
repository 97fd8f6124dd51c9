import * as z from 'zod';
import { instant, named } from '../http/responses.js';

export const teamsLinkSchema = named(
  'TeamsLink',
  z.looseObject({
    companyId: z.string(),
    tenantId: z.string().describe('The linked Microsoft 365 tenant (lower-cased)'),
    updatedAt: instant,
  }),
  {
    examples: [{ companyId: 'cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', updatedAt: '2026-03-01T10:00:00.000Z' }],
  },
);

export const teamsActivityReceiptSchema = named(
  'TeamsActivityReceipt',
  z.looseObject({
    outcome: z
      .enum(['ticket_opened', 'message_added', 'welcomed', 'duplicate', 'not_linked', 'unidentified', 'ignored'])
      .describe('What the activity did (the Bot Framework reads only the status)'),
  }),
  { examples: [{ outcome: 'ticket_opened' }] },
);
