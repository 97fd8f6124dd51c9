import { noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import { claimNext, listQueue } from '../shared/tickets/queue.js';

export const handler = resourceHandler('queue', {
  'GET /v1/queue': async (req) => ok(await listQueue(req.principal, req.query)),
  'POST /v1/queue/claim': async (req) => {
    const ticket = await claimNext(req.principal);
    return ticket ? ok({ ticket }) : noContent();
  },
});
