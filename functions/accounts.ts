import { getAccountView, signUp, updateAccount } from '../shared/accounts/accounts.js';
import { actorOf, created, ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('accounts', {
  'POST /v1/accounts': async (req) => created(await signUp(req.body, req)),
  'GET /v1/account': async (req) => ok(await getAccountView(req.principal.accountId)),
  'PATCH /v1/account': async (req) => ok(await updateAccount(actorOf(req), req.body)),
});
