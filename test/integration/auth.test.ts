import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { useApi } from '../support/api.js';
import { password, signUpAccount } from '../support/fixtures.js';

const api = useApi();

const secret = () => new TextEncoder().encode(process.env.JWT_SECRET);

describe('Signing in', () => {
  it('returns a token, its expiry and the user for the right credentials', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.adminId);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await api.call('GET', '/v1/me', { token: res.body.token })).status).toBe(200);
  });

  it('matches the email case-insensitively', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail.toUpperCase(), password } });
    expect(res.status).toBe(200);
  });

  it('answers a wrong password, an unknown email and an unknown account alike', async () => {
    const account = await signUpAccount(api);
    const wrongPassword = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password: 'wrong password' } });
    const unknownEmail = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: 'nobody@nowhere.test', password } });
    const unknownAccount = await api.call('POST', '/v1/auth/login', { body: { account: 'no-such-account', email: account.adminEmail, password } });
    for (const res of [wrongPassword, unknownEmail, unknownAccount]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(wrongPassword.body);
    }
  });

  it('refuses an account + email with 429 after 10 failures in 15 minutes, even with the right password', async () => {
    const account = await signUpAccount(api);
    for (let i = 0; i < 10; i++) {
      const res = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password: `wrong-${i}-password` } });
      expect(res.status).toBe(401);
    }
    const locked = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe('rate_limited');
  });

  it('counts failures for unknown emails too, without telling them apart', async () => {
    const account = await signUpAccount(api);
    const email = 'ghost@nowhere.test';
    for (let i = 0; i < 10; i++) await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password: 'wrong password' } });
    const res = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email, password: 'wrong password' } });
    expect(res.status).toBe(429);
  });
});

describe('Tokens', () => {
  it('rejects a request with no token, a malformed header or garbage with 401', async () => {
    expect((await api.call('GET', '/v1/me')).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const garbage = await api.call('GET', '/v1/me', { token: 'not.a.token' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error?.code).toBe('unauthenticated');
  });

  it('rejects an expired token', async () => {
    const account = await signUpAccount(api);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ acc: account.accountId, role: 'administrator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.adminId)
      .setIssuer('desk-admin')
      .setAudience('desk-admin-api')
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(secret());
    const res = await api.call('GET', '/v1/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toMatch(/expired/);
  });

  it('rejects a token without an expiry, even one signed with the right key', async () => {
    const account = await signUpAccount(api);
    const forever = await new SignJWT({ acc: account.accountId, role: 'administrator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.adminId)
      .setIssuer('desk-admin')
      .setAudience('desk-admin-api')
      .setIssuedAt()
      .sign(secret());
    const res = await api.call('GET', '/v1/me', { token: forever });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('unauthenticated');
  });

  it('rejects a token whose claims were altered', async () => {
    const victim = await signUpAccount(api);
    const attacker = await signUpAccount(api);
    const [header, payload, signature] = attacker.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, acc: victim.accountId, sub: victim.adminId })).toString('base64url');
    const res = await api.call('GET', '/v1/me', { token: `${header}.${forged}.${signature}` });
    expect(res.status).toBe(401);
  });

  it('rejects a token signed with another key, or with no signature at all', async () => {
    const account = await signUpAccount(api);
    const otherKey = await new SignJWT({ acc: account.accountId, role: 'administrator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.adminId)
      .setIssuer('desk-admin')
      .setAudience('desk-admin-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    expect((await api.call('GET', '/v1/me', { token: otherKey })).status).toBe(401);
    const [, payload] = account.token.split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await api.call('GET', '/v1/me', { token: unsigned })).status).toBe(401);
  });

  it("never lets one account's token read another account's data", async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const me = await api.call('GET', '/v1/me', { token: first.token });
    expect(me.body.id).toBe(first.adminId);
    expect(me.body.id).not.toBe(second.adminId);
    // A token naming another account's user id resolves nothing in its own account.
    const crossed = await new SignJWT({ acc: first.accountId, role: 'administrator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(second.adminId)
      .setIssuer('desk-admin')
      .setAudience('desk-admin-api')
      .setExpirationTime('1h')
      .sign(secret());
    expect((await api.call('GET', '/v1/me', { token: crossed })).status).toBe(401);
  });
});

describe('Changing your own password', () => {
  it('needs the current password, ends every earlier token, and hands back a new one', async () => {
    const account = await signUpAccount(api);
    const other = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } });

    const wrong = await api.call('PUT', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.status).toBe(403);

    const changed = await api.call('PUT', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: password, newPassword: 'a brand new passphrase' },
    });
    expect(changed.status).toBe(200);
    expect((await api.call('GET', '/v1/me', { token: account.token })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: other.body.token })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: changed.body.token })).status).toBe(200);

    expect((await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password } })).status).toBe(401);
    const again = await api.call('POST', '/v1/auth/login', { body: { account: account.slug, email: account.adminEmail, password: 'a brand new passphrase' } });
    expect(again.status).toBe(200);
  });

  it('refuses a new password that is too short', async () => {
    const account = await signUpAccount(api);
    const res = await api.call('PUT', '/v1/me/password', { token: account.token, body: { currentPassword: password, newPassword: 'short' } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details[0]?.path).toBe('newPassword');
  });
});
