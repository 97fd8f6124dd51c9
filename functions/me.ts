import { actorOf, ok, resourceHandler } from '../shared/http/pipeline.js';
import { setAvailability } from '../shared/availability/availability.js';
import { updateEndUser } from '../shared/end-users/end-users.js';
import { changeOwnPassword, updateOwnProfile } from '../shared/users/users.js';

export const handler = resourceHandler('me', {
  'GET /v1/me': async (req) => ok(req.principal.profile),
  'PATCH /v1/me': async (req) =>
    ok(
      req.principal.role === 'end_user'
        ? await updateEndUser(actorOf(req), req.principal.id, req.body)
        : await updateOwnProfile(actorOf(req), req.principal, req.body),
    ),
  'PUT /v1/me/password': async (req) => ok(await changeOwnPassword(actorOf(req), req.principal.id, req.body)),
  'PUT /v1/me/availability': async (req) => ok(await setAvailability(req.principal, req.body.status)),
});
