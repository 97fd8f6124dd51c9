import { logIn } from '../shared/auth/login.js';
import { setPassword } from '../shared/end-users/end-users.js';
import { noContent, ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('auth', {
  'POST /v1/auth/login': async (req) => ok(await logIn(req.body, req)),
  'POST /v1/auth/set-password': async (req) => {
    await setPassword(req.body.token, req.body.password, req);
    return noContent();
  },
});
