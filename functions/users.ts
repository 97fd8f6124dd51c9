import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../shared/users/users.js';
import { provisionSeat, releaseSeat } from '../shared/users/seats.js';

export const handler = resourceHandler('users', {
  'GET /v1/users': async (req) => ok(await listUsers(req.principal, req.query)),
  'POST /v1/users': async (req) => created(await createUser(actorOf(req), req.body)),
  'GET /v1/users/{userId}': async (req) => ok(await getUser(req.principal, req.params.userId)),
  'PATCH /v1/users/{userId}': async (req) => ok(await updateUser(actorOf(req), req.params.userId, req.body)),
  'DELETE /v1/users/{userId}': async (req) => {
    await deleteUser(actorOf(req), req.params.userId);
    return noContent();
  },
  'PUT /v1/users/{userId}/seats/{module}': async (req) => ok(await provisionSeat(actorOf(req), req.params.userId, req.params.module)),
  'DELETE /v1/users/{userId}/seats/{module}': async (req) => {
    await releaseSeat(actorOf(req), req.params.userId, req.params.module);
    return noContent();
  },
});
