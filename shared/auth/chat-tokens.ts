import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Unauthenticated } from '../errors.js';
import { getTicketRecord } from '../tickets/tickets.js';
import { issuer, signingKey } from './tokens.js';

/**
 * A portal request's `chatToken`: what the customer's browser presents to the live channel for
 * that one ticket. Its own audience, so it is never an API bearer token (`verifyToken` refuses it)
 * and an API token is never one of these.
 */
const audience = 'desk-admin-live-chat';

/**
 * A day: long enough for a queued customer to keep their page open through a working day's wait,
 * short enough that a token leaked from a URL (the channel takes it as `?token=`) soon stops
 * working. Closing the ticket ends it sooner; later, the customer answers by email or signs in.
 */
export const chatTokenTtlSeconds = 24 * 3600;

export interface ChatClaims {
  accountId: string;
  ticketId: string;
  endUserId: string;
}

export async function issueChatToken(claims: ChatClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ acc: claims.accountId, tkt: claims.ticketId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.endUserId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + chatTokenTtlSeconds)
    .sign(await signingKey());
}

/** The token's claims, if it is a chat token signed by us and not expired (the ticket is not read). */
export async function verifyChatToken(token: string): Promise<ChatClaims> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), { issuer, audience, algorithms: ['HS256'], requiredClaims: ['exp'] });
    if (typeof payload.acc !== 'string' || typeof payload.tkt !== 'string' || typeof payload.sub !== 'string') {
      throw new Unauthenticated('The token is not valid.');
    }
    return { accountId: payload.acc, ticketId: payload.tkt, endUserId: payload.sub };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new Unauthenticated('The token has expired.');
    if (err instanceof Unauthenticated) throw err;
    throw new Unauthenticated('The token is not valid.');
  }
}

/** A chat token the live channel may accept now: valid, and its ticket still there, still the same customer's, not closed. */
export async function resolveChatToken(token: string): Promise<ChatClaims> {
  const claims = await verifyChatToken(token);
  const ticket = await getTicketRecord(claims.accountId, claims.ticketId, true);
  if (!ticket || ticket.endUserId !== claims.endUserId) throw new Unauthenticated('The token is not valid.');
  if (ticket.status === 'closed') throw new Unauthenticated('The ticket is closed.');
  return claims;
}
