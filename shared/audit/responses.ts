import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const auditEventSchema = named(
  'AuditEvent',
  z.looseObject({
    id: z.string(),
    actorId: z.string().nullable().describe('The user or end user acting; null for sign-up and other public or system actions'),
    at: instant,
    requestId: z.string(),
    sourceIp: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    action: z.enum(['create', 'update', 'delete', 'sign_in', 'sign_in_failed']),
    fields: z.record(z.string(), z.looseObject({ from: z.unknown(), to: z.unknown() })).optional(),
  }),
);

export const auditEventPageSchema = pageOf('AuditEvent', auditEventSchema);
