import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../shared/auth/passwords.js';

describe('Password hashing', () => {
  it("uses OWASP's scrypt parameters by default and stores them beside the hash", async () => {
    const stored = await hashPassword('a long enough password', 17);
    expect(stored).toMatchObject({ algorithm: 'scrypt', logN: 17, r: 8, p: 1 });
    expect(stored.hash).not.toContain('a long enough password');
    expect(await verifyPassword('a long enough password', stored)).toBe(true);
  });

  it('salts every hash, so one password never hashes the same way twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('rejects a wrong password', async () => {
    const stored = await hashPassword('right password here');
    expect(await verifyPassword('wrong password here', stored)).toBe(false);
  });

  it('verifies a hash made with older, cheaper parameters after the default was raised', async () => {
    const old = await hashPassword('legacy password', 10);
    expect(await verifyPassword('legacy password', old)).toBe(true);
  });
});
