import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { createIntegrationKey, listIntegrationKeys, revokeIntegrationKey } from '../shared/integrations/integration-keys.js';

export const handler = resourceHandler('integration-keys', {
  'GET /v1/integration-keys': async (req) => ok(await listIntegrationKeys(req.principal.accountId, req.query)),
  'POST /v1/integration-keys': async (req) => created(await createIntegrationKey(actorOf(req), req.body.name)),
  'DELETE /v1/integration-keys/{keyId}': async (req) => {
    await revokeIntegrationKey(actorOf(req), req.params.keyId);
    return noContent();
  },
});
