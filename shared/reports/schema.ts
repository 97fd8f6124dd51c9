import * as z from 'zod';
import { timeZone } from '../http/schemas.js';

export const createSubscriptionBody = z
  .strictObject({
    contactId: z.string().min(1).max(64),
    companyId: z.string().min(1).max(64).nullable(),
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.number().int().min(0).max(6).optional(),
    hour: z.number().int().min(0).max(23),
    timezone: timeZone,
  })
  .refine((s) => (s.frequency === 'weekly') === (s.weekday !== undefined), {
    message: 'A weekly report needs a weekday (0 = Sunday); a daily one has none',
    path: ['weekday'],
  });

export type CreateSubscriptionInput = z.infer<typeof createSubscriptionBody>;
