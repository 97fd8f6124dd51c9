import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { createSubscription, deleteSubscription, listSubscriptions } from '../shared/reports/subscriptions.js';

export const handler = resourceHandler('report-subscriptions', {
  'GET /v1/report-subscriptions': async (req) => ok(await listSubscriptions(req.principal.accountId, req.query)),
  'POST /v1/report-subscriptions': async (req) => created(await createSubscription(actorOf(req), req.body)),
  'DELETE /v1/report-subscriptions/{subscriptionId}': async (req) => {
    await deleteSubscription(actorOf(req), req.params.subscriptionId);
    return noContent();
  },
});
