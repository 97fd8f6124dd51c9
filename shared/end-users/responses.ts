import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const endUserSchema = named(
  'EndUser',
  z.looseObject({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    association: z.enum(['weak', 'strong']),
    companyId: z.string(),
    groupIds: z.array(z.string()),
    createdAt: instant,
    updatedAt: instant,
  }),
  {
    examples: [
      {
        id: 'eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r',
        email: 'grace@customer.example',
        firstName: 'Grace',
        lastName: 'Hopper',
        association: 'weak',
        companyId: 'cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m',
        groupIds: [],
        createdAt: '2026-03-03T08:00:00.000Z',
        updatedAt: '2026-03-03T08:00:00.000Z',
      },
    ],
  },
);

export const endUserPageSchema = pageOf('EndUser', endUserSchema);

export const bulkEndUsersSchema = named('BulkEndUsers', z.looseObject({ created: z.array(endUserSchema), existing: z.array(endUserSchema) }));

export const endUserGroupSchema = named('EndUserGroup', z.looseObject({ id: z.string(), name: z.string(), createdAt: instant }));

export const endUserGroupPageSchema = pageOf('EndUserGroup', endUserGroupSchema);
