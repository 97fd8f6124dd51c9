import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const companySchema = named(
  'Company',
  z.looseObject({ id: z.string(), name: z.string(), description: z.string(), createdAt: instant, updatedAt: instant }),
  {
    examples: [
      {
        id: 'cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m',
        name: 'Acme GmbH',
        description: 'Head office and the Munich branch',
        createdAt: '2026-03-01T09:30:00.000Z',
        updatedAt: '2026-03-02T14:05:00.000Z',
      },
    ],
  },
);

export const companyPageSchema = pageOf('Company', companySchema);
