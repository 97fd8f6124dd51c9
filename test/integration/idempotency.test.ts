import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount, uniqueSlug } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { idempotencyEntity } from '../../shared/http/entities.js';

const api = useApi();

async function openTicket(account: Awaited<ReturnType<typeof signUpAccount>>, companyId = account.defaultCompanyId) {
  const res = await api.call('POST', '/v1/tickets', {
    token: account.token,
    body: { companyId, subject: 'VPN down', description: 'Cannot connect.', requesterEmail: `${uniqueSlug('c')}@x.test` },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const messagesOf = async (token: string, ticketId: string) =>
  (await api.call('GET', `/v1/tickets/${ticketId}/messages`, { token })).body.items.map((m: { body: string }) => m.body);

describe('An Idempotency-Key belongs to one caller and one concrete path', () => {
  it('creates a message on each ticket when the same key is used on two tickets', async () => {
    const account = await signUpAccount(api);
    const [first, second] = [await openTicket(account), await openTicket(account)];
    const options = { token: account.token, body: { body: 'On it.' }, headers: { 'idempotency-key': 'reply-1' } };

    const a = await api.call('POST', `/v1/tickets/${first}/messages`, options);
    const b = await api.call('POST', `/v1/tickets/${second}/messages`, options);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
    expect(await messagesOf(account.token, second)).toEqual(['Cannot connect.', 'On it.']);
  });

  it("never replays one caller's response to another caller using the same key on the same path", async () => {
    const account = await signUpAccount(api);
    const hiddenCompany = await addCompany(api, account);
    const ticket = await openTicket(account, hiddenCompany);
    const outsider = await addStaff(api, account, { companyIds: [account.defaultCompanyId] });
    const options = { body: { body: 'Password is hunter2' }, headers: { 'idempotency-key': 'same-key' } };

    expect((await api.call('POST', `/v1/tickets/${ticket}/messages`, { ...options, token: account.token })).status).toBe(201);
    const replay = await api.call('POST', `/v1/tickets/${ticket}/messages`, { ...options, token: outsider.token });

    expect(replay.status).toBe(404);
    expect(JSON.stringify(replay.body)).not.toContain('hunter2');
  });

  it('still replays a repeat by the same caller on the same path', async () => {
    const account = await signUpAccount(api);
    const ticket = await openTicket(account);
    const options = { token: account.token, body: { body: 'Once.' }, headers: { 'idempotency-key': 'once' } };
    const first = await api.call('POST', `/v1/tickets/${ticket}/messages`, options);
    const again = await api.call('POST', `/v1/tickets/${ticket}/messages`, options);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await messagesOf(account.token, ticket)).toEqual(['Cannot connect.', 'Once.']);
  });
});

describe('A request that died half-way does not block its key', () => {
  /** What a Lambda that crashed after claiming the key leaves behind. */
  async function leaveInProgress(account: Awaited<ReturnType<typeof signUpAccount>>, path: string, key: string, body: unknown, leaseExpiresAt: number) {
    const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const now = Math.floor(Date.now() / 1000);
    const caller = { accountId: account.accountId, kind: 'administrator', id: account.adminId };
    await idempotencyEntity.put(
      { caller, path, idempotencyKey: key, status: 'in_progress', bodyHash, holder: 'crashed', leaseExpiresAt },
      { expiresAt: now + 24 * 3600 },
    );
  }

  it('lets a retry after the lease take the key over and complete', async () => {
    const account = await signUpAccount(api);
    const ticket = await openTicket(account);
    const path = `/v1/tickets/${ticket}/messages` as const;
    const options = { token: account.token, body: { body: 'Retried.' }, headers: { 'idempotency-key': 'crashed-key' } };
    await leaveInProgress(account, path, 'crashed-key', options.body, Math.floor(Date.now() / 1000) - 1);

    const retry = await api.call('POST', path, options);
    expect(retry.status).toBe(201);
    const replay = await api.call('POST', path, options);
    expect(replay).toMatchObject({ status: 201, body: retry.body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await messagesOf(account.token, ticket)).toEqual(['Cannot connect.', 'Retried.']);
  });

  it('answers a duplicate within the lease with 409', async () => {
    const account = await signUpAccount(api);
    const ticket = await openTicket(account);
    const path = `/v1/tickets/${ticket}/messages` as const;
    const body = { body: 'Dup.' };
    await leaveInProgress(account, path, 'running-key', body, Math.floor(Date.now() / 1000) + 30);
    const res = await api.call('POST', path, { token: account.token, body, headers: { 'idempotency-key': 'running-key' } });
    expect(res.status).toBe(409);
    expect(res.body?.error?.code).toBe('conflict');
    expect(await messagesOf(account.token, ticket)).toEqual(['Cannot connect.']);
  });
});

describe('Responses that carry a token are never stored', () => {
  it('does not store or replay a sign-in', async () => {
    const account = await signUpAccount(api);
    const headers = { 'idempotency-key': 'login-key' };
    const body = { account: account.slug, email: account.adminEmail, password };
    const first = await api.call('POST', '/v1/auth/login', { body, headers });
    const second = await api.call('POST', '/v1/auth/login', { body, headers });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    // Nothing was stored, so a different body under the same key is a new sign-in, not a 409.
    const wrong = await api.call('POST', '/v1/auth/login', { body: { ...body, password: 'not the password at all' }, headers });
    expect(wrong.status).toBe(401);
  });

  it('does not store or replay a sign-up', async () => {
    const slug = uniqueSlug();
    const body = { name: 'Once', slug, admin: { email: `a@${slug}.test`, password, firstName: 'A', lastName: 'B' } };
    const headers = { 'idempotency-key': `signup-${slug}` };
    expect((await api.call('POST', '/v1/accounts', { body, headers })).status).toBe(201);
    const again = await api.call('POST', '/v1/accounts', { body, headers });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.token).toBeUndefined();
  });
});
