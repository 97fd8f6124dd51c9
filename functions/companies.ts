import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from '../shared/companies/companies.js';
import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('companies', {
  'GET /v1/companies': async (req) => ok(await listCompanies(req.principal, req.query)),
  'POST /v1/companies': async (req) => created(await createCompany(actorOf(req), req.body)),
  'GET /v1/companies/{companyId}': async (req) => ok(await getCompany(req.principal, req.params.companyId)),
  'PATCH /v1/companies/{companyId}': async (req) => ok(await updateCompany(actorOf(req), req.params.companyId, req.body)),
  'DELETE /v1/companies/{companyId}': async (req) => {
    await deleteCompany(actorOf(req), req.params.companyId);
    return noContent();
  },
});
