import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { config } from '../config.js';

/**
 * Passwords are kept only as salted scrypt hashes (OWASP: N=2^17, r=8, p=1). The parameters are
 * stored beside each hash, so they can be raised later without invalidating existing passwords.
 */
export interface PasswordHash {
  algorithm: 'scrypt';
  logN: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

const keyLength = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // Node's default maxmem (32 MiB) rejects OWASP's parameters, which need 128 * N * r bytes.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, logN = config.PASSWORD_HASH_LOG_N): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, logN, 8, 1);
  return { algorithm: 'scrypt', logN, r: 8, p: 1, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored.logN, stored.r, stored.p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<PasswordHash> | undefined;

/**
 * Spends the same work as a real check when there is no such user, so the answer's timing does
 * not tell whether an email exists.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(12).toString('base64'));
  await verifyPassword(password, await decoy);
  return false;
}
