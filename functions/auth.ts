import { logIn, logInToPortal } from '../shared/auth/login.js';
import { consumeClientLimit } from '../shared/auth/client-limits.js';
import { setPassword } from '../shared/end-users/end-users.js';
import { noContent, ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('auth', {
  'POST /v1/auth/login': async (req) => ok(await logIn(req.body, req)),
  'POST /v1/portals/{slug}/login': async (req) => ok(await logInToPortal(req.params.slug, req.body, req)),
  'POST /v1/auth/set-password': async (req) => {
    // Before the hash of the new password, so one client cannot keep the function busy.
    await consumeClientLimit('setPassword', req.sourceIp);
    await setPassword(req.body.token, req.body.password, req);
    return noContent();
  },
});
