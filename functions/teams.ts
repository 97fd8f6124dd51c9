import { actorOf, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { getTeamsLink, linkTenant, unlinkTenant } from '../shared/teams/links.js';

export const handler = resourceHandler('teams', {
  'GET /v1/companies/{companyId}/teams': async (req) => ok(await getTeamsLink(req.principal, req.params.companyId)),
  'PUT /v1/companies/{companyId}/teams': async (req) => ok(await linkTenant(actorOf(req), req.params.companyId, req.body.tenantId)),
  'DELETE /v1/companies/{companyId}/teams': async (req) => {
    await unlinkTenant(actorOf(req), req.params.companyId);
    return noContent();
  },
});
