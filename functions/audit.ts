import { listAuditEvents } from '../shared/audit/audit.js';
import { ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('audit', {
  'GET /v1/audit-events': async (req) => ok(await listAuditEvents(req.principal.accountId, req.query, req.query)),
});
