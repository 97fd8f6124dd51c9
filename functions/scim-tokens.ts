import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { createScimToken, listScimTokens, revokeScimToken } from '../shared/scim/tokens.js';

export const handler = resourceHandler('scim-tokens', {
  'GET /v1/scim-tokens': async (req) => ok(await listScimTokens(req.principal.accountId, req.query)),
  'POST /v1/scim-tokens': async (req) => created(await createScimToken(actorOf(req), req.body)),
  'DELETE /v1/scim-tokens/{tokenId}': async (req) => {
    await revokeScimToken(actorOf(req), req.params.tokenId);
    return noContent();
  },
});
