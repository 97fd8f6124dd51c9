import { actorOf, ok, resourceHandler } from '../shared/http/pipeline.js';
import { getAccountSettings, getCompanySettings, updateAccountSettings, updateCompanySettings } from '../shared/settings/settings.js';

export const handler = resourceHandler('settings', {
  'GET /v1/settings': async (req) => ok(await getAccountSettings(req.principal.accountId)),
  'PATCH /v1/settings': async (req) => ok(await updateAccountSettings(actorOf(req), req.body)),
  'GET /v1/companies/{companyId}/settings': async (req) => ok(await getCompanySettings(req.principal, req.params.companyId)),
  'PATCH /v1/companies/{companyId}/settings': async (req) => ok(await updateCompanySettings(actorOf(req), req.params.companyId, req.body)),
});
