import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { auditQuery } from './schema.js';
import { auditEventPageSchema } from './responses.js';

export const auditResources = {
  audit: { table: 'read', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const auditRoutes = {
  'GET /v1/audit-events': {
    resource: 'audit',
    access: 'admin',
    summary: 'The audit trail, newest first (?resource=, ?actorId=)',
    query: auditQuery,
    operationId: 'listAuditEvents',
    responses: { 200: auditEventPageSchema },
  },
} as const satisfies Record<string, RouteDefinition>;
