import { describe, expect, it } from 'vitest';
import { useApi, type ApiResponse } from '../support/api.js';
import { password, signUpAccount, uniqueSlug } from '../support/fixtures.js';
import { clientLimits } from '../../shared/auth/client-limits.js';

const api = useApi();

/**
 * Sends `2 × limit + 1` requests, ten at a time. Windows are fixed, so the requests may straddle
 * two of them; twice the limit plus one is more than two windows let through.
 */
async function overTwoWindows(limit: number, send: (i: number) => Promise<ApiResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < 2 * limit + 1; start += 10) {
    const batch = Array.from({ length: Math.min(10, 2 * limit + 1 - start) }, (_, j) => send(start + j));
    for (const res of await Promise.all(batch)) {
      if (res.status === 429) expect(res.body?.error?.code).toBe('rate_limited');
      statuses.push(res.status);
    }
  }
  return statuses;
}

// Every test here comes from the same client address, 127.0.0.1; the tests run in this order.
describe('Limits per client address on the public routes that hash passwords', () => {
  it('refuses one client address more sign-ins into one account than the limit a minute, and keeps other accounts open to it', {
    timeout: 120_000,
  }, async () => {
    const account = await signUpAccount(api);
    const other = await signUpAccount(api);
    const { limit } = clientLimits.signInToAccount;
    // Seven addresses, each guessed fewer than 10 times: the account + email throttle never answers.
    const statuses = await overTwoWindows(limit, (i) =>
      api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: `ghost${i % 7}@nowhere.test`, password: 'wrong password' } }),
    );
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
    const elsewhere = await api.call('POST', '/v1/auth/login', { body: { account: other.slug, email: other.adminEmail, password } });
    expect(elsewhere.status).toBe(200);
  });

  it('refuses one client address more sign-ins than the limit a minute, whatever the accounts', { timeout: 120_000 }, async () => {
    const statuses = await overTwoWindows(clientLimits.signIn.limit, (i) =>
      api.call('POST', '/v1/auth/login', { body: { account: `no-such-account-${i}`, email: 'ghost@nowhere.test', password: 'wrong password' } }),
    );
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('refuses one client address more set-password attempts than the limit a minute', async () => {
    const statuses = await overTwoWindows(clientLimits.setPassword.limit, () =>
      api.call('POST', '/v1/auth/set-password', { body: { token: 'acc_unknown.not-a-secret', password } }),
    );
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('refuses one client address more sign-ups than the limit an hour', { timeout: 240_000 }, async () => {
    const taken = uniqueSlug();
    await signUpAccount(api, taken);
    // A taken slug costs the same hash as a new account, and leaves nothing behind.
    const statuses = await overTwoWindows(clientLimits.signUp.limit, () =>
      api.call('POST', '/v1/accounts', { body: { name: 'Again', slug: taken, admin: { email: `a@${taken}.test`, password, firstName: 'A', lastName: 'B' } } }),
    );
    expect(statuses.every((s) => s === 409 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
  });
});
