import { randomBytes } from 'node:crypto';
import { config } from '../config.js';

/**
 * Ticket threading through addresses and Message-IDs. A reply to a ticket's email either goes to
 * the ticket's reply address (`support+<token>@domain`) or names one of our Message-IDs
 * (`<r-<token>.<messageId>@domain>`) in In-Reply-To/References. The token is a random secret of the
 * ticket, never its id: whoever owns a support address later can neither guess nor redirect it.
 * It is lower-case hex, because mail systems may change the case of a local part.
 */
const tokenPattern = /^[0-9a-f]{32}$/;
const idPattern = /^[A-Za-z0-9_-]+$/;
const messageIdPattern = /^<?r-([0-9a-f]{32})\.[A-Za-z0-9_-]+@[^@\s<>]+>?$/i;

/** A new reply token: 128 random bits. */
export function newReplyToken(): string {
  return randomBytes(16).toString('hex');
}

export const isReplyToken = (value: string) => tokenPattern.test(value);

function assertToken(token: string): void {
  if (!isReplyToken(token)) throw new Error('Not a reply token');
}

function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new Error(`${JSON.stringify(address)} is not an email address`);
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** The mailbox an address delivers to: lower-cased, without a `+tag`. */
export function baseAddress(address: string): string {
  const { local, domain } = splitAddress(address.trim().toLowerCase());
  return `${local.split('+')[0]}@${domain}`;
}

/** The `+tag` of an address, lower-cased, or undefined when it has none. */
export function addressTag(address: string): string | undefined {
  const { local } = splitAddress(address.trim().toLowerCase());
  const plus = local.indexOf('+');
  return plus < 0 ? undefined : local.slice(plus + 1);
}

/**
 * The platform's own sender (`MAIL_FROM`) and every `+` form of it: set-password mail comes from it
 * and portal-less tickets reply through it, so no portal may ever take it as its support address.
 */
export function isReservedAddress(address: string): boolean {
  try {
    return baseAddress(address) === baseAddress(config.MAIL_FROM);
  } catch {
    return false;
  }
}

export function ticketReplyAddress(token: string, supportAddress: string): string {
  assertToken(token);
  const { local, domain } = splitAddress(baseAddress(supportAddress));
  return `${local}+${token}@${domain}`;
}

export function outboundMessageId(token: string, messageId: string, domain: string): string {
  assertToken(token);
  if (!idPattern.test(messageId)) throw new Error(`Message id ${JSON.stringify(messageId)} cannot be put into a Message-ID`);
  return `<r-${token}.${messageId}@${domain}>`;
}

export function replyTokenFromMessageId(id: string): string | undefined {
  return messageIdPattern.exec(id.trim())?.[1]?.toLowerCase();
}
