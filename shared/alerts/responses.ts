import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';
import { urgencies } from '../contacts/schema.js';

export const alertSchema = named(
  'Alert',
  z.looseObject({
    id: z.string(),
    companyId: z.string(),
    deviceId: z.string().optional(),
    ticketId: z.string().optional(),
    urgency: z.enum(urgencies),
    title: z.string(),
    body: z.string(),
    source: z.enum(['portal_request', 'teams_request', 'queue_wait', 'monitoring', 'manual']),
    status: z.enum(['pending', 'delivered', 'partially_delivered', 'failed', 'no_recipients']),
    createdAt: instant,
  }),
);

export const alertPageSchema = pageOf('Alert', alertSchema);

export const deliverySchema = named(
  'AlertDelivery',
  z.looseObject({
    contactId: z.string(),
    methodId: z.string(),
    channel: z.enum(['email', 'sms']),
    address: z.string(),
    status: z.enum(['sent', 'failed']),
    attempts: z.int().min(0),
    error: z.string().optional(),
    at: instant,
  }),
);

export const alertWithDeliveriesSchema = named('AlertWithDeliveries', alertSchema.extend({ deliveries: z.array(deliverySchema) }));
