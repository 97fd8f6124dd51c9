import * as z from 'zod';
import { emailAddress, personName } from '../http/schemas.js';

export const updateMeBody = z
  .strictObject({ firstName: personName, lastName: personName, email: emailAddress })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export type UpdateMeInput = z.infer<typeof updateMeBody>;
