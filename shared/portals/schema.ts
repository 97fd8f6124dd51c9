import * as z from 'zod';
import { emailAddress, slug } from '../http/schemas.js';

export const putPortalBody = z.strictObject({
  slug,
  title: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  supportEmail: emailAddress,
});

export type PutPortalInput = z.infer<typeof putPortalBody>;
