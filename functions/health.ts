import { ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('health', {
  'GET /health': async () => ok({ status: 'ok' }),
});
