import * as z from 'zod';
import { emailAddress, oneLineText, pageQuery, password, personName } from '../http/schemas.js';

const id = z.string().min(1).max(64);

export const createEndUserBody = z.strictObject({
  email: emailAddress,
  firstName: personName.optional(),
  lastName: personName.optional(),
  association: z.enum(['weak', 'strong']).default('weak'),
  companyId: id,
  groupIds: z.array(id).max(50).default([]),
});

/** `association: "strong"` upgrades a weak end user: they get the set-password email. */
export const updateEndUserBody = z
  .strictObject({ email: emailAddress, firstName: personName, lastName: personName, companyId: id, association: z.literal('strong') })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const bulkEndUsersBody = z.strictObject({
  companyId: id,
  items: z
    .array(z.strictObject({ email: emailAddress, firstName: personName.optional(), lastName: personName.optional() }))
    .min(1)
    .max(100),
});

export const listEndUsersQuery = pageQuery.extend({ email: emailAddress.optional() });

export const setPasswordBody = z.strictObject({ token: z.string().min(10).max(512), password });

export const createGroupBody = z.strictObject({ name: oneLineText.min(1).max(200) });

export type CreateEndUserInput = z.infer<typeof createEndUserBody>;
export type UpdateEndUserInput = z.infer<typeof updateEndUserBody>;
export type BulkEndUsersInput = z.infer<typeof bulkEndUsersBody>;
