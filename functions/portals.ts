import { actorOf, created, ok, resourceHandler } from '../shared/http/pipeline.js';
import { getCompanyPortal, publicPortal, putPortal, submitPortalRequest } from '../shared/portals/portals.js';

export const handler = resourceHandler('portals', {
  'GET /v1/companies/{companyId}/portal': async (req) => ok(await getCompanyPortal(req.principal, req.params.companyId)),
  'PUT /v1/companies/{companyId}/portal': async (req) => ok(await putPortal(actorOf(req), req.params.companyId, req.body)),
  'GET /v1/portals/{slug}': async (req) => ok(await publicPortal(req.params.slug)),
  'POST /v1/portals/{slug}/requests': async (req) => created(await submitPortalRequest(req.params.slug, req.body, req)),
});
