import { ok, resourceHandler } from '../shared/http/pipeline.js';
import { openApiDocument } from '../shared/http/openapi.js';

const document = openApiDocument();

export const handler = resourceHandler('openapi', {
  'GET /v1/openapi.json': async () => ok(document),
});
