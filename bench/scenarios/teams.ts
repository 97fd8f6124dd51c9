import { randomUUID } from 'node:crypto';
import type { BenchSystem, Measured } from '../system.js';
import type { BenchContext, Record } from './context.js';

/**
 * Microsoft Teams: a chat message delivered by the local Bot Framework stand-in, signed and verified
 * as in AWS; the cost is the messaging endpoint's own (the stand-in passes its `x-local-ddb` on).
 */
export async function teamsScenarios(system: BenchSystem, record: Record, context: BenchContext): Promise<void> {
  const token = context.adminToken;
  const company = await system.call('POST', '/v1/companies', { token, body: { name: 'Teams' } });
  const tenantId = randomUUID();
  await system.call('PUT', `/v1/companies/${company.body.id}/teams`, { token, body: { tenantId } });

  const deliver = async (input: object): Promise<Measured> => {
    const delivered = await system.call('POST', '/_local/teams/messages', { body: { tenantId, ...input } });
    if (delivered.body?.status !== 200) throw new Error(`Teams delivery: ${JSON.stringify(delivered.body)}`);
    return delivered;
  };
  const user = () => ({ aadObjectId: randomUUID(), email: `${randomUUID().slice(0, 8)}@contoso.test`, givenName: 'Megan', surname: 'Bowen' });

  // Warm-up: the endpoint's first invocation fetches the JWKS and the bot's connector token.
  await deliver({ user: user(), text: 'Warm-up' });
  const megan = user();
  const first = await deliver({ user: megan, text: 'My laptop does not start' });
  record('Teams message → new end user and ticket (bot answers)', first);
  const conversationId = first.body.conversationId as string;
  const followUp = await deliver({ user: megan, conversationId, text: 'It beeps three times' });
  record('Teams message → next message of the conversation', followUp);
  record(
    'Teams message redelivered (same activity id)',
    await deliver({ user: megan, conversationId, activityId: followUp.body.activityId, text: 'It beeps three times' }),
  );
  record('Teams message → known Teams user, new conversation', await deliver({ user: megan, text: 'And my mouse too' }));
}
