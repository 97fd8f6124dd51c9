import { logIn } from '../shared/auth/login.js';
import { ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('auth', {
  'POST /v1/auth/login': async (req) => ok(await logIn(req.body, req)),
});
