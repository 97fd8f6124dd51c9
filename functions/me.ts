import { actorOf, ok, resourceHandler } from '../shared/http/pipeline.js';
import { updateOwnProfile } from '../shared/users/users.js';

export const handler = resourceHandler('me', {
  'GET /v1/me': async (req) => ok(req.principal.profile),
  'PATCH /v1/me': async (req) => ok(await updateOwnProfile(actorOf(req), req.principal.profile, req.body)),
});
