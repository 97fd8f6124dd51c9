import { createHash, randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** An opaque, unguessable id with a short prefix that says what it names (`usr_…`, `cmp_…`). */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}

/** An id of the same shape, always the same for one seed (a stand-in that must look like any other id). */
export function stableId(prefix: string, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}

/** A random secret for links and keys: 32 bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
