import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';
import { addCustomer, addPortal } from '../support/service-desk.js';

const api = useApi();

/** An account with a portal and a strong end user who has set a password. */
async function portalWithCustomer() {
  const account = await signUpAccount(api);
  const { slug, supportEmail } = await addPortal(api, account);
  const { id: endUserId, email } = await addCustomer(api, account);
  return { account, slug, supportEmail, email, endUserId };
}

const portalLogIn = (slug: string, email: string, pass: string) => api.call('POST', `/v1/portals/${slug}/login`, { body: { email, password: pass } });

describe('Signing in on a customer portal', () => {
  it("signs in an end user of the portal's account and returns a token, its expiry and the end user", async () => {
    const { slug, email, endUserId } = await portalWithCustomer();
    const res = await portalLogIn(slug, email.toUpperCase(), password);
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(endUserId);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await api.call('GET', '/v1/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(endUserId);
  });

  it('answers a staff address, an unknown address and a wrong password alike (401)', async () => {
    const { account, slug, email } = await portalWithCustomer();
    const wrongPassword = await portalLogIn(slug, email, 'wrong password');
    const unknown = await portalLogIn(slug, 'nobody@nowhere.test', password);
    const staff = await portalLogIn(slug, account.adminEmail, password);
    for (const res of [wrongPassword, unknown, staff]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(wrongPassword.body);
    }
  });

  it('does not let in an end user of another account', async () => {
    const { email } = await portalWithCustomer();
    const elsewhere = await portalWithCustomer();
    expect((await portalLogIn(elsewhere.slug, email, password)).status).toBe(401);
  });

  it('hides an unknown or disabled portal (404)', async () => {
    const { account, slug, supportEmail, email } = await portalWithCustomer();
    expect((await portalLogIn('no-such-portal', email, password)).status).toBe(404);
    await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
      token: account.token,
      body: { slug, title: 'Off', enabled: false, supportEmail },
    });
    const disabled = await portalLogIn(slug, email, password);
    expect(disabled.status).toBe(404);
    expect(disabled.body.error?.code).toBe('not_found');
  });

  it('shares the throttle of the account + email with POST /v1/auth/login, at most 10 checks for guesses sent at once', async () => {
    const { account, slug, email } = await portalWithCustomer();
    const answers = (await Promise.all(Array.from({ length: 20 }, (_, i) => portalLogIn(slug, email, `wrong guess ${i}`)))).map((r) => r.status);
    expect(answers.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect((await portalLogIn(slug, email, password)).status).toBe(429);
    expect((await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password } })).status).toBe(429);
  });

  it('throttles a staff address at the portal like any other, so the answers tell nothing apart', async () => {
    const { account, slug } = await portalWithCustomer();
    for (let i = 0; i < 10; i++) expect((await portalLogIn(slug, account.adminEmail, 'wrong password')).status).toBe(401);
    expect((await portalLogIn(slug, account.adminEmail, password)).status).toBe(429);
  });
});
