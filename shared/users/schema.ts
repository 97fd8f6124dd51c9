import * as z from 'zod';
import { emailAddress, pageQuery, password, personName } from '../http/schemas.js';
import { companyIds } from '../companies/schema.js';

export const updateMeBody = z
  .strictObject({ firstName: personName, lastName: personName, email: emailAddress })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

const role = z.enum(['administrator', 'technician']);
const moduleList = z.array(z.enum(['remote_support', 'service_desk', 'monitoring', 'reports'])).max(4);

export const createUserBody = z.strictObject({
  email: emailAddress,
  password,
  firstName: personName,
  lastName: personName,
  role,
  modules: moduleList.default([]),
  companyIds,
});

/** Names and email are accepted by the schema so the domain can answer them with 403, not 400. */
export const updateUserBody = z
  .strictObject({
    role,
    modules: moduleList,
    companyIds,
    firstName: personName,
    lastName: personName,
    email: emailAddress,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const changePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: password });

export const availabilityBody = z.strictObject({ status: z.enum(['available', 'away']) });

export const seatModule = z.enum(['remote_support', 'service_desk']);

export const listUsersQuery = pageQuery;

export type UpdateMeInput = z.infer<typeof updateMeBody>;
export type CreateUserInput = z.infer<typeof createUserBody>;
export type UpdateUserInput = z.infer<typeof updateUserBody>;
