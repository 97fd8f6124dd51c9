import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const reportSubscriptionSchema = named(
  'ReportSubscription',
  z.looseObject({
    id: z.string(),
    contactId: z.string(),
    companyId: z.string().nullable().describe('null: the whole account'),
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.int().min(0).max(6).optional().describe('0 = Sunday; weekly only'),
    hour: z.int().min(0).max(23),
    timezone: z.string(),
    nextRunAt: instant,
    lastPeriod: z.string().optional(),
    createdAt: instant,
  }),
);

export const reportSubscriptionPageSchema = pageOf('ReportSubscription', reportSubscriptionSchema);
