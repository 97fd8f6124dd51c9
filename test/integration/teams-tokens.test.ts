import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type RawResponse } from '../support/api.js';
import { signUpAccount, type SignedUpAccount } from '../support/fixtures.js';
import { botFrameworkToken, linkTeamsTenant, postedTo, sendTeamsMessage, teamsUser, type TokenOverrides } from '../support/teams.js';

const api = useApi();

let account: SignedUpAccount;
let tenantId: string;
beforeAll(async () => {
  account = await signUpAccount(api);
  tenantId = await linkTeamsTenant(api, account);
});

/** A first chat message from a linked tenant, as Teams would deliver it: accepted, it would open a ticket. */
function activity(serviceUrl: string, user = teamsUser(), conversationId = `a:${randomUUID()}`) {
  return {
    type: 'message',
    id: `${Date.now()}`,
    serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${user.aadObjectId}`, name: 'Megan Bowen', aadObjectId: user.aadObjectId },
    recipient: { id: '28:desk-admin', name: 'Desk Admin' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    text: 'Please help.',
  };
}

const deliver = (token: string | undefined, body: unknown): Promise<RawResponse> => api.callRaw('POST', '/api/messages', { token, body });

/** Sends the activity with a token carrying these claims, and answers the response and the activity's conversation. */
async function deliverWith(overrides: TokenOverrides) {
  const { token, serviceUrl } = await botFrameworkToken(api, overrides);
  const body = activity(serviceUrl);
  return { res: await deliver(token, body), conversationId: body.conversation.id };
}

/** A refused activity leaves no trace: no ticket, no end user, no answer. */
async function expectNothingWritten(conversationId: string) {
  expect((await api.call('GET', '/v1/tickets', { token: account.token })).body.items).toEqual([]);
  expect((await api.call('GET', '/v1/end-users', { token: account.token })).body.items).toEqual([]);
  expect(await postedTo(api, conversationId)).toEqual([]);
}

describe('The messaging endpoint refuses activities without a good Bot Framework token, and writes nothing for them', () => {
  it('refuses an activity without a token (401), before it even reads the body', async () => {
    const { serviceUrl } = await botFrameworkToken(api);
    const body = activity(serviceUrl);
    const res = await deliver(undefined, body);
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect((await api.callRaw('POST', '/api/messages', { rawBody: '{"type": ', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    await expectNothingWritten(body.conversation.id);
  });

  it("refuses one of our own API's tokens (401)", async () => {
    const { serviceUrl } = await botFrameworkToken(api);
    const body = activity(serviceUrl);
    expect((await deliver(account.token, body)).status).toBe(401);
    await expectNothingWritten(body.conversation.id);
  });

  it('refuses a token signed by a key the JWKS does not publish (401)', async () => {
    const { res, conversationId } = await deliverWith({ key: 'unpublished' });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    await expectNothingWritten(conversationId);
  });

  it("refuses a token whose signature is not the named key's (401)", async () => {
    const { res, conversationId } = await deliverWith({ key: 'forged' });
    expect(res.status).toBe(401);
    await expectNothingWritten(conversationId);
  });

  it('refuses a token signed by a published key that is not endorsed for Teams (401)', async () => {
    const { res, conversationId } = await deliverWith({ key: 'unendorsed' });
    expect(res.status).toBe(401);
    await expectNothingWritten(conversationId);
  });

  it('refuses a token from another issuer (403)', async () => {
    const { res, conversationId } = await deliverWith({ iss: 'https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await expectNothingWritten(conversationId);
  });

  it('refuses a token for another app (403)', async () => {
    const { res, conversationId } = await deliverWith({ aud: randomUUID() });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await expectNothingWritten(conversationId);
  });

  it('refuses a token that expired beyond the five minutes of clock skew (401)', async () => {
    const { res, conversationId } = await deliverWith({ expiresInSeconds: -6 * 60 });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    await expectNothingWritten(conversationId);
  });

  it("refuses a token issued for another serviceUrl than the activity's (403)", async () => {
    const { res, conversationId } = await deliverWith({ serviceurl: 'https://smba.trafficmanager.net/emea/' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await expectNothingWritten(conversationId);
  });

  it('refuses an activity whose serviceUrl is not the one its token was issued for (403)', async () => {
    const { token } = await botFrameworkToken(api);
    const body = activity('https://attacker.example/connector/');
    expect((await deliver(token, body)).status).toBe(403);
    await expectNothingWritten(body.conversation.id);
  });
});

describe('The messaging endpoint accepts a good token', () => {
  it('takes a token that expired within the clock skew, and the activity has its effect', async () => {
    const other = await signUpAccount(api);
    const otherTenant = await linkTeamsTenant(api, other);
    const user = teamsUser();
    // Teams introduces the member to the connector with a first message.
    await sendTeamsMessage(api, { tenantId: otherTenant, user, text: 'First.' });
    const { token, serviceUrl } = await botFrameworkToken(api, { expiresInSeconds: -2 * 60 });
    const body = {
      ...activity(serviceUrl, user),
      conversation: { id: `a:${randomUUID()}`, tenantId: otherTenant },
      channelData: { tenant: { id: otherTenant } },
    };

    const res = await deliver(token, body);

    expect(res).toMatchObject({ status: 200, body: { outcome: 'ticket_opened' } });
    expect((await api.call('GET', '/v1/tickets', { token: other.token })).body.items).toHaveLength(2);
    expect(await postedTo(api, body.conversation.id)).toHaveLength(1);
  });

  it('validates the activity only once the token is good (400)', async () => {
    const { token, serviceUrl } = await botFrameworkToken(api);
    const res = await deliver(token, { type: 'message', serviceUrl });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });
});
