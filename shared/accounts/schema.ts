import * as z from 'zod';
import { emailAddress, password, personName, slug } from '../http/schemas.js';

export const signUpBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  slug,
  admin: z.strictObject({ email: emailAddress, password, firstName: personName, lastName: personName }),
});

export const loginBody = z.strictObject({
  account: slug,
  email: emailAddress,
  password: z.string().min(1).max(256),
});

export type SignUpInput = z.infer<typeof signUpBody>;
export type LoginInput = z.infer<typeof loginBody>;
