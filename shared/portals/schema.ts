import * as z from 'zod';
import { emailAddress, oneLineText, slug } from '../http/schemas.js';

export const putPortalBody = z.strictObject({
  slug,
  title: oneLineText.min(1).max(200),
  enabled: z.boolean(),
  supportEmail: emailAddress,
});

export type PutPortalInput = z.infer<typeof putPortalBody>;
