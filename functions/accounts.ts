import { signUp } from '../shared/accounts/accounts.js';
import { created, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('accounts', {
  'POST /v1/accounts': async (req) => created(await signUp(req.body, req)),
});
