import * as z from 'zod';
import { emailAddress, oneLineText, password, personName, slug } from '../http/schemas.js';

export const signUpBody = z.strictObject({
  name: oneLineText.min(1).max(200),
  slug,
  admin: z.strictObject({ email: emailAddress, password, firstName: personName, lastName: personName }),
});

export const loginBody = z.strictObject({
  account: slug,
  email: emailAddress,
  password: z.string().min(1).max(256),
});

/** A customer portal's sign-in: the account is the portal's. */
export const portalLoginBody = loginBody.omit({ account: true });

export type SignUpInput = z.infer<typeof signUpBody>;
export type LoginInput = z.infer<typeof loginBody>;
export type PortalLoginInput = z.infer<typeof portalLoginBody>;

export const updateAccountBody = z
  .strictObject({
    name: oneLineText.min(1).max(200),
    seatLimits: z.strictObject({ remote_support: z.number().int().min(0).max(10_000), service_desk: z.number().int().min(0).max(10_000) }).partial(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export type UpdateAccountInput = z.infer<typeof updateAccountBody>;
