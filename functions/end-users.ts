import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import {
  addGroupMember,
  bulkCreateEndUsers,
  createEndUser,
  createGroup,
  deleteEndUser,
  getEndUser,
  listEndUsers,
  listGroupMembers,
  listGroups,
  removeGroupMember,
  sendInvitation,
  updateEndUser,
} from '../shared/end-users/end-users.js';

export const handler = resourceHandler('end-users', {
  'GET /v1/end-users': async (req) => ok(await listEndUsers(req.principal, req.query)),
  'POST /v1/end-users': async (req) => created(await createEndUser(actorOf(req), req.body)),
  'POST /v1/end-users/bulk': async (req) => ok(await bulkCreateEndUsers(actorOf(req), req.body)),
  'GET /v1/end-users/{endUserId}': async (req) => ok(await getEndUser(req.principal, req.params.endUserId)),
  'PATCH /v1/end-users/{endUserId}': async (req) => ok(await updateEndUser(actorOf(req), req.params.endUserId, req.body)),
  'DELETE /v1/end-users/{endUserId}': async (req) => {
    await deleteEndUser(actorOf(req), req.params.endUserId);
    return noContent();
  },
  'POST /v1/end-users/{endUserId}/invitation': async (req) => {
    await sendInvitation(actorOf(req), req.params.endUserId);
    return noContent();
  },
  'GET /v1/end-user-groups': async (req) => ok(await listGroups(req.principal.accountId, req.query)),
  'POST /v1/end-user-groups': async (req) => created(await createGroup(actorOf(req), req.body.name)),
  'GET /v1/end-user-groups/{groupId}/members': async (req) => ok(await listGroupMembers(req.principal, req.params.groupId, req.query)),
  'PUT /v1/end-user-groups/{groupId}/members/{endUserId}': async (req) => ok(await addGroupMember(actorOf(req), req.params.groupId, req.params.endUserId)),
  'DELETE /v1/end-user-groups/{groupId}/members/{endUserId}': async (req) => {
    await removeGroupMember(actorOf(req), req.params.groupId, req.params.endUserId);
    return noContent();
  },
});
