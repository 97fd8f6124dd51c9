import * as z from 'zod';
import { multiLineText, oneLineText } from '../http/schemas.js';

export const createAlertBody = z.strictObject({
  companyId: z.string().min(1).max(64),
  deviceId: z.string().min(1).max(64).optional(),
  urgency: z.enum(['low', 'high', 'critical']),
  title: oneLineText.min(1).max(200),
  body: multiLineText.min(1).max(4000),
});

export const createIntegrationKeyBody = z.strictObject({ name: oneLineText.min(1).max(100) });

export type CreateAlertInput = z.infer<typeof createAlertBody>;
