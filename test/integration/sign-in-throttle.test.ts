import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';

const api = useApi();

const logIn = (account: string, email: string, pass: string) => api.call('POST', '/v1/auth/login', { body: { account, email, password: pass } });

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);
const count = (list: number[], status: number) => list.filter((s) => s === status).length;

describe('The sign-in throttle under guesses sent all at once', () => {
  it('checks at most 10 of 20 wrong passwords sent together, refuses the rest with 429, and then the right one too', async () => {
    const account = await signUpAccount(api);
    const answers = statuses(await Promise.all(Array.from({ length: 20 }, (_, i) => logIn(account.slug, account.adminEmail, `wrong guess ${i}`))));
    expect(count(answers, 401)).toBeLessThanOrEqual(10);
    expect(count(answers, 429)).toBeGreaterThanOrEqual(10);
    expect(count(answers, 401) + count(answers, 429)).toBe(20);

    const right = await logIn(account.slug, account.adminEmail, password);
    expect(right.status).toBe(429);
    expect(right.body.error?.code).toBe('rate_limited');
  });

  it('throttles an unknown email of a known account the same way, so the answers tell nothing apart', async () => {
    const account = await signUpAccount(api);
    const known = statuses(await Promise.all(Array.from({ length: 14 }, () => logIn(account.slug, account.adminEmail, 'wrong password'))));
    const unknown = statuses(await Promise.all(Array.from({ length: 14 }, () => logIn(account.slug, 'ghost@nowhere.test', 'wrong password'))));
    for (const answers of [known, unknown]) {
      expect(count(answers, 401)).toBeLessThanOrEqual(10);
      expect(count(answers, 429)).toBeGreaterThanOrEqual(4);
      expect(count(answers, 401) + count(answers, 429)).toBe(14);
    }
  });

  it('keeps one address throttled without touching another address of the same account', async () => {
    const account = await signUpAccount(api);
    await Promise.all(Array.from({ length: 12 }, () => logIn(account.slug, 'ghost@nowhere.test', 'wrong password')));
    expect((await logIn(account.slug, account.adminEmail, password)).status).toBe(200);
  });

  it('never locks a user out for signing in with the right password, however often', async () => {
    const account = await signUpAccount(api);
    for (let i = 0; i < 12; i++) expect((await logIn(account.slug, account.adminEmail, password)).status).toBe(200);
    // Their own sign-ins left the full allowance of wrong guesses.
    for (let i = 0; i < 9; i++) expect((await logIn(account.slug, account.adminEmail, 'wrong password')).status).toBe(401);
    expect((await logIn(account.slug, account.adminEmail, password)).status).toBe(200);
  });
});

describe('Wrong current passwords when changing your own password', () => {
  const change = (token: string, currentPassword: string) =>
    api.call('PUT', '/v1/me/password', { token, body: { currentPassword, newPassword: 'a brand new passphrase' } });

  it('count toward the sign-in throttle of that account + email: 429 after 10, at sign-in too', async () => {
    const account = await signUpAccount(api);
    for (let i = 0; i < 10; i++) expect((await change(account.token, `not it ${i}`)).status).toBe(403);
    const eleventh = await change(account.token, password);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error?.code).toBe('rate_limited');
    expect((await logIn(account.slug, account.adminEmail, password)).status).toBe(429);
  });

  it('are checked at most 10 times when sent all at once', async () => {
    const account = await signUpAccount(api);
    const answers = statuses(await Promise.all(Array.from({ length: 20 }, (_, i) => change(account.token, `not it ${i}`))));
    expect(count(answers, 403)).toBeLessThanOrEqual(10);
    expect(count(answers, 403) + count(answers, 429)).toBe(20);
  });

  it('share the allowance with wrong sign-ins of the same address', async () => {
    const account = await signUpAccount(api);
    for (let i = 0; i < 10; i++) await logIn(account.slug, account.adminEmail, 'wrong password');
    expect((await change(account.token, password)).status).toBe(429);
  });
});
