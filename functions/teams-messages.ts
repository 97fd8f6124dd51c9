import { ok, resourceHandler } from '../shared/http/pipeline.js';
import { receiveActivity } from '../shared/teams/messages.js';
import { verifyBotFrameworkRequest } from '../shared/teams/verification.js';

export const handler = resourceHandler(
  'teams-messages',
  { 'POST /api/messages': async (req) => ok({ outcome: await receiveActivity(req.body, req) }) },
  { verifyBotFramework: verifyBotFrameworkRequest },
);
