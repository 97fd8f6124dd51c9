import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { config } from '../config.js';
import { Unauthenticated } from '../errors.js';
import { loadSecret } from '../clients/secrets.js';

export type Role = 'administrator' | 'technician' | 'end_user';

export interface TokenClaims {
  accountId: string;
  subjectId: string;
  role: Role;
  /** The holder's credentials version when the token was issued: a password change ends older tokens. */
  credentialsVersion: number;
}

export const issuer = 'desk-admin';
const audience = 'desk-admin-api';

let keyPromise: Promise<Uint8Array> | undefined;

/** One HS256 key for every token the platform signs; each kind has its own audience, so none passes for another. */
export function signingKey(): Promise<Uint8Array> {
  keyPromise ??= (config.JWT_SECRET ? Promise.resolve(config.JWT_SECRET) : loadSecret(config.JWT_SECRET_ARN!)).then((secret) =>
    new TextEncoder().encode(secret),
  );
  return keyPromise;
}

export async function issueToken(claims: TokenClaims): Promise<{ token: string; expiresAt: string }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + config.TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ acc: claims.accountId, role: claims.role, cv: claims.credentialsVersion })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subjectId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(await signingKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyToken(token: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      issuer,
      audience,
      algorithms: ['HS256'],
      // A token without an expiry would be good forever: refuse it.
      requiredClaims: ['exp'],
    });
    const role = payload.role;
    if (typeof payload.acc !== 'string' || typeof payload.sub !== 'string' || typeof role !== 'string') {
      throw new Unauthenticated('The token is not valid.');
    }
    return { accountId: payload.acc, subjectId: payload.sub, role: role as Role, credentialsVersion: typeof payload.cv === 'number' ? payload.cv : 0 };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new Unauthenticated('The token has expired.');
    if (err instanceof Unauthenticated) throw err;
    throw new Unauthenticated('The token is not valid.');
  }
}
